import Bibliography
import Core
import Foundation
import GRDB
import XCTest
@testable import Study

/// The hand-written stored form of records (`StoredRecordJSON`) must read back — with itself and
/// with `JSONDecoder` — to the values `JSONEncoder` stored before it, and rows `JSONEncoder` wrote
/// must read with it. (Not byte equality: on Linux `JSONEncoder` writes an object's keys in
/// hash order, which changes from process to process; the hand-written form is always in
/// declaration order.)
final class StoredRecordJSONTests: XCTestCase {
    static let fixtures: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Every record of the fixture exports and API responses, read in full.
    func fixtureRecords() throws -> [BibRecord] {
        var out: [BibRecord] = []
        let fm = FileManager.default
        for dir in ["bibliography", "jats"] {
            for name in try fm.contentsOfDirectory(atPath: Self.fixtures.appendingPathComponent(dir).path).sorted() {
                let path = Self.fixtures.appendingPathComponent(dir).appendingPathComponent(name).path
                guard let bytes = fm.contents(atPath: path),
                      let read = try? Bibliography.read([UInt8](bytes), file: path, format: nil, detail: .full) else { continue }
                out += read.records
            }
        }
        let readers: [(String, ([UInt8], PageProvenance) throws -> APIPage)] = [
            ("openalex", { try OpenAlexWorks.read($0, provenance: $1) }),
            ("crossref", { try CrossrefWorks.read($0, provenance: $1) }),
            ("europepmc", { try EuropePMCSearch.read($0, provenance: $1) }),
        ]
        for (dir, read) in readers {
            let folder = Self.fixtures.appendingPathComponent("http").appendingPathComponent(dir)
            for name in try fm.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".json") && !name.hasSuffix(".request.json") {
                guard let bytes = fm.contents(atPath: folder.appendingPathComponent(name).path),
                      let page = try? read([UInt8](bytes), PageProvenance(url: "http://127.0.0.1/\(name)", query: "q/1 \"x\"", retrieved: "2026-12-05T00:00:00Z")) else { continue }
                out += page.records
            }
        }
        return out
    }

    func testBytesAreJSONEncoderBytesAndReadBackEqual() throws {
        let records = try fixtureRecords()
        XCTAssertGreaterThan(records.count, 50, "the fixtures hold more records than that")
        XCTAssertTrue(records.contains { $0.source.database == .openalex }, "API records are covered")
        let encoder = JSONEncoder()
        for r in records {
            var lean = r
            lean.raw.tags = []
            let mine = StoredRecordJSON.encode(lean)
            XCTAssertEqual(mine.count, try encoder.encode(lean).count, "the same fields and escapes: \(r.source.file):\(r.source.line)")
            XCTAssertEqual(try JSONDecoder().decode([RawRecord.Tag].self, from: Data(StoredRecordJSON.encode(r.raw.tags))), r.raw.tags)
            XCTAssertEqual(try StoredRecordJSON.decodeTags([UInt8](try encoder.encode(r.raw.tags))), r.raw.tags)
            XCTAssertEqual(try StoredRecordJSON.decode(mine), lean)
            XCTAssertEqual(try JSONDecoder().decode(BibRecord.self, from: Data(mine)), lean)
            XCTAssertEqual(try StoredRecordJSON.decodeTags(StoredRecordJSON.encode(r.raw.tags)), r.raw.tags)
            // A full record too (with its tags), and what JSONEncoder wrote reads the same.
            XCTAssertEqual(try StoredRecordJSON.decode(StoredRecordJSON.encode(r)), r)
            XCTAssertEqual(try StoredRecordJSON.decode([UInt8](try encoder.encode(r))), r)
        }
    }

    /// Strings needing every kind of escape, and optional fields set and unset.
    func testEscapesAndOptionals() throws {
        var r = BibRecord(source: SourceRef(database: .scopus, id: nil, file: "/a/b\\c \"d\".ris", line: 1, endLine: 9),
                          raw: RawRecord(line: 1, endLine: 9, tags: [.init(name: "T\u{1}", values: ["a\tb\nc\r\u{8}\u{c}\u{1f}/é😀"])]))
        r.title = "Grain \"boundaries\" \\ imaged/at 5 kV\u{0}"
        r.authors = [Author(family: "Ørsted", given: "")]
        r.year = -3
        r.doi = DOI("10.1000/ABC<def>")
        r.isOpenAccess = false
        r.citedBy = 0
        let encoder = JSONEncoder()
        XCTAssertEqual(StoredRecordJSON.encode(r).count, try encoder.encode(r).count)
        XCTAssertEqual(try JSONDecoder().decode(BibRecord.self, from: Data(StoredRecordJSON.encode(r))), r)
        XCTAssertEqual(try StoredRecordJSON.decode(StoredRecordJSON.encode(r)), r)
        r.isOpenAccess = true
        XCTAssertEqual(try StoredRecordJSON.decode(StoredRecordJSON.encode(r)), r)
        XCTAssertThrowsError(try StoredRecordJSON.decode(Array("{\"source\":1}".utf8)))
    }

    /// What `bib import` stores for the fixture exports reads back (with `JSONDecoder`, as the
    /// JSONEncoder path's rows did) to exactly the records read from the files.
    func testImportStoresTheSameRows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-stored-json-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let study = try Study.create(at: dir)
        let names = ["scopus.ris", "wos.ris", "scopus_2025.csv", "wos_tab_utf16.txt", "generic.bib"]
        let paths = names.map { Self.fixtures.appendingPathComponent("bibliography").appendingPathComponent($0).path }
        _ = try study.importBibliography(paths)
        var compared = 0
        for path in paths {
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
            let records = try Bibliography.read([UInt8](bytes), file: path, format: nil, detail: .full).records
            let rows = try study.database.read { db in
                try Row.fetchAll(db, sql: "SELECT r.ordinal, r.json, r.raw FROM bibRecord r JOIN bibFile f ON f.id = r.fileId WHERE f.path = ? ORDER BY r.ordinal", arguments: [path])
            }
            XCTAssertEqual(rows.count, records.count, path)
            for (row, r) in zip(rows, records) {
                var lean = r
                lean.raw.tags = []
                XCTAssertEqual(try JSONDecoder().decode(BibRecord.self, from: row["json"] as Data), lean, "\(path) record \(row["ordinal"] as Int)")
                XCTAssertEqual(try JSONDecoder().decode([RawRecord.Tag].self, from: row["raw"] as Data), r.raw.tags, "\(path) record \(row["ordinal"] as Int)")
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 8, "the five fixtures hold 8 records")
    }
}
