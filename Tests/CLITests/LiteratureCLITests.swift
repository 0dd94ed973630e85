import Foundation
import XCTest

/// `lostdata literature …` end to end: the built executable, its real libcurl client, and the
/// loopback replay server serving recorded responses (corpora/demo/http) and injected faults.
final class LiteratureCLITests: XCTestCase {
    static let http = CLI.packageRoot.appendingPathComponent("corpora/demo/http")
    func fixture(_ name: String) -> String { Self.http.appendingPathComponent(name).path }

    /// Short delays: the retry logic is the same, the suite stays fast.
    let patience = ["--backoff", "0.01", "--timeout", "2", "--attempts", "2"]

    func makeStudy() throws -> URL {
        let dir = try CLI.temporaryDirectory().appendingPathComponent("study")
        XCTAssertEqual(try CLI.run(["init", dir.path]).status, 0)
        return dir
    }

    func search(_ study: URL, _ args: [String]) throws -> CLI.Result {
        try CLI.run(["literature", "search", "--study", study.path] + patience + args)
    }

    func json(_ r: CLI.Result) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// Articles in the list (`bib list --all --json` prints one JSON object per line).
    func articleCount(_ study: URL) throws -> Int {
        let r = try CLI.run(["bib", "list", "--study", study.path, "--all", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.count
    }

    /// Europe PMC: one recorded `core` page, then the recorded empty page ends the walk.
    func europePMCRoutes(_ prefix: String = "/e") -> [[String: Any]] {
        [["path": prefix + "/search", "params": ["cursorMark": "*"], "responses": [["file": fixture("europepmc/search_cancer_core.json"), "headers": ["Content-Type": "application/json;charset=UTF-8"]]]],
         ["path": prefix + "/search", "responses": [["file": fixture("europepmc/search_no_results.json")]]]]
    }

    func testEuropePMCSearchStoresRecordsLikeAnImportAndDoesNotAskTwice() throws {
        let server = try ReplayServer(routes: europePMCRoutes())
        let study = try makeStudy()
        let r = try search(study, ["--source", "europepmc", "--affiliation", "Hitachi High-Tech", "--instrument", "SU8000", "HT7700",
                                   "--from", "2011", "--to", "2025", "--endpoint", "europepmc=\(server.base)/e", "--mailto", "lab@example.org", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let q = try XCTUnwrap((try json(r)["queries"] as? [[String: Any]])?.first)
        XCTAssertEqual(q["found"] as? Int, 25)
        XCTAssertEqual(q["stored"] as? Int, 25)
        XCTAssertEqual(q["pages"] as? Int, 2, "the recorded page, then the empty page that ends the walk")
        XCTAssertEqual(q["state"] as? String, "complete")
        XCTAssertEqual(q["total"] as? Int, 5059039)
        XCTAssertEqual((q["new"] as? Int ?? 0) + (q["merged"] as? Int ?? 0), 25)
        let log = server.log()
        XCTAssertEqual(log.count, 2)
        let first = try XCTUnwrap(log.first?["query"] as? [String: String])
        XCTAssertEqual(first["query"], "AFF:\"Hitachi High-Tech\" AND (METHODS:\"SU8000\" OR METHODS:\"HT7700\") AND PUB_YEAR:[2011 TO 2025]")
        XCTAssertEqual(first["resultType"], "core")
        XCTAssertEqual((log[1]["query"] as? [String: String])?["cursorMark"], "AoIIP4ZawSg1MzEyODI1MA==", "page 2 asks for the cursor page 1 gave")
        XCTAssertEqual((log[0]["headers"] as? [String: String])?["user-agent"], "lostdata/0.1.0 (mailto:lab@example.org)")
        XCTAssertEqual(try articleCount(study), 25)
        // The same query again: complete, nothing asked.
        let again = try search(study, ["--source", "europepmc", "--affiliation", "Hitachi High-Tech", "--instrument", "SU8000", "HT7700",
                                       "--from", "2011", "--to", "2025", "--endpoint", "europepmc=\(server.base)/e"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("complete (nothing asked"), again.stdout)
        XCTAssertEqual(server.log().count, 2)
        // --refresh walks again through the cache: fresh entries answer, the server is not asked.
        let refreshed = try search(study, ["--source", "europepmc", "--affiliation", "Hitachi High-Tech", "--instrument", "SU8000", "HT7700",
                                           "--from", "2011", "--to", "2025", "--endpoint", "europepmc=\(server.base)/e", "--refresh", "--json"])
        XCTAssertEqual(refreshed.status, 0, refreshed.stderr)
        XCTAssertEqual(server.log().count, 2, "answered from .cache/http")
        XCTAssertEqual((try json(refreshed)["queries"] as? [[String: Any]])?.first?["stored"] as? Int, 0, "the same page bytes are not stored twice")
        XCTAssertEqual(try articleCount(study), 25)
    }

    func nextCursor(_ name: String) throws -> String {
        let o = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.http.appendingPathComponent(name))) as? [String: Any]
        return try XCTUnwrap((o?["message"] as? [String: Any])?["next-cursor"] as? String)
    }

    func testCrossrefCursorWalkMergesWithAnImportedExport() throws {
        let server = try ReplayServer(routes: [
            ["path": "/c/works", "params": ["cursor": "*"], "responses": [["file": fixture("crossref/works_query_cursor_max_1.json")]]],
            ["path": "/c/works", "params": ["cursor": try nextCursor("crossref/works_query_cursor_max_1.json")],
             // Crossref's cursor stays the same from page to page (recorded): page 2, then the end.
             "responses": [["file": fixture("crossref/works_query_cursor_max_2.json")], ["file": fixture("crossref/works_query_adfaaf_empty.json")]]],
        ])
        // An export that already holds the first DOI of page 2.
        let study = try makeStudy()
        let export = study.deletingLastPathComponent().appendingPathComponent("openalex.csv")
        try "id,doi,title,publication_year,type\nhttps://openalex.org/W9,https://doi.org/10.1145/3027385.3027428,\"x\",2017,article\n".write(to: export, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["bib", "import", "--study", study.path, export.path]).status, 0)
        let r = try search(study, ["--source", "crossref", "--facility", "widget", "--endpoint", "crossref=\(server.base)/c", "--json"])
        let q = try XCTUnwrap((try json(r)["queries"] as? [[String: Any]])?.first, r.stderr)
        let cursors = server.log().compactMap { ($0["query"] as? [String: String])?["cursor"] }
        XCTAssertEqual(cursors.first, "*")
        XCTAssertEqual(cursors.count, 3)
        guard cursors.count == 3 else { return }
        XCTAssertEqual(cursors[1], try nextCursor("crossref/works_query_cursor_max_1.json"))
        XCTAssertEqual(cursors[2], cursors[1], "the same scroll cursor again is not a loop for Crossref")
        XCTAssertEqual(q["found"] as? Int, 40, "two pages of 20, then the empty page")
        XCTAssertGreaterThanOrEqual(q["merged"] as? Int ?? 0, 1, "the exported DOI and the Crossref record are one article")
        XCTAssertEqual(q["state"] as? String, "complete")
        let show = try CLI.run(["bib", "show", "--study", study.path, "10.1145/3027385.3027428"])
        XCTAssertTrue(show.stdout.contains("crossref") && show.stdout.contains("openalex"), show.stdout)
    }

    /// Point 4's faults, each with a message naming the URL, and nothing stored from a bad page.
    func testFaultsNameTheURLAndStoreNothingBroken() throws {
        let html = "<!DOCTYPE html><html><head><title>Error</title></head><body>Too many requests</body></html>"
        let server = try ReplayServer(routes: [
            ["path": "/html/works", "responses": [["body": html, "headers": ["Content-Type": "text/html"]]]],
            ["path": "/cut/works", "responses": [["body": "{\"meta\":{\"count\":3,\"next_cursor\":\"x\"},\"results\":[{\"id\":\"https://openalex.org/W1\","]]],
            ["path": "/busy/works", "responses": [["status": 503, "body": "unavailable"]]],
            ["path": "/bad/works", "responses": [["status": 400, "body": "{\"error\":\"Invalid query parameters error.\"}"]]],
            ["path": "/slow/works", "responses": [["body": "{}", "delay": 3]]],
            ["path": "/reset/works", "responses": [["body": String(repeating: "x", count: 4000), "fault": "reset"]]],
            ["path": "/empty/search", "responses": [["file": fixture("europepmc/search_no_results.json")]]],
        ])
        let study = try makeStudy()
        func fails(_ endpoint: String, _ expect: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let r = try search(study, ["--source", "openalex", "--affiliation", "X \(endpoint)", "--endpoint", "openalex=\(endpoint)"])
            XCTAssertEqual(r.status, 1, "\(endpoint): \(r.stdout) \(r.stderr)", file: file, line: line)
            XCTAssertTrue(r.stderr.contains(endpoint), "names the URL: \(r.stderr)", file: file, line: line)
            XCTAssertTrue(r.stderr.contains(expect), "\(expect) in: \(r.stderr)", file: file, line: line)
        }
        try fails("\(server.base)/html", "HTML page")
        try fails("\(server.base)/cut", "not valid JSON")
        try fails("\(server.base)/busy", "HTTP 503")
        try fails("\(server.base)/bad", "HTTP 400")
        try fails("\(server.base)/slow", "timeout")
        try fails("\(server.base)/reset", "connection-reset")
        try fails("http://lostdata-test.invalid", "dns-failure")
        try fails("http://127.0.0.1:\(ReplayServer.closedPort())", "connection-refused")
        XCTAssertEqual(server.log().filter { ($0["path"] as? String) == "/bad/works" }.count, 1, "a 400 is not retried")
        XCTAssertEqual(server.log().filter { ($0["path"] as? String) == "/busy/works" }.count, 2, "a 503 is retried up to --attempts")
        XCTAssertEqual(try articleCount(study), 0, "no broken page stored anything")
        // The HTML page was not cached: the next run asks again.
        _ = try search(study, ["--source", "openalex", "--affiliation", "X \(server.base)/html", "--endpoint", "openalex=\(server.base)/html"])
        XCTAssertEqual(server.log().filter { ($0["path"] as? String) == "/html/works" }.count, 2)
        // An empty result is a complete walk with nothing found, not an error.
        let empty = try search(study, ["--source", "europepmc", "--affiliation", "Nobody", "--endpoint", "europepmc=\(server.base)/empty", "--json"])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertEqual((try json(empty)["queries"] as? [[String: Any]])?.first?["found"] as? Int, 0)
        // status lists the failed queries with their error.
        let status = try CLI.run(["literature", "status", "--study", study.path])
        XCTAssertTrue(status.stdout.contains("failed"), status.stdout)
        XCTAssertTrue(status.stdout.contains("HTML page"), status.stdout)
    }

    func test429WithAndWithoutRetryAfterRecovers() throws {
        let server = try ReplayServer(routes: [
            ["path": "/a/search", "params": ["cursorMark": "*"], "responses": [["status": 429, "headers": ["Retry-After": "1"]], ["file": fixture("europepmc/search_cancer_page2.json")]]],
            ["path": "/b/search", "params": ["cursorMark": "*"], "responses": [["status": 429, "body": "<html>slow down</html>"], ["file": fixture("europepmc/search_cancer_page2.json")]]],
            ["path": "/a/search", "responses": [["file": fixture("europepmc/search_no_results.json")]]],
            ["path": "/b/search", "responses": [["file": fixture("europepmc/search_no_results.json")]]],
        ])
        let study = try makeStudy()
        for p in ["a", "b"] {
            let r = try search(study, ["--source", "europepmc", "--affiliation", "Q\(p)", "--endpoint", "europepmc=\(server.base)/\(p)", "--json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual((try json(r)["queries"] as? [[String: Any]])?.first?["found"] as? Int, 5)
        }
        let a = server.log().filter { ($0["path"] as? String) == "/a/search" }.map { $0["time"] as! Double }
        guard a.count >= 2 else { return XCTFail("expected a retry, saw \(a.count) request(s)") }
        XCTAssertGreaterThanOrEqual(a[1] - a[0], 0.95, "Retry-After: 1 was honoured")
    }

    /// OpenAlex-shaped pages written here: a repeating cursor, a count that moves, a page that
    /// fails and a resume.
    func page(_ ids: ClosedRange<Int>, count: Int, next: String?) -> String {
        let results = ids.map { "{\"id\":\"https://openalex.org/W\($0)\",\"doi\":\"https://doi.org/10.5555/t.\($0)\",\"title\":\"Work \($0) on SEM imaging\",\"publication_year\":2015,\"type\":\"article\"}" }
        return "{\"meta\":{\"count\":\(count),\"next_cursor\":\(next.map { "\"\($0)\"" } ?? "null")},\"results\":[\(results.joined(separator: ","))]}"
    }

    /// Pages are asked for ahead of the walk (`Lookahead`), but never one the walk would not ask
    /// for: a walk of four pages asks for four, one cut by `--max` asks for the pages it needs.
    func testPagesAskedForAheadAreOnlyThoseTheWalkTakes() throws {
        let routes: [[String: Any]] = [
            ["path": "/w/works", "params": ["cursor": "*"], "responses": [["body": page(1...2, count: 8, next: "c2")]]],
            ["path": "/w/works", "params": ["cursor": "c2"], "responses": [["body": page(3...4, count: 8, next: "c3")]]],
            ["path": "/w/works", "params": ["cursor": "c3"], "responses": [["body": page(5...6, count: 8, next: "c4")]]],
            ["path": "/w/works", "params": ["cursor": "c4"], "responses": [["body": page(7...8, count: 8, next: nil)]]],
        ]
        let whole = try ReplayServer(routes: routes)
        let study = try makeStudy()
        let r = try search(study, ["--source", "openalex", "--affiliation", "Walk", "--endpoint", "openalex=\(whole.base)/w"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(whole.log().map { $0["path"] as? String }, Array(repeating: "/w/works", count: 4))
        XCTAssertEqual(try articleCount(study), 8)
        let cut = try ReplayServer(routes: routes)
        let other = try makeStudy()
        let r2 = try search(other, ["--source", "openalex", "--affiliation", "Walk", "--max", "3", "--endpoint", "openalex=\(cut.base)/w"])
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertEqual(cut.log().count, 2, "pages 1 and 2 hold the 3 records; page 3 is not asked for")
        XCTAssertEqual(try articleCount(other), 3)
    }

    func testRepeatingCursorStopsAndCountChangeIsReported() throws {
        let server = try ReplayServer(routes: [
            ["path": "/loop/works", "params": ["cursor": "*"], "responses": [["body": page(1...3, count: 9, next: "c2")]]],
            ["path": "/loop/works", "params": ["cursor": "c2"], "responses": [["body": page(4...6, count: 12, next: "c2")]]],
        ])
        let study = try makeStudy()
        let r = try search(study, ["--source", "openalex", "--affiliation", "Loop", "--endpoint", "openalex=\(server.base)/loop"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("paging loop"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(server.base)/loop/works"), r.stderr)
        XCTAssertTrue(r.stderr.contains("hit count changed from 9 to 12"), r.stderr)
        XCTAssertEqual(server.log().count, 2, "stopped at the repeated cursor instead of looping")
        XCTAssertEqual(try articleCount(study), 6, "both pages that arrived are stored")
        // Crossref: the same page bytes again is the loop (its cursor repeats by design).
        let crossref = try ReplayServer(routes: [["path": "/cr/works", "responses": [["file": fixture("crossref/works_query_cursor_max_1.json")]]]])
        let r2 = try search(study, ["--source", "crossref", "--affiliation", "Loop", "--endpoint", "crossref=\(crossref.base)/cr"])
        XCTAssertEqual(r2.status, 1)
        XCTAssertTrue(r2.stderr.contains("identical to an earlier page"), r2.stderr)
        XCTAssertEqual(crossref.log().count, 2)
    }

    func testFailedPageKeepsStoredPagesAndTheNextRunResumes() throws {
        let broken = try ReplayServer(routes: [
            ["path": "/w/works", "params": ["cursor": "*"], "responses": [["body": page(1...3, count: 9, next: "c2")]]],
            ["path": "/w/works", "params": ["cursor": "c2"], "responses": [["body": "{\"meta\":{\"count\":9},\"results\":[{\"id\""]]],
        ])
        let study = try makeStudy()
        let first = try search(study, ["--source", "openalex", "--affiliation", "Resume", "--endpoint", "openalex=\(broken.base)/w"])
        XCTAssertEqual(first.status, 1)
        XCTAssertTrue(first.stderr.contains("page 2"), first.stderr)
        XCTAssertEqual(try articleCount(study), 3, "page 1 stays stored")
        let good = try ReplayServer(routes: [
            ["path": "/w/works", "params": ["cursor": "c2"], "responses": [["body": page(4...6, count: 9, next: "c3")]]],
            ["path": "/w/works", "params": ["cursor": "c3"], "responses": [["body": page(7...9, count: 9, next: nil)]]],
        ])
        let second = try search(study, ["--source", "openalex", "--affiliation", "Resume", "--endpoint", "openalex=\(good.base)/w", "--json"])
        XCTAssertEqual(second.status, 0, second.stderr)
        let q = try XCTUnwrap((try json(second)["queries"] as? [[String: Any]])?.first)
        XCTAssertEqual(q["resumedAtPage"] as? Int, 2)
        XCTAssertEqual(good.log().compactMap { ($0["query"] as? [String: String])?["cursor"] }, ["c2", "c3"], "page 1 was not asked again")
        XCTAssertEqual(try articleCount(study), 9)
    }

    /// `kill -9` in the middle of a walk: the re-run resumes after the last stored page and
    /// stores nothing twice. (The kill waits until pages 1 and 2 are stored — the walk commits a
    /// page within a quarter second, not at once — and page 3 is asked for.)
    func testKilledSearchResumesWithoutDuplicates() throws {
        let slow = try ReplayServer(routes: [
            ["path": "/k/works", "params": ["cursor": "*"], "responses": [["body": page(1...3, count: 9, next: "c2")]]],
            ["path": "/k/works", "params": ["cursor": "c2"], "responses": [["body": page(4...6, count: 9, next: "c3")]]],
            ["path": "/k/works", "params": ["cursor": "c3"], "responses": [["body": page(7...9, count: 9, next: nil), "delay": 30]]],
        ])
        let study = try makeStudy()
        let process = Process()
        process.executableURL = try CLI.executable
        process.arguments = ["literature", "search", "--study", study.path, "--source", "openalex", "--affiliation", "Kill",
                             "--endpoint", "openalex=\(slow.base)/k", "--timeout", "60"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        func storedPages() -> Int {
            guard let status = try? CLI.run(["literature", "status", "--study", study.path, "--json"]),
                  let q = ((try? json(status))?["queries"] as? [[String: Any]])?.first else { return 0 }
            return q["pages"] as? Int ?? 0
        }
        while Date() < deadline, !slow.log().contains(where: { ($0["query"] as? [String: String])?["cursor"] == "c3" }) || storedPages() < 2 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertEqual(storedPages(), 2, "killed with pages 1 and 2 stored and page 3 asked for")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        let fast = try ReplayServer(routes: [
            ["path": "/k/works", "params": ["cursor": "c3"], "responses": [["body": page(7...9, count: 9, next: nil)]]],
            ["path": "/k/works", "responses": [["body": page(1...3, count: 9, next: "c2")]]],
        ])
        let r = try search(study, ["--source", "openalex", "--affiliation", "Kill", "--endpoint", "openalex=\(fast.base)/k", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let q = try XCTUnwrap((try json(r)["queries"] as? [[String: Any]])?.first)
        XCTAssertEqual(q["resumedAtPage"] as? Int, 3)
        XCTAssertEqual(fast.log().compactMap { ($0["query"] as? [String: String])?["cursor"] }, ["c3"])
        XCTAssertEqual(try articleCount(study), 9, "nothing stored twice")
        let status = try CLI.run(["literature", "status", "--study", study.path, "--json"])
        let s = try XCTUnwrap((try json(status)["queries"] as? [[String: Any]])?.first)
        XCTAssertEqual(s["records"] as? Int, 9)
        XCTAssertEqual(s["pages"] as? Int, 3)
        XCTAssertEqual(s["state"] as? String, "complete")
    }

    func testFetchStoresJATSWithManifestAndListsMissing() throws {
        let jats = try String(contentsOfFile: fixture("europepmc/PMC6197725_fullTextXML.xml"), encoding: .utf8)
        let server = try ReplayServer(routes: europePMCRoutes() + [
            ["path": "/e/PMC12120539/fullTextXML", "responses": [["file": fixture("europepmc/PMC6197725_fullTextXML.xml"), "headers": ["Content-Type": "application/xml"]]]],
            ["path": "/e/PMC12120539/supplementaryFiles", "responses": [["body": "PK\u{03}\u{04}fake-zip", "headers": ["Content-Type": "application/zip"]]]],
            ["path": "/e/PMC12124214/fullTextXML", "responses": [["body": String(jats.prefix(5000))]]],
        ])
        let study = try makeStudy()
        XCTAssertEqual(try search(study, ["--source", "europepmc", "--affiliation", "Fetch", "--endpoint", "europepmc=\(server.base)/e"]).status, 0)
        let r = try CLI.run(["literature", "fetch", "--study", study.path, "--supplements", "--json", "--endpoint", "europepmc=\(server.base)/e"] + patience)
        let out = try json(r)
        let stored = out["stored"] as? [[String: Any]] ?? []
        XCTAssertEqual(stored.map { $0["pmcid"] as? String }, ["PMC12120539"], r.stderr)
        let file = study.appendingPathComponent("fulltext/PMC12120539.xml")
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), jats)
        XCTAssertTrue(FileManager.default.fileExists(atPath: study.appendingPathComponent("fulltext/PMC12120539-supplementary.zip").path))
        let missing = out["missing"] as? [[String: Any]] ?? []
        XCTAssertEqual(missing.count, 25 - 2, "every article but the stored and the failed one is listed as missing")
        XCTAssertTrue(missing.contains { ($0["detail"] as? String)?.contains("no PMCID") == true })
        XCTAssertTrue(missing.contains { ($0["detail"] as? String)?.contains("HTTP 404") == true })
        let failed = out["failed"] as? [[String: Any]] ?? []
        XCTAssertEqual(failed.map { $0["pmcid"] as? String }, ["PMC12124214"])
        XCTAssertTrue((failed.first?["detail"] as? String)?.contains("invalid XML") == true, "\(failed)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: study.appendingPathComponent("fulltext/PMC12124214.xml").path), "a cut JATS is not written")
        XCTAssertEqual(r.status, 3, "done, with a failure reported")
        // The manifest carries the checksum of the stored bytes (sha256sum's answer).
        let manifest = try String(contentsOf: study.appendingPathComponent("fulltext/manifest.csv"), encoding: .utf8)
        let sha = Process()
        sha.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sha.arguments = [file.path]
        let pipe = Pipe()
        sha.standardOutput = pipe
        try sha.run()
        sha.waitUntilExit()
        let expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        XCTAssertTrue(manifest.contains(String(expected)), manifest)
        XCTAssertTrue(manifest.contains("http://creativecommons.org/licenses/by/4.0/"), "licence from the JATS <license>")
        // A second run fetches only what is not stored yet.
        let before = server.log().filter { ($0["path"] as? String) == "/e/PMC12120539/fullTextXML" }.count
        let again = try json(try CLI.run(["literature", "fetch", "--study", study.path, "--json", "--endpoint", "europepmc=\(server.base)/e"] + patience))
        XCTAssertEqual(again["alreadyStored"] as? Int, 1)
        XCTAssertEqual(server.log().filter { ($0["path"] as? String) == "/e/PMC12120539/fullTextXML" }.count, before)
        // A stored file deleted by hand is fetched again (here from the response cache), not
        // counted as stored.
        try FileManager.default.removeItem(at: file)
        let status = try json(try CLI.run(["literature", "status", "--study", study.path, "--json"]))
        let entry = (status["articles"] as? [[String: Any]])?.first { ($0["pmcid"] as? String) == "PMC12120539" }
        XCTAssertEqual(entry?["status"] as? String, "deleted", "\(status)")
        let refetched = try json(try CLI.run(["literature", "fetch", "--study", study.path, "--json", "--endpoint", "europepmc=\(server.base)/e"] + patience))
        XCTAssertEqual(refetched["alreadyStored"] as? Int, 0)
        XCTAssertEqual((refetched["stored"] as? [[String: Any]])?.map { $0["pmcid"] as? String }, ["PMC12120539"])
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), jats)
        // figures import picks the file up.
        let figures = try CLI.run(["figures", "count", study.appendingPathComponent("fulltext").path])
        XCTAssertEqual(figures.status, 0, figures.stderr)
    }

    func testOfflineAnswersFromTheCacheAndSaysWhatItLacks() throws {
        let server = try ReplayServer(routes: europePMCRoutes())
        let study = try makeStudy()
        XCTAssertEqual(try search(study, ["--source", "europepmc", "--affiliation", "Off", "--endpoint", "europepmc=\(server.base)/e"]).status, 0)
        let cached = try search(study, ["--source", "europepmc", "--affiliation", "Off", "--endpoint", "europepmc=\(server.base)/e", "--refresh", "--offline", "--json"])
        XCTAssertEqual(cached.status, 0, cached.stderr)
        XCTAssertEqual((try json(cached)["queries"] as? [[String: Any]])?.first?["found"] as? Int, 25)
        let lacking = try search(study, ["--source", "europepmc", "--affiliation", "Never asked", "--endpoint", "europepmc=\(server.base)/e", "--offline"])
        XCTAssertEqual(lacking.status, 1)
        XCTAssertTrue(lacking.stderr.contains("offline") && lacking.stderr.contains("has no answer"), lacking.stderr)
        XCTAssertEqual(server.log().count, 2, "offline never asked the server")
    }

    func testQueriesAndEndpointsDeclaredInStudyFile() throws {
        let server = try ReplayServer(routes: europePMCRoutes())
        let study = try makeStudy()
        let yaml = study.appendingPathComponent("study.yaml")
        var text = try String(contentsOf: yaml, encoding: .utf8)
        text += """

        literature:
          mailto: facility@example.org
          endpoints: {europepmc: "\(server.base)/e"}
          rates: {europepmc: 20}
          queries:
            - name: instruments in methods
              source: europepmc
              instruments: [SU8000, HT7700]
              from: 2011
              to: 2023

        """
        try text.write(to: yaml, atomically: true, encoding: .utf8)
        let r = try search(study, [])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("instruments in methods"), r.stdout)
        XCTAssertEqual((server.log().first?["headers"] as? [String: String])?["user-agent"], "lostdata/0.1.0 (mailto:facility@example.org)")
        // Strict: an unknown key is an error naming the line.
        try (text + "  colour: blue\n").write(to: yaml, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["literature", "status", "--study", study.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("colour"), bad.stderr)
    }

    /// Out-of-range network settings are usage errors before any transfer: `--timeout inf`
    /// reached libcurl as Int(inf × 1000) and trapped.
    func testNetworkSettingsOutOfRangeAreUsageErrors() throws {
        let study = try makeStudy()
        for (args, expect) in [(["--timeout", "inf"], "--timeout must be"), (["--timeout", "0"], "--timeout must be"),
                               (["--timeout", "nan"], "--timeout must be"), (["--backoff=-1"], "--backoff must be"),
                               (["--attempts", "0"], "--attempts must be")] {
            let r = try CLI.run(["literature", "search", "--study", study.path, "--source", "openalex",
                                 "--endpoint", "openalex=http://127.0.0.1:9", "--affiliation", "X"] + args)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssertTrue(r.stderr.contains(expect), "\(args): \(r.stderr)")
        }
    }
}
