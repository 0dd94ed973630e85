import Core
import XCTest
@testable import Bibliography

final class DeduplicationTests: XCTestCase {
    func record(_ db: SourceDatabase, id: String? = nil, doi: String? = nil, title: String?, year: Int?, author: String = "Smith",
                file: String = "f", line: Int = 1, abstract: String? = nil) -> BibRecord {
        var r = BibRecord(source: SourceRef(database: db, id: id, file: file, line: line, endLine: line), raw: RawRecord(line: line, endLine: line))
        r.title = title
        r.year = year
        r.doi = doi.flatMap(DOI.init)
        r.authors = [Author(family: author, given: "J.")]
        r.abstract = abstract
        if db == .scopus { r.eid = id } else if db == .wos { r.ut = id }
        return r
    }

    let longTitle = "Cryogenic electron microscopy of lithium metal anodes"

    func testRecordsWithoutDOIAreNeverJoinedOnAnEmptyDOI() {
        let a = record(.wos, id: "WOS:1", title: "First distinct study of zeolite frameworks", year: 2020)
        let b = record(.wos, id: "WOS:2", title: "Second unrelated paper on perovskite films", year: 2020)
        let result = Bibliography.analyse([a, b])
        XCTAssertEqual(result.articles.count, 2)
        XCTAssertTrue(result.mergeLog.isEmpty)
    }

    func testTiersAndTheirLog() {
        let records = [
            record(.scopus, id: "2-s2.0-1", doi: "10.1/ABC", title: longTitle, year: 2019, line: 1),
            record(.scopus, id: "2-s2.0-1", doi: "10.1/abc", title: longTitle, year: 2019, line: 9),         // chunk overlap
            record(.wos, id: "WOS:1", doi: "https://doi.org/10.1/abc", title: longTitle.uppercased(), year: 2019), // same DOI
            record(.lens, id: "L1", title: longTitle + ".", year: 2020),                                          // title+author, year +1
            record(.openalex, id: "W1", title: "Cryogenic electron microscopy of lithium metal anode", year: 2019, author: "Smyth"), // fuzzy
        ]
        let result = Bibliography.analyse(records)
        XCTAssertEqual(result.articles.count, 1)
        XCTAssertEqual(result.articles[0].members.first, 2, "WoS survives by default")
        XCTAssertEqual(Set(result.mergeLog.map(\.rule)), [.sameSourceID, .doi, .titleAuthorYear, .fuzzyTitle])
        XCTAssertEqual(result.articles[0].id, "doi:10.1/abc")
    }

    func testTitleTiersNeverJoinDifferentDOIsOrDistantYears() {
        let records = [
            record(.wos, id: "WOS:1", doi: "10.1/conference", title: longTitle, year: 2019),
            record(.scopus, id: "2-s2.0-2", doi: "10.1/journal", title: longTitle, year: 2019),
            record(.scopus, id: "2-s2.0-3", title: longTitle, year: 2016),
        ]
        XCTAssertEqual(Bibliography.analyse(records).articles.count, 3)
    }

    func testGenericTitlesAreNotJoined() {
        let records = [record(.wos, id: "WOS:1", title: "Editorial", year: 2019), record(.scopus, id: "2-s2.0-1", title: "Editorial", year: 2019)]
        XCTAssertEqual(Bibliography.analyse(records).articles.count, 2)
    }

    func testPrecedenceCanPutScopusFirstAndMissingFieldsAreFilled() {
        let records = [
            record(.wos, id: "WOS:1", doi: "10.1/x", title: longTitle, year: 2019),
            record(.scopus, id: "2-s2.0-1", doi: "10.1/x", title: longTitle, year: 2019, abstract: "From Scopus."),
        ]
        let wosFirst = Bibliography.analyse(records)
        XCTAssertEqual(wosFirst.articles[0].record.source.database, .wos)
        XCTAssertEqual(wosFirst.articles[0].record.abstract, "From Scopus.", "taken from the other source")
        XCTAssertEqual(wosFirst.articles[0].record.eid, "2-s2.0-1")
        let scopusFirst = Bibliography.analyse(records, deduplicator: Deduplicator(precedence: [.scopus, .wos, .lens, .openalex, .other]))
        XCTAssertEqual(scopusFirst.articles[0].record.source.database, .scopus)
        XCTAssertEqual(scopusFirst.articles[0].members, [1, 0])
    }

    func testBoundedEditDistance() {
        func d(_ a: String, _ b: String, _ k: Int) -> Int? { EditDistance.bounded(Array(a.utf8), Array(b.utf8), limit: k) }
        XCTAssertEqual(d("kitten", "sitting", 3), 3)
        XCTAssertNil(d("kitten", "sitting", 2))
        XCTAssertEqual(d("abc", "abc", 0), 0)
        XCTAssertEqual(d("", "ab", 2), 2)
        XCTAssertEqual(d("abcdefghij", "abcdefghijkl", 2), 2)
    }

    /// 100,000 records with ~10 % duplicates: blocking keeps it far from n².
    func testHundredThousandRecordsScale() {
        var records: [BibRecord] = []
        var rng = SystemRandomNumberGenerator()
        let words = ["electron", "microscopy", "lithium", "zeolite", "perovskite", "grain", "boundary", "imaging", "cryogenic",
                     "tomography", "catalyst", "nanoparticle", "interface", "dislocation", "thin", "film", "oxide", "polymer"]
        for i in 0..<100_000 {
            let title = (0..<8).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ") + " \(i)"
            let doi: String? = i % 5 == 0 ? nil : "10.1000/\(i)"
            records.append(record(.scopus, id: "2-s2.0-\(i)", doi: doi, title: title, year: 2000 + i % 20, author: "A\(i % 977)", line: i))
        }
        for i in stride(from: 0, to: 100_000, by: 10) {
            var dup = records[i]
            dup.source = SourceRef(database: .wos, id: "WOS:\(i)", file: "w", line: i, endLine: i)
            dup.ut = "WOS:\(i)"
            records.append(dup)
        }
        let start = Date()
        let result = Bibliography.analyse(records)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(result.articles.count, 100_000)
        print("dedup of \(records.count) records: \(elapsed) s (debug build)")
    }
}
