import Foundation
import XCTest

/// The two query kinds of the paper's Methods that are not text searches, over the loopback
/// replay server: a journal-issue sample for a third-party baseline (Crossref, by ISSN, volume
/// and issue) and the citations of a staff paper (OpenAlex `cites:`). Each asserts the requests
/// sent and the records stored.
final class LiteratureSampleCLITests: XCTestCase {
    static let http = CLI.packageRoot.appendingPathComponent("corpora/demo/http")
    func fixture(_ name: String) -> String { Self.http.appendingPathComponent(name).path }

    func makeStudy() throws -> URL {
        let dir = try CLI.temporaryDirectory().appendingPathComponent("study")
        XCTAssertEqual(try CLI.run(["init", dir.path]).status, 0)
        return dir
    }

    func search(_ study: URL, _ args: [String]) throws -> CLI.Result {
        try CLI.run(["literature", "search", "--study", study.path, "--backoff", "0.01", "--timeout", "2", "--attempts", "2"] + args)
    }

    func object(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    /// The DOIs of the article list.
    func listedDOIs(_ study: URL) throws -> Set<String> {
        let r = try CLI.run(["bib", "list", "--study", study.path, "--all", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return Set(try r.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap { try object(String($0))["doi"] as? String })
    }

    func testJournalIssueSampleAsksForTheJournalAndStoresOnlyTheIssue() throws {
        let cursor = "DnF1ZXJ5VGhlbkZldGNoBgAAAAAABSAMPLE"
        let server = try ReplayServer(routes: [
            ["path": "/c/journals/2155-5435/works", "params": ["cursor": "*"], "responses": [["file": fixture("crossref/journal_issue_sample.json")]]],
            ["path": "/c/journals/2155-5435/works", "params": ["cursor": cursor], "responses": [["file": fixture("crossref/journal_issue_sample_end.json")]]],
        ])
        let study = try makeStudy()
        let r = try search(study, ["--source", "crossref", "--issn", "2155-5435", "--volume", "10", "--issue", "3", "--from", "2020", "--to", "2020",
                                   "--baseline", "ACS Catal.", "--name", "ACS Catal. 10(3)", "--endpoint", "crossref=\(server.base)/c", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let q = try XCTUnwrap((try object(r.stdout)["queries"] as? [[String: Any]])?.first, r.stdout)

        // The requests: the journal's works, narrowed by year, cursor-paged.
        let log = server.log()
        XCTAssertEqual(log.count, 2)
        for entry in log {
            XCTAssertEqual(entry["path"] as? String, "/c/journals/2155-5435/works")
            let params = try XCTUnwrap(entry["query"] as? [String: String])
            XCTAssertEqual(params["filter"], "from-pub-date:2020,until-pub-date:2020")
            XCTAssertEqual(params["rows"], "1000")
            XCTAssertNil(params["query.bibliographic"], "an issue sample is not a text search")
        }
        XCTAssertEqual((log.last?["query"] as? [String: String])?["cursor"], cursor)

        // Three works came; the one of issue 4 is not part of the sample.
        XCTAssertEqual(q["found"] as? Int, 3)
        XCTAssertEqual(q["stored"] as? Int, 2)
        XCTAssertEqual(q["new"] as? Int, 2)
        XCTAssertEqual(q["state"] as? String, "complete")
        XCTAssertEqual(try listedDOIs(study), ["10.5555/acscatal.sample.1", "10.5555/acscatal.sample.2"])
        let show = try CLI.run(["bib", "show", "--study", study.path, "10.5555/acscatal.sample.2"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("Lattice strain in Pt nanoparticles"), show.stdout)
        XCTAssertTrue(show.stdout.contains("ACS Catalysis"), show.stdout)

        // The query keeps its baseline.
        let status = try CLI.run(["literature", "status", "--study", study.path, "--json"])
        XCTAssertEqual(status.status, 0, status.stderr)
        let sq = try XCTUnwrap((try object(status.stdout)["queries"] as? [[String: Any]])?.first, status.stdout)
        XCTAssertEqual(sq["baseline"] as? String, "ACS Catal.")
        XCTAssertEqual(sq["records"] as? Int, 2)
        XCTAssertEqual(sq["name"] as? String ?? sq["query"] as? String, "ACS Catal. 10(3)")

        // Volume and issue without the ISSN are refused before anything is asked.
        let bad = try search(study, ["--source", "crossref", "--volume", "10", "--issue", "3", "--affiliation", "x", "--endpoint", "crossref=\(server.base)/c"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--volume and --issue need --issn"), bad.stderr)
        XCTAssertEqual(server.log().count, 2)
    }

    func testCitesLooksUpTheDOIThenFiltersByTheWorkID() throws {
        let results = (1...2).map { "{\"id\":\"https://openalex.org/W90\($0)\",\"doi\":\"https://doi.org/10.5555/citing.\($0)\",\"title\":\"Citing work \($0)\",\"publication_year\":2019,\"type\":\"article\"}" }
        let page = "{\"meta\":{\"count\":2,\"next_cursor\":null},\"results\":[\(results.joined(separator: ","))]}"
        let server = try ReplayServer(routes: [
            // The recorded work (OpenAlex W2741809807, DOI 10.7717/peerj.4375) answers the DOI lookup.
            ["path": "/o/works/doi:10.7717/peerj.4375", "responses": [["file": fixture("openalex/work_W2741809807.json")]]],
            ["path": "/o/works", "params": ["cursor": "*"], "responses": [["body": page]]],
        ])
        let study = try makeStudy()
        let r = try search(study, ["--source", "openalex", "--cites", "10.7717/PEERJ.4375", "W123", "--from", "2015", "--to", "2020",
                                   "--endpoint", "openalex=\(server.base)/o", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let log = server.log()
        XCTAssertEqual(log.map { $0["path"] as? String }, ["/o/works/doi:10.7717/peerj.4375", "/o/works"], "the DOI is looked up once, a W id is not")
        let params = try XCTUnwrap(log.last?["query"] as? [String: String])
        XCTAssertEqual(params["filter"], "cites:W2741809807|W123,publication_year:2015-2020")
        XCTAssertEqual(params["cursor"], "*")
        XCTAssertEqual(params["per_page"], "200")
        let q = try XCTUnwrap((try object(r.stdout)["queries"] as? [[String: Any]])?.first, r.stdout)
        XCTAssertEqual(q["found"] as? Int, 2)
        XCTAssertEqual(q["new"] as? Int, 2)
        XCTAssertEqual(try listedDOIs(study), ["10.5555/citing.1", "10.5555/citing.2"], "the citing works, not the cited one")

        // A DOI OpenAlex does not know stops the query with the URL named; nothing else is asked.
        let r2 = try search(study, ["--source", "openalex", "--cites", "10.5555/unknown", "--endpoint", "openalex=\(server.base)/o"])
        XCTAssertNotEqual(r2.status, 0)
        XCTAssertTrue(r2.stderr.contains("\(server.base)/o/works/doi:10.5555/unknown"), r2.stderr)
        XCTAssertEqual(server.log().count, 3)
        // Only OpenAlex has a citation filter.
        let r3 = try search(study, ["--source", "crossref", "--cites", "10.7717/peerj.4375"])
        XCTAssertNotEqual(r3.status, 0)
        XCTAssertTrue(r3.stderr.contains("--cites is answered by OpenAlex only"), r3.stderr)
    }
}
