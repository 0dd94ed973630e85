import Foundation
import XCTest

/// `lostdata run`'s literature stage (issue 13, point 3): the searches declared under
/// `literature.queries` are repeated by `run` before the bibliography, over the real libcurl client
/// and the loopback replay server (recorded Crossref pages, corpora/demo/http/crossref).
final class RunLiteratureCLITests: XCTestCase {
    static let http = CLI.packageRoot.appendingPathComponent("corpora/demo/http")
    func fixture(_ name: String) -> String { Self.http.appendingPathComponent(name).path }

    func nextCursor(_ name: String) throws -> String {
        let o = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.http.appendingPathComponent(name))) as? [String: Any]
        return try XCTUnwrap((o?["message"] as? [String: Any])?["next-cursor"] as? String)
    }

    /// Two recorded pages of 20 records (40 distinct DOIs), then the recorded empty page.
    func crossrefServer() throws -> ReplayServer {
        try ReplayServer(routes: [
            ["path": "/c/works", "params": ["cursor": "*"], "responses": [["file": fixture("crossref/works_query_cursor_max_1.json")]]],
            ["path": "/c/works", "params": ["cursor": try nextCursor("crossref/works_query_cursor_max_1.json")],
             "responses": [["file": fixture("crossref/works_query_cursor_max_2.json")], ["file": fixture("crossref/works_query_adfaaf_empty.json")]]],
            ["path": "/bad/works", "responses": [["status": 400, "body": "{\"error\":\"Invalid query parameters error.\"}"]]],
        ])
    }

    /// A study with an OpenAlex export of two works: one is the first record of Crossref's page 2
    /// (10.1145/3027385.3027428, with no authors in the export), one is in the export only.
    func makeStudy(literature: String?) throws -> URL {
        let dir = try CLI.temporaryDirectory().appendingPathComponent("study")
        XCTAssertEqual(try CLI.run(["init", dir.path, "-q"]).status, 0)
        try """
            id,doi,title,publication_year,type
            https://openalex.org/W9,https://doi.org/10.1145/3027385.3027428,"Widget, widget as you lead, I am performing well indeed!",2017,article
            https://openalex.org/W8,https://doi.org/10.5555/export.only.1,"An article only the export holds",2020,article

            """.write(to: dir.appendingPathComponent("openalex.csv"), atomically: true, encoding: .utf8)
        var yaml = try String(contentsOf: dir.appendingPathComponent("study.yaml"), encoding: .utf8)
        yaml += "\ninputs:\n  exports: [openalex.csv]\n"
        if let literature { yaml += "\nliterature:\n" + literature }
        try yaml.write(to: dir.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    func run(_ study: URL, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.run(["run", "--study", study.path] + extra)
    }

    /// The summary table's row of `stage`: its status and counts (nil when absent).
    func row(_ r: CLI.Result, _ stage: String) -> [String]? {
        for line in r.stderr.split(separator: "\n") {
            let parts = line.split(separator: " ").map(String.init)
            if parts.first == stage, parts.count >= 2, parts[1] == "ran" || parts[1] == "unchanged," || parts[1] == "not" || parts[1] == "FAILED" {
                return Array(parts.dropFirst())
            }
        }
        return nil
    }

    /// Articles in the list (`bib list --all --json`: one JSON object per line).
    func articles(_ study: URL) throws -> [[String: Any]] {
        let r = try CLI.run(["bib", "list", "--study", study.path, "--all", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func testRunRepeatsDeclaredQueriesAndMergesThemWithTheExports() throws {
        let server = try crossrefServer()
        let study = try makeStudy(literature: """
              endpoints: {crossref: "\(server.base)/c"}
              queries:
                - {name: widget, source: crossref, facility: widget}

            """)
        let first = try run(study)
        XCTAssertNotEqual(first.status, 1, first.stderr)
        // read 40 records, 40 new articles (the list was empty), 0 merged, 0 rejected.
        XCTAssertEqual(row(first, "literature")?.prefix(5), ["ran", "40", "40", "0", "0"], first.stderr)
        XCTAssertTrue(first.stderr.contains("literature: 40 read, 40 kept, 0 merged, 0 rejected, 0 excluded"), first.stderr)
        XCTAssertEqual(row(first, "bibliography")?.first, "ran", first.stderr)
        XCTAssertEqual(server.log().count, 3, "page 1, page 2, the empty page")
        XCTAssertTrue(server.log().allSatisfy { ($0["path"] as? String) == "/c/works" }, "only the endpoint of study.yaml is asked")

        // 40 Crossref works + the export-only one; the shared DOI is one article.
        let list = try articles(study)
        XCTAssertEqual(list.count, 41)
        XCTAssertEqual(Set(list.compactMap { $0["id"] as? String }).count, 41)
        let show = try CLI.run(["bib", "show", "--study", study.path, "10.1145/3027385.3027428"])
        XCTAssertEqual(show.status, 0, show.stderr)
        let fields = Dictionary(show.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
            guard line.hasPrefix("  "), !line.hasPrefix("    "), let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].trimmingCharacters(in: .whitespaces), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(fields["doi"], "10.1145/3027385.3027428", show.stdout)
        XCTAssertEqual(fields["title"], "Widget, widget as you lead, I am performing well indeed!", show.stdout)
        XCTAssertEqual(fields["year"], "2017", show.stdout)
        // Authors come from the Crossref record only (the export has none): the merge kept them.
        XCTAssertEqual(fields["authors"]?.hasPrefix("Scheffel"), true, show.stdout)
        XCTAssertTrue(show.stdout.contains("sources (2)"), show.stdout)
        XCTAssertTrue(show.stdout.contains("crossref") && show.stdout.contains("openalex"), show.stdout)

        // Nothing changed: the literature stage is skipped and nothing is asked.
        let second = try run(study)
        XCTAssertNotEqual(second.status, 1, second.stderr)
        XCTAssertEqual(row(second, "literature")?.first, "unchanged,", second.stderr)
        XCTAssertEqual(server.log().count, 3)
        XCTAssertEqual(try articles(study).count, 41)

        // --force literature walks again (through the fresh cache) and stores nothing twice.
        let forced = try run(study, ["--force", "literature"])
        XCTAssertNotEqual(forced.status, 1, forced.stderr)
        XCTAssertEqual(row(forced, "literature")?.prefix(3), ["ran", "40", "0"], "40 read again, none new: \(forced.stderr)")
        XCTAssertEqual(server.log().count, 3, "answered from .cache/http")
        XCTAssertEqual(try articles(study).count, 41)
        XCTAssertTrue(try CLI.run(["bib", "show", "--study", study.path, "10.1145/3027385.3027428"]).stdout.contains("sources (2)"))
    }

    func testRunWithoutQueriesSaysNotDeclared() throws {
        let study = try makeStudy(literature: nil)
        let r = try run(study)
        XCTAssertNotEqual(r.status, 1, r.stderr)
        XCTAssertEqual(row(r, "literature")?.prefix(2), ["not", "declared"], r.stderr)
        XCTAssertEqual(row(r, "bibliography")?.first, "ran", r.stderr)
        XCTAssertEqual(try articles(study).count, 2)
    }

    func testAFailedQueryStopsTheRunNamingTheURL() throws {
        let server = try crossrefServer()
        let study = try makeStudy(literature: """
              endpoints: {crossref: "\(server.base)/bad"}
              queries:
                - {name: widget, source: crossref, facility: widget}

            """)
        let r = try run(study)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(row(r, "literature")?.first, "FAILED", r.stderr)
        XCTAssertNil(row(r, "bibliography"), "the stages after it do not run: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("\(server.base)/bad/works"), r.stderr)
        XCTAssertTrue(r.stderr.contains("HTTP 400"), r.stderr)

        // --offline never asks the network: with nothing cached it fails naming the URL.
        let before = server.log().count
        let offline = try run(study, ["--offline"])
        XCTAssertEqual(offline.status, 1, offline.stderr)
        XCTAssertTrue(offline.stderr.contains("offline") && offline.stderr.contains("\(server.base)/bad/works"), offline.stderr)
        XCTAssertEqual(server.log().count, before)
    }
}
