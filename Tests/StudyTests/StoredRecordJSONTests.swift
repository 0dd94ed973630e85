import Bibliography
import Core
import Foundation
import GRDB
import XCTest
@testable import Study

/// The stored form of records (`bibRecord.json`, `bibRecord.raw`) is defined by the hand-written
/// `StoredRecordJSON`: JSONEncoder's fields, values and escapes, with the keys always in
/// declaration order. It cannot be JSONEncoder's bytes: on Linux `JSONEncoder` writes an object's
/// keys in `Dictionary` order, which the per-process hash seed changes from run to run (checked
/// with a 7-field struct encoded in 4 processes: 4 different orders). So these tests check what
/// does hold: the same JSON values as JSONEncoder's, the same length (the same escapes), reading
/// back equal with both `StoredRecordJSON` and `JSONDecoder`, and rows written by the JSONEncoder
/// versions (any key order) reading equal with `StoredRecordJSON`.
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
            // The recorded API answers (corpora/demo/http, beside the demo's other third-party copies).
            let folder = Self.fixtures.deletingLastPathComponent().appendingPathComponent("corpora/demo/http").appendingPathComponent(dir)
            for name in try fm.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".json") && !name.hasSuffix(".request.json") {
                guard let bytes = fm.contents(atPath: folder.appendingPathComponent(name).path),
                      let page = try? read([UInt8](bytes), PageProvenance(url: "http://127.0.0.1/\(name)", query: "q/1 \"x\"", retrieved: "2026-12-05T00:00:00Z")) else { continue }
                out += page.records
            }
        }
        return out
    }

    /// A JSON document with every object's keys sorted: equal for two documents that hold the
    /// same values whatever order their keys were written in.
    static func canonical(_ bytes: [UInt8]) throws -> String {
        func render(_ n: JSONNode) -> String {
            switch n.kind {
            case .null, .bool, .number: return n.scalarText ?? "null"
            case .string: return "\"" + n.string!.unicodeScalars.map { $0.value < 0x20 || $0 == "\"" || $0 == "\\" ? "\\u{\($0.value)}" : String($0) }.joined() + "\""
            case .array: return "[" + n.array!.map(render).joined(separator: ",") + "]"
            case .object: let o = n.object!; return "{" + o.keys.sorted().map { "\"\($0)\":" + render(o[$0]!) }.joined(separator: ",") + "}"
            }
        }
        return render(try JSONNode.parse(bytes))
    }

    func testStoredFormHoldsJSONEncoderValuesAndReadsBackEqual() throws {
        let records = try fixtureRecords()
        XCTAssertGreaterThan(records.count, 50, "the fixtures hold more records than that")
        XCTAssertTrue(records.contains { $0.source.database == .openalex }, "API records are covered")
        let encoder = JSONEncoder()
        for r in records {
            let at = "\(r.source.file):\(r.source.line)"
            var lean = r
            lean.raw.tags = []
            let mine = StoredRecordJSON.encode(lean)
            let theirs = [UInt8](try encoder.encode(lean))
            // The same fields and values (a field left out, added, or holding another value fails)…
            XCTAssertEqual(try Self.canonical(mine), try Self.canonical(theirs), at)
            // …written with the same escapes (`\/`, `\n`, `\u0001`: any other escape changes the length).
            XCTAssertEqual(mine.count, theirs.count, "the same escapes: \(at)")
            XCTAssertEqual(try Self.canonical(StoredRecordJSON.encode(r.raw.tags)), try Self.canonical([UInt8](try encoder.encode(r.raw.tags))), at)
            XCTAssertEqual(StoredRecordJSON.encode(r.raw.tags).count, try encoder.encode(r.raw.tags).count, at)
            // Reads back equal, with itself and with JSONDecoder.
            XCTAssertEqual(try StoredRecordJSON.decode(mine), lean, at)
            XCTAssertEqual(try JSONDecoder().decode(BibRecord.self, from: Data(mine)), lean, at)
            XCTAssertEqual(try StoredRecordJSON.decodeTags(StoredRecordJSON.encode(r.raw.tags)), r.raw.tags, at)
            XCTAssertEqual(try JSONDecoder().decode([RawRecord.Tag].self, from: Data(StoredRecordJSON.encode(r.raw.tags))), r.raw.tags, at)
            // What the JSONEncoder versions stored reads equal.
            XCTAssertEqual(try StoredRecordJSON.decode(theirs), lean, at)
            XCTAssertEqual(try StoredRecordJSON.decodeTags([UInt8](try encoder.encode(r.raw.tags))), r.raw.tags, at)
            XCTAssertEqual(try StoredRecordJSON.decode(StoredRecordJSON.encode(r)), r, at)
            XCTAssertEqual(try StoredRecordJSON.decode([UInt8](try encoder.encode(r))), r, at)
        }
    }

    /// The stored form is one byte sequence per record (declaration order), so the same record
    /// stored twice is the same row — what makes "a page stored twice adds nothing" checkable.
    func testStoredFormIsInDeclarationOrder() throws {
        var r = BibRecord(source: SourceRef(database: .openalex, id: "W1", file: "q", line: 1, endLine: 1),
                          raw: RawRecord(line: 1, endLine: 1, tags: []))
        r.title = "T"
        r.year = 2020
        r.doi = DOI("10.1/x")
        XCTAssertEqual(String(decoding: StoredRecordJSON.encode(r), as: UTF8.self),
                       #"{"source":{"database":"openalex","id":"W1","file":"q","line":1,"endLine":1},"title":"T","authors":[],"year":2020,"doi":"10.1\/x","documentType":"unknown","languages":[],"authorKeywords":[],"indexKeywords":[],"affiliations":[],"raw":{"line":1,"endLine":1,"tags":[]}}"#)
    }

    /// A row as a JSONEncoder version of lostdata wrote it on Linux: keys in hash order, `/`
    /// escaped, a control character as `\u00XX`, `isOpenAccess` and `citedBy` present.
    func testRowWrittenByJSONEncoderVersionsReads() throws {
        let old = #"{"raw":{"tags":[{"values":["a\/b"],"name":"TI"}],"endLine":4,"line":2},"documentType":"article","affiliations":["Inst. A\/B"],"title":"Grain\u0001 \"x\"","indexKeywords":[],"authors":[{"given":"A.","family":"Ito"}],"languages":["English"],"citedBy":3,"isOpenAccess":true,"authorKeywords":["k"],"source":{"endLine":4,"file":"\/d\/s.ris","line":2,"database":"scopus","id":"2-s2.0-1"},"doi":"10.1000\/abc","year":2019}"#
        let r = try StoredRecordJSON.decode(Array(old.utf8))
        XCTAssertEqual(r, try JSONDecoder().decode(BibRecord.self, from: Data(old.utf8)))
        XCTAssertEqual(r.title, "Grain\u{1} \"x\"")
        XCTAssertEqual(r.source.file, "/d/s.ris")
        XCTAssertEqual(r.source.id, "2-s2.0-1")
        XCTAssertEqual(r.doi?.value, "10.1000/abc")
        XCTAssertEqual(r.authors, [Author(family: "Ito", given: "A.")])
        XCTAssertEqual(r.raw.tags, [RawRecord.Tag(name: "TI", values: ["a/b"])])
        XCTAssertEqual(r.citedBy, 3)
        XCTAssertEqual(r.isOpenAccess, true)
        XCTAssertEqual(r.documentType, .article)
        XCTAssertEqual(try Self.canonical(StoredRecordJSON.encode(r)), try Self.canonical(Array(old.utf8)))
    }

    /// The reader (`StoredRecordReader`) refuses what is not a whole, valid stored record — with
    /// a reason, never a crash — and reads leniently what the dictionary-based decode read:
    /// unknown keys (any JSON), nulls and values of another kind as absent fields, a non-list
    /// where a list belongs as an empty list, `\u` escapes with surrogate pairs.
    func testReaderRefusesBrokenRowsAndReadsLenientOnes() throws {
        let good = #"{"source":{"database":"openalex","id":"W1","file":"q","line":1,"endLine":1},"title":"T","authors":[],"raw":{"line":1,"endLine":1,"tags":[]}}"#
        XCTAssertEqual(try StoredRecordJSON.decode(Array(good.utf8)).title, "T")
        let broken = [
            String(good.dropLast()), good + "x", good + "}", "", "[]", "null",
            #"{"source":{"database":"nowhere","file":"q","line":1,"endLine":1},"raw":{"line":1,"endLine":1}}"#,   // unknown database
            #"{"source":{"database":"wos","file":"q","line":1,"endLine":1}}"#,                                      // no raw
            #"{"raw":{"line":1,"endLine":1}}"#,                                                                      // no source
            #"{"source":{"database":"wos","file":"q","line":1,"endLine":1},"raw":{"line":1,"endLine":1},"doi":"not a doi"}"#,
            #"{"source":{"database":"wos","file":"q","line":1,"endLine":1},"raw":{"line":1,"endLine":1},"documentType":"poem"}"#,
            #"{"source":{"database":"wos","file":"q","line":1,"endLine":1},"raw":{"line":1,"endLine":1},"authors":[{"family":"A"}]}"#,
            #"{"source":{"database":"wos","file":"q","line":1,"endLine":1},"raw":{"line":1,"endLine":1,"tags":[{"values":[]}]}}"#,
            #"{"source":{"database":"wos","file":"q","line":1,"endLine":1},"raw":{"line":1,"endLine":1},"title":"\u12"}"#,
            #"{"source":{"database":"wos","file":"q","line":1,"endLine":1},"raw":{"line":1,"endLine":1},"x":[1,}"#,
            #"{"source":{"database":"wos","file":"q","line":1,"endLine":1},"raw":{"line":1,"endLine":1},"x":tru}"#,
        ]
        for text in broken {
            XCTAssertThrowsError(try StoredRecordJSON.decode(Array(text.utf8)), text)
        }
        let lenient = #"""
            { "zz": {"a": [1, -2.5e3, true, null, {"b": "c"}]}, "title": null, "year": "2019", "citedBy": 4.0,
              "isOpenAccess": "yes", "authors": null, "languages": ["en", 3, null], "abstract": "\ud83d\ude00 \u00e9 \ud800",
              "source": {"endLine": 2, "line": 1, "file": "f", "database": "crossref", "extra": {}},
              "raw": {"tags": [{"name": "N", "values": "v"}], "line": 1, "endLine": 2} }
            """#
        let r = try StoredRecordJSON.decode(Array(lenient.utf8))
        XCTAssertNil(r.title)
        XCTAssertNil(r.year, "a string is not a year")
        XCTAssertEqual(r.citedBy, 4)
        XCTAssertNil(r.isOpenAccess)
        XCTAssertEqual(r.authors, [])
        XCTAssertEqual(r.languages, ["en"])
        XCTAssertEqual(r.abstract, "😀 é \u{FFFD}")
        XCTAssertEqual(r.source, SourceRef(database: .crossref, id: nil, file: "f", line: 1, endLine: 2))
        XCTAssertEqual(r.raw.tags, [RawRecord.Tag(name: "N", values: [])])
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
        XCTAssertEqual(try Self.canonical(StoredRecordJSON.encode(r)), try Self.canonical([UInt8](try encoder.encode(r))))
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
                XCTAssertEqual([UInt8](row["json"] as Data), StoredRecordJSON.encode(lean), "stored in the defined form: \(path)")
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 8, "the five fixtures hold 8 records")
    }
}
