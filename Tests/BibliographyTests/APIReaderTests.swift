import Foundation
import XCTest
import Core
@testable import Bibliography

/// The web-API readers on recorded real responses (corpora/demo/http, MIT/CC BY, see its README),
/// field by field against the facts corpora/demo/http/README.md lists for each recording.
final class APIReaderTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("corpora/demo/http")

    func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: Self.root.appendingPathComponent(name))) }
    func provenance(_ url: String) -> PageProvenance { PageProvenance(url: url, query: "test query", retrieved: "2026-12-05T10:00:00Z") }

    func testOpenAlexSingleWork() throws {
        let page = try OpenAlexWorks.read(try bytes("openalex/work_W2741809807.json"), provenance: provenance("http://x/works/W2741809807"))
        XCTAssertEqual(page.records.count, 1)
        let r = page.records[0]
        XCTAssertEqual(r.source.database, .openalex)
        XCTAssertEqual(r.source.id, "W2741809807")
        XCTAssertEqual(r.doi?.value, "10.7717/peerj.4375", "the https://doi.org/ prefix is stripped")
        XCTAssertEqual(r.title, "The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles")
        XCTAssertEqual(r.year, 2018)
        XCTAssertEqual(r.documentType, .article)
        XCTAssertEqual(r.authors.count, 9, "9 authorships")
        XCTAssertEqual(r.authors.first, Author(family: "Piwowar", given: "Heather"))
        XCTAssertEqual(r.sourceTitle, "PeerJ")
        XCTAssertEqual(r.issn, "2167-8359")
        XCTAssertEqual(r.volume, "6")
        XCTAssertEqual(r.pages, "e4375-e4375")
        XCTAssertEqual(r.pmid, "29456894")
        XCTAssertEqual(r.pmcid, "PMC5815332", "ids.pmcid is a URL; the id is rebuilt")
        XCTAssertEqual(r.isOpenAccess, true)
        XCTAssertEqual(r.citedBy, 962)
        XCTAssertTrue(r.affiliations.contains("Impactstory, Sanford, NC, USA"), "raw affiliation strings are kept")
        XCTAssertTrue(r.affiliations.contains("Impact Technology Development (United States)"), "and resolved institutions")
        XCTAssertEqual(Set(r.affiliations).count, r.affiliations.count, "each affiliation once")
        XCTAssertEqual(Array(r.authorKeywords.prefix(2)), ["Scholarly Communication", "Web of science"])
        // The abstract is rebuilt from the inverted index: 258 positions, in order.
        XCTAssertTrue(r.abstract?.hasPrefix("Despite growing interest in Open Access (OA) to scholarly literature, there is an unmet need") == true, r.abstract ?? "nil")
        XCTAssertEqual(r.abstract?.split(separator: " ").count, 258)
        XCTAssertEqual(r.raw.values("lostdata.query"), ["test query"])
        XCTAssertEqual(r.raw.values("lostdata.retrieved"), ["2026-12-05T10:00:00Z"])
    }

    func testJSONNodeParsesEscapesNumbersAndRefusesBrokenText() throws {
        let doc = try JSONNode.parse(Array(#"{"a":"x\"y\u00e9\ud83d\ude00\n","n":[2012,-1.5e3,true,null],"o":{}}"#.utf8))
        XCTAssertEqual(doc["a"]?.string, "x\"yé😀\n")
        XCTAssertEqual(doc["n"]?.array?.map { $0.scalarText ?? "nil" }, ["2012", "-1.5e3", "true", "nil"])
        XCTAssertEqual(doc["n"]?.array?.first?.int, 2012)
        XCTAssertEqual(doc["o"]?.object?.count, 0)
        for broken in [#"{"a":1"#, #"{"a" 1}"#, "[1,]", #""open"#, "tru", "{} x", ""] {
            XCTAssertThrowsError(try JSONNode.parse(Array(broken.utf8)), broken)
        }
    }

    /// A page read with its body parsed ahead (`ParsedBody`, as a walk hands it from the thread
    /// that fetched it) reads the same records, head and errors as the reader's own parse: every
    /// recording, and bodies that are HTML, cut, empty or not JSON.
    func testBodyParsedAheadReadsTheSame() throws {
        typealias Reader = ([UInt8], PageProvenance, ParsedBody?, ((APIPageHead) -> Bool)?) throws(InputError) -> APIPage
        let readers: [(String, Reader)] = [
            ("openalex", { b, p, parsed, head throws(InputError) in try OpenAlexWorks.read(b, provenance: p, parsed: parsed, head: head) }),
            ("crossref", { b, p, parsed, head throws(InputError) in try CrossrefWorks.read(b, provenance: p, parsed: parsed, head: head) }),
            ("europepmc", { b, p, parsed, head throws(InputError) in try EuropePMCSearch.read(b, provenance: p, parsed: parsed, head: head) }),
        ]
        let broken: [[UInt8]] = [Array("<!DOCTYPE html><html>rate limited</html>".utf8), Array(#"{"results": [{"id": "W1""#.utf8), [],
                                 Array("Resource not found.".utf8), Array("[1, 2]".utf8), Array(#"{"meta": {}}"#.utf8)]
        var compared = 0
        for (dir, read) in readers {
            let names = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent(dir).path)
                .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".request.json") }.sorted()
            for body in try names.map({ try bytes(dir + "/" + $0) }) + broken {
                let p = provenance("http://127.0.0.1/\(dir)")
                func outcome(_ parsed: ParsedBody?) -> String {
                    var heads: [String] = []
                    do {
                        let page = try read(body, p, parsed, { heads.append("\($0.total ?? -1) \($0.nextCursor ?? "-") \($0.items)"); return true })
                        // Told to stop at the head, a reader reads no item.
                        let headOnly = try read(body, p, parsed, { _ in false })
                        XCTAssertEqual(headOnly.itemCount, 0)
                        XCTAssertEqual(headOnly.nextCursor, page.nextCursor)
                        return "\(heads) \(page.total ?? -1) \(page.nextCursor ?? "-") \(page.records.map(\.title)) \(page.records.map(\.affiliations)) \(page.rejected.map(\.message))"
                    } catch { return "error: \(error.message) @ \(error.location.file)" }
                }
                let own = outcome(nil)
                XCTAssertEqual(outcome(ParsedBody(body, url: p.url)), own, "\(dir): \(String(decoding: body.prefix(60), as: UTF8.self))")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 20)
    }

    func testInvertedIndexOrder() throws {
        let index = try JSONNode.parse(Array(#"{"b":[1,3],"a":[0],"c":[2.0],"skip":"x","d\u0020e":[4]}"#.utf8))
        XCTAssertEqual(OpenAlexWorks.abstract(fromInvertedIndex: try XCTUnwrap(index.object)), "a b c b d e")
        XCTAssertNil(OpenAlexWorks.abstract(fromInvertedIndex: try XCTUnwrap(JSONNode.parse(Array("{}".utf8)).object)))
    }

    func testCrossrefSingleWork() throws {
        let page = try CrossrefWorks.read(try bytes("crossref/work_10.1038_srep16696.json"), provenance: provenance("http://x/works/10.1038/srep16696"))
        XCTAssertEqual(page.records.count, 1)
        let r = page.records[0]
        XCTAssertEqual(r.source.database, .crossref)
        XCTAssertEqual(r.doi?.value, "10.1038/srep16696")
        XCTAssertEqual(r.title, "Single-molecule FRET studies on alpha-synuclein oligomerization of Parkinson’s disease genetically related mutants")
        XCTAssertEqual(r.rawDocumentType, "journal-article")
        XCTAssertEqual(r.documentType, .article)
        XCTAssertEqual(r.authors.count, 8)
        XCTAssertEqual(r.authors.first, Author(family: "Tosatto", given: "Laura"))
        XCTAssertEqual(r.affiliations, [], "0 authors with affiliation")
        XCTAssertEqual(r.sourceTitle, "Scientific Reports")
        XCTAssertEqual(r.issn, "2045-2322")
        XCTAssertEqual(r.year, 2015)
        XCTAssertEqual(r.volume, "5")
        XCTAssertEqual(r.citedBy, 110)
        XCTAssertTrue(r.abstract?.hasPrefix("Abstract Oligomers of alpha-synuclein are toxic to cells") == true, "JATS markup removed: \(r.abstract ?? "nil")")
        XCTAssertFalse(r.abstract?.contains("<jats:") ?? true)
    }

    func testCrossrefCursorPage() throws {
        let page = try CrossrefWorks.read(try bytes("crossref/works_query_cursor_max_1.json"), provenance: provenance("http://x/works?cursor=*"))
        XCTAssertEqual(page.total, 454)
        XCTAssertEqual(page.records.count, 20)
        XCTAssertEqual(page.records.first?.doi?.value, "10.1007/978-1-4302-0197-7_9")
        XCTAssertTrue(page.nextCursor?.hasPrefix("DnF1ZXJ5VGhlbkZldGNoJAAAAAAd55") == true)
        XCTAssertEqual(page.rejected.count, 0)
    }

    func testCrossrefEmptyAndErrors() throws {
        let empty = try CrossrefWorks.read(try bytes("crossref/works_query_adfaaf_empty.json"), provenance: provenance("http://x/works?query=adfaaf"))
        XCTAssertEqual(empty.total, 0)
        XCTAssertEqual(empty.itemCount, 0)
        XCTAssertNil(empty.nextCursor)
        XCTAssertThrowsError(try CrossrefWorks.read(try bytes("crossref/work_blblbl_404.txt"), provenance: provenance("http://x/works/blblbl"))) { e in
            XCTAssertTrue((e as! InputError).message.contains("Resource not found"))
            XCTAssertEqual((e as! InputError).location.file, "http://x/works/blblbl")
        }
        XCTAssertThrowsError(try CrossrefWorks.read(try bytes("crossref/works_cursor5_500.json"), provenance: provenance("http://x/works?cursor=5"))) { e in
            XCTAssertTrue((e as! InputError).message.contains("status error (exception)"), (e as! InputError).message)
        }
    }

    func testEuropePMCCorePage() throws {
        let page = try EuropePMCSearch.read(try bytes("europepmc/search_cancer_core.json"), provenance: provenance("http://x/search?cursorMark=*"))
        XCTAssertEqual(page.total, 5059039)
        XCTAssertEqual(page.records.count, 25)
        XCTAssertEqual(page.nextCursor, "AoIIP4ZawSg1MzEyODI1MA==")
        let first = page.records[0]
        XCTAssertEqual(first.doi?.value, "10.1016/s0140-6736(24)02600-x")
        XCTAssertEqual(first.source.database, .europepmc)
        XCTAssertEqual(first.source.id, "39709209")
        XCTAssertEqual(first.title, "Abscopal response in a patient with fibrolamellar hepatocellular carcinoma following radiotherapy.")
        XCTAssertEqual(first.authors.first, Author(family: "Schoenfeld", given: "Jonathan D"))
        XCTAssertTrue(first.affiliations.first?.hasPrefix("Department of Radiation Oncology, Brigham and Women's Hospital") == true)
        XCTAssertEqual(first.issn, "0140-6736")
        XCTAssertEqual(first.year, 2025)
        XCTAssertEqual(first.volume, "404")
        XCTAssertEqual(first.issue, "10471")
        XCTAssertEqual(first.pages, "2603-2604")
        XCTAssertEqual(first.rawDocumentType, "Journal Article")
        XCTAssertEqual(first.isOpenAccess, false)
        XCTAssertNil(first.pmcid)
        // The sixth result is open access with a PMCID: what `literature fetch` needs.
        let oa = page.records[5]
        XCTAssertEqual(oa.pmcid, "PMC12120539")
        XCTAssertEqual(oa.isOpenAccess, true)
        XCTAssertEqual(oa.doi?.value, "10.1002/hpja.70059")
        XCTAssertEqual(oa.authors.first, Author(family: "Kwok", given: "Cannas"))
        XCTAssertEqual(page.records.filter { $0.pmcid != nil }.count, 9)
        XCTAssertEqual(page.records.filter { $0.isOpenAccess == true }.count, 8)
        XCTAssertEqual(page.records.filter { $0.doi != nil }.count, 24)
    }

    func testEuropePMCEmpty() throws {
        let page = try EuropePMCSearch.read(try bytes("europepmc/search_no_results.json"), provenance: provenance("http://x/search"))
        XCTAssertEqual(page.total, 0)
        XCTAssertEqual(page.itemCount, 0)
        XCTAssertNil(page.nextCursor)
    }

    func testNotJSONIsRefusedWithAReason() {
        let p = provenance("http://x/works")
        XCTAssertThrowsError(try OpenAlexWorks.read(Array("<!DOCTYPE html><html><body>Rate limited</body></html>".utf8), provenance: p)) { e in
            XCTAssertTrue((e as! InputError).message.contains("HTML page"))
        }
        XCTAssertThrowsError(try OpenAlexWorks.read(Array("{\"meta\":{\"count\":5},\"results\":[{\"id\":\"W1\",".utf8), provenance: p)) { e in
            XCTAssertTrue((e as! InputError).message.contains("not valid JSON"))
        }
        XCTAssertThrowsError(try EuropePMCSearch.read([], provenance: p)) { e in
            XCTAssertTrue((e as! InputError).message.contains("empty"))
        }
        XCTAssertThrowsError(try OpenAlexWorks.read(Array("{\"error\":\"Invalid query parameters error.\",\"message\":\"x\"}".utf8), provenance: p)) { e in
            XCTAssertTrue((e as! InputError).message.contains("Invalid query parameters"))
        }
    }

    func testItemWithoutIDIsRejectedNotDropped() throws {
        let body = "{\"meta\":{\"count\":2,\"next_cursor\":null},\"results\":[{\"id\":\"https://openalex.org/W1\",\"title\":\"A\"},{\"title\":\"no id\"}]}"
        let page = try OpenAlexWorks.read(Array(body.utf8), provenance: provenance("http://x/works"))
        XCTAssertEqual(page.records.count, 1)
        XCTAssertEqual(page.rejected.count, 1)
        XCTAssertEqual(page.rejected[0].location.record, "2")
    }

    /// The same article from an export reader and from the API reader is one article.
    func testAPIRecordMergesWithExportRecordByDOI() throws {
        let api = try OpenAlexWorks.read(try bytes("openalex/work_W2741809807.json"), provenance: provenance("http://x/works/W2741809807")).records
        let csv = "id,doi,title,publication_year,type\nhttps://openalex.org/W1,https://doi.org/10.7717/PEERJ.4375,\"The state of OA\",2018,article\n"
        let export = try Bibliography.read(Array(csv.utf8), file: "oa.csv", format: .openAlexCSV).records
        let analysis = Bibliography.analyse(api + export, rules: ExclusionRules(period: nil))
        XCTAssertEqual(analysis.articles.count, 1)
    }

    /// OpenAlex's work URL is cut to its id in UTF-8 (no array of pieces): the same answers as
    /// splitting on "/" and taking the last non-empty piece, for every shape a value can take.
    func testOpenAlexIDIsWhatFollowsTheLastSlash() {
        let cases = ["https://openalex.org/W2741809807", "W2741809807", "https://openalex.org/W1/", "a//b//", "/", "////", "",
                     "https://openalex.org/Wé1", "ünï/çødé"]
        for c in cases {
            let expected = c.split(separator: "/").last.map(String.init) ?? c
            XCTAssertEqual(RecordBuilder.openAlexShortID(c), expected, c)
        }
        XCTAssertEqual(RecordBuilder.openAlexShortID("https://openalex.org/W2741809807"), "W2741809807")
    }
}
