import Bibliography
import Core
import Foundation
import GRDB
import XCTest
@testable import Study

/// The bounded rebuild (`rebuildArticleListBounded`, what `literature search` runs) writes the
/// same article list, row for row, as the full rebuild (`rebuildArticleList`, which holds every
/// record and runs `Bibliography.analyse`) — on a list with duplicates across pages and sources,
/// every merge rule, a DOI conflict, a title-hash id collision, exclusions and people's decisions.
final class ArticleListRebuildTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-rebuild-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    func record(_ db: SourceDatabase, id: String?, page: String, line: Int, title: String?, family: String = "Ito", year: Int? = 2019,
                doi: String? = nil, type: DocumentType = .article, abstract: String? = nil) -> BibRecord {
        var r = BibRecord(source: SourceRef(database: db, id: id, file: page, line: line, endLine: line), raw: RawRecord(line: line, endLine: line, tags: []))
        r.title = title
        r.authors = [Author(family: family, given: "A.")]
        r.year = year
        r.doi = doi.flatMap(DOI.init)
        r.documentType = type
        r.abstract = abstract
        r.affiliations = ["Hokkaido University, Sapporo, Japan"]
        return r
    }

    /// Every table the rebuild writes, as text, in a fixed order.
    func snapshot(_ db: Database) throws -> [String] {
        let queries = [
            "SELECT * FROM article ORDER BY id",
            "SELECT * FROM articleSource ORDER BY articleId, rank",
            "SELECT * FROM bibMerge ORDER BY mergedFileId, mergedOrdinal, intoFileId, intoOrdinal, rule",
            "SELECT * FROM articleAlias ORDER BY alias, articleId",
        ]
        return try queries.flatMap { sql in try Row.fetchAll(db, sql: sql).map { sql.prefix(30) + " " + $0.description } }
    }

    func testBoundedRebuildWritesTheSameListAsTheFullRebuild() throws {
        let study = try Study.create(at: dir)
        // Exports of two databases (they share articles: DOI and title merges across sources).
        let exports = ["scopus.ris", "wos.ris", "scopus_2025.csv", "generic.bib"]
            .map { Self.fixtures.appendingPathComponent("bibliography").appendingPathComponent($0).path }
        _ = try study.importBibliography(exports)
        let long = "Atomic resolution imaging of grain boundaries in a duplex stainless steel"
        let pages: [(String, [BibRecord])] = [
            ("openalex page 1", [
                record(.openalex, id: "W1", page: "p1", line: 1, title: "Electron tomography of catalyst particles on carbon supports", doi: "10.1/a", abstract: "first"),
                record(.openalex, id: "W2", page: "p1", line: 2, title: long, year: 2019),
                record(.openalex, id: "W3", page: "p1", line: 3, title: "Cryo-SEM of hydrated polymer membranes and their pores", doi: "10.1/c"),
                record(.openalex, id: "W4", page: "p1", line: 4, title: "A review of in situ TEM heating holders", doi: "10.1/r", type: .review),
                record(.openalex, id: "W5", page: "p1", line: 5, title: "Editorial", year: 2020),
            ]),
            ("openalex page 2", [
                record(.openalex, id: "W1", page: "p2", line: 1, title: "Electron tomography of catalyst particles on carbon supports", doi: "10.1/a"),   // same id
                record(.openalex, id: "W6", page: "p2", line: 2, title: long, year: 2020),                                                                // title+author, year ±1
                record(.openalex, id: "W7", page: "p2", line: 3, title: "Cryo-SEM of hydrated polymer membranes and their poles"),                       // fuzzy title
                record(.openalex, id: "W8", page: "p2", line: 4, title: "Cryo-SEM of hydrated polymer membranes and their pores", doi: "10.1/other"),    // DOI conflict: kept apart
                record(.openalex, id: "W9", page: "p2", line: 5, title: "Editorial", year: 2020),                                                         // same title hash, distinct
            ]),
            ("crossref page 1", [
                record(.crossref, id: nil, page: "c1", line: 1, title: "Electron tomography of catalyst particles on carbon supports.", doi: "10.1/A", abstract: "crossref"), // DOI
                record(.crossref, id: nil, page: "c1", line: 2, title: "Some paper outside the period", year: 1990, doi: "10.1/old"),
                record(.crossref, id: nil, page: "c1", line: 3, title: "A paper a person decides on", doi: "10.1/decided"),
            ]),
        ]
        try study.database.write { db in
            for (n, (name, records)) in pages.enumerated() {
                _ = try Study.storeRecords(db, fileID: "page:\(n)", path: name, format: "api", encoding: "utf-8", records: records, rejected: [])
            }
        }
        let (dedup, rules) = study.bibliographyPipeline
        _ = try study.database.write { db in try study.rebuildArticleList(db, fresh: [:], deduplicator: dedup, rules: rules) }
        _ = try study.decideExclusion("doi:10.1/decided", value: "editorial", author: "me")
        _ = try study.decideExclusion("doi:10.1/r", value: "include", author: "me")

        let full = try study.database.write { db -> ([String], [String: Int], [String]) in
            let (_, excluded, orphaned) = try study.rebuildArticleList(db, fresh: [:], deduplicator: dedup, rules: rules)
            return (try snapshot(db), excluded, orphaned)
        }
        let bounded = try study.database.write { db -> ([String], ArticleListSummary) in
            let summary = try study.rebuildArticleListBounded(db, deduplicator: dedup, rules: rules)
            return (try snapshot(db), summary)
        }
        XCTAssertEqual(bounded.0.count, full.0.count)
        for (b, f) in zip(bounded.0, full.0) where b != f { XCTFail("bounded: \(b)\nfull:    \(f)") }
        XCTAssertEqual(bounded.1.excluded, full.1)
        XCTAssertEqual(bounded.1.orphanedDecisions, full.2)

        // The fixture exercises what it claims to (otherwise the equality above proves little).
        try study.database.read { db in
            let rules = try Set(String.fetchAll(db, sql: "SELECT DISTINCT rule FROM bibMerge"))
            XCTAssertTrue(rules.isSuperset(of: ["same-id", "doi", "title-author-year", "fuzzy-title"]), "\(rules)")
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT exclusion FROM article WHERE id = 'doi:10.1/decided'"), "editorial")
            XCTAssertNil(try String?.fetchOne(db, sql: "SELECT exclusion FROM article WHERE id = 'doi:10.1/r'") ?? nil)
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT machineExclusion FROM article WHERE id = 'doi:10.1/r'"), "review")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article WHERE id LIKE '%~2'"), 1, "the two 'Editorial's share a title hash")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article WHERE doi IN ('10.1/c', '10.1/other')"), 2, "DOI conflict kept apart")
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT abstract FROM article WHERE id = 'doi:10.1/a'"), "first", "the survivor's values, merged")
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM articleSource") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article") ?? 0)
        }
    }
}
