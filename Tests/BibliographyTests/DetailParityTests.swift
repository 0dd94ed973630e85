import Foundation
import XCTest
@testable import Bibliography

/// `bib inspect` reads with `.identification` (a fast path that skips raw tags, abstracts and
/// co-authors), `bib import` with `.full`. The two must never disagree on what they count: the
/// same records, rejects, line ranges, ids and DOIs, and the same merges — on every real export.
final class DetailParityTests: XCTestCase {
    func testIdentificationAndFullDetailAgreeOnEveryCorpusFile() throws {
        var allFull: [BibRecord] = [], allLight: [BibRecord] = []
        for (name, _, _, _) in CorpusCountTests.expected {
            let full = try Corpus.read(name, detail: .full)
            let light = try Corpus.read(name, detail: .identification)
            XCTAssertEqual(light.format, full.format, name)
            XCTAssertEqual(light.records.count, full.records.count, "\(name): records")
            XCTAssertEqual(light.rejected, full.rejected, "\(name): rejected")
            XCTAssertEqual(light.nextLine, full.nextLine, "\(name): lines")
            for (l, f) in zip(light.records, full.records) {
                XCTAssertEqual(l.source, f.source, "\(name): source, line \(f.source.line)")
                XCTAssertEqual(l.raw.line, f.raw.line, name)
                XCTAssertEqual(l.raw.endLine, f.raw.endLine, name)
                XCTAssertEqual(l.doi, f.doi, "\(name) line \(f.source.line): DOI")
                XCTAssertEqual(l.stableID, f.stableID, "\(name) line \(f.source.line): id")
                XCTAssertEqual(l.title, f.title, name)
                XCTAssertEqual(l.year, f.year, name)
                XCTAssertEqual(l.authors.first, f.authors.first, "\(name) line \(f.source.line): first author")
                XCTAssertEqual(l.documentType, f.documentType, name)
                XCTAssertTrue(l.raw.tags.isEmpty, "\(name): identification keeps no raw tags")
            }
            allFull += full.records
            allLight += light.records
        }
        let full = Bibliography.analyse(allFull), light = Bibliography.analyse(allLight)
        XCTAssertEqual(light.articles.map(\.id), full.articles.map(\.id))
        XCTAssertEqual(light.articles.map(\.members), full.articles.map(\.members))
        // The same merges; their order follows dictionary iteration in the title tiers, which
        // Swift seeds per dictionary, so it is compared as a set.
        XCTAssertEqual(light.mergeLog.count, full.mergeLog.count)
        XCTAssertEqual(Set(light.mergeLog), Set(full.mergeLog))
        XCTAssertEqual(light.excludedCounts, full.excludedCounts)
        XCTAssertGreaterThan(full.mergeLog.count, 0, "the corpus has duplicates to merge")
    }
}
