@testable import Catalogue
import Foundation
import XCTest

/// `lostdata catalogue report` and `--trim-outliers` against the test server: two facilities
/// pushed, their studies' own `lostdata report` / `table1` as the reference.
final class CatalogueReportTests: XCTestCase {
    static let hostile = "<img src=x onerror=alert(1)> & \"Q\" Facility"

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try CLI.capture(try CatalogueCLITests.executable, arguments, environment: CatalogueCLITests.environment([:]))
        return (r.status, r.stdout, r.stderr)
    }

    func url(_ a: CatalogueAddress) -> String { "postgres://\(a.user)@127.0.0.1:\(a.port)/\(a.database)?sslmode=disable" }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func jsonFile(_ url: URL) throws -> [String: Any] { try json(String(contentsOf: url, encoding: .utf8)) }

    func sources(_ table: Any?) throws -> [[String: Any]] { try XCTUnwrap((table as? [String: Any])?["sources"] as? [[String: Any]]) }

    func chart(_ charts: Any?, _ id: String) throws -> [String: Any] {
        try XCTUnwrap((charts as? [[String: Any]])?.first { $0["id"] as? String == id }, "no chart \(id)")
    }

    /// The two facilities pushed through the CLI, and a temporary folder.
    func pushedPair() async throws -> (address: CatalogueAddress, a: FacilityStudy, b: FacilityStudy, tmp: URL) {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("report")
        let a = try await FacilityStudy.make(name: "Facility A", images: 600, seed: 31, articles: 25)
        let b = try await FacilityStudy.make(name: Self.hostile, images: 400, seed: 32, articles: 18)
        for f in [a, b] {
            let pushed = try run(["catalogue", "push", "--study", f.directory.path, "--to", url(address), "-q"])
            XCTAssertEqual(pushed.status, 0, pushed.stderr)
        }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-catreport-\(UUID().uuidString)")
        return (address, a, b, tmp)
    }

    func testCatalogueReportEqualsTheSumOfTheStudiesOwnReports() async throws {
        let (address, a, b, tmp) = try await pushedPair()
        defer { a.remove(); b.remove(); try? FileManager.default.removeItem(at: tmp) }
        let out = tmp.appendingPathComponent("catalogue")
        let made = try run(["catalogue", "report", "--from", url(address), "--out", out.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let report = try jsonFile(out.appendingPathComponent("report.json"))
        var own: [[String: Any]] = []
        for (i, f) in [a, b].enumerated() {
            let dir = tmp.appendingPathComponent("study\(i)")
            let r = try run(["report", "--study", f.directory.path, "--out", dir.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            own.append(try jsonFile(dir.appendingPathComponent("report.json")))
        }
        // Facilities by name: the hostile one ("<…") sorts before "Facility A".
        let order = [1, 0]
        let facilities = try XCTUnwrap(report["facilities"] as? [[String: Any]])
        XCTAssertEqual(facilities.map { $0["name"] as? String }, [Self.hostile, "Facility A"])

        // Table 1 (plain and trimmed at the default 50, as the study report): each facility's
        // source is its study's own, the network their sum.
        XCTAssertEqual(report["outlierThreshold"] as? Int, 50)
        for key in ["table1", "table1Trimmed"] {
            let catalogue = try sources(report[key])
            XCTAssertEqual(catalogue.count, 3)
            for (slot, study) in order.enumerated() {
                XCTAssertEqual(NSDictionary(dictionary: catalogue[slot]), NSDictionary(dictionary: try sources(own[study][key])[0]), "\(key) \(slot)")
            }
            let network = try XCTUnwrap(catalogue[2]["columns"] as? [[String: Any]])
            for column in network {
                for field in ["acquired", "articles", "images"] {
                    // Unknown (null) in a facility is unknown in the network too.
                    let parts = try order.map { s -> Int? in
                        let cols = try XCTUnwrap(try sources(own[s][key])[0]["columns"] as? [[String: Any]])
                        let cell = cols.first { $0["technique"] as? String == column["technique"] as? String }?[field]
                        XCTAssertNotNil(cell, "\(key) \(column)")
                        return (cell as? NSNumber)?.intValue
                    }
                    XCTAssertEqual((column[field] as? NSNumber)?.intValue, parts.contains(nil) ? nil : parts.reduce(0) { $0 + $1! }, "\(key) network \(column["technique"]!) \(field)")
                }
            }
        }

        // Fig 2A and Fig 2B: per facility exactly the study's chart; combined the sum per category and series.
        for id in ["fig2a-acquired-per-year", "fig2b-acquired-per-decade"] {
            var expected: [String: [String: Int]] = [:]
            for (slot, study) in order.enumerated() {
                let mine = try chart(facilities[slot]["charts"], id), theirs = try chart(own[study]["charts"], id)
                XCTAssertNotNil(theirs["series"], "the study's \(id) is a chart")
                XCTAssertEqual(NSDictionary(dictionary: mine), NSDictionary(dictionary: theirs), id)
                let categories = try XCTUnwrap(theirs["categories"] as? [String])
                for s in try XCTUnwrap(theirs["series"] as? [[String: Any]]) {
                    for (i, v) in try XCTUnwrap(s["values"] as? [Int]).enumerated() {
                        expected[s["name"] as! String, default: [:]][categories[i], default: 0] += v
                    }
                }
            }
            let combined = try chart(report["charts"], id)
            let categories = try XCTUnwrap(combined["categories"] as? [String])
            var seen: [String: [String: Int]] = [:]
            for s in try XCTUnwrap(combined["series"] as? [[String: Any]]) {
                for (i, v) in try XCTUnwrap(s["values"] as? [Int]).enumerated() where v > 0 { seen[s["name"] as! String, default: [:]][categories[i]] = v }
            }
            XCTAssertEqual(seen, expected.mapValues { $0.filter { $0.value > 0 } }, id)
            XCTAssertGreaterThan(expected.values.flatMap(\.values).reduce(0, +), 0)
        }
        // Lost per year: these studies have no dated articles, so neither report draws it.
        XCTAssertNotNil(try chart(report["charts"], "lost-per-year")["missing"])

        // The page: self-contained, the hostile name escaped everywhere.
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertFalse(html.contains("<img"), "a facility's name became markup")
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Q&quot; Facility"), "the name is shown, escaped")
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 6, "Fig 2A and 2B for the network and each of 2 facilities (lost per year has no data here)")
    }

    func testTrimOutliersEqualsTheSumOfTheStudiesTrimmedTable1() async throws {
        let (address, a, b, tmp) = try await pushedPair()
        defer { a.remove(); b.remove(); try? FileManager.default.removeItem(at: tmp) }
        for (args, threshold) in [(["--trim-outliers", "10"], 10), (["--trim-outliers"], 50)] {
            let catalogue = try run(["catalogue", "table1", "--from", url(address), "--format", "json"] + args)
            XCTAssertEqual(catalogue.status, 0, catalogue.stderr)
            let table = try sources(try json(catalogue.stdout))
            var trimmedArticles = 0
            var before = 0, after = 0
            for (slot, f) in [b, a].enumerated() {
                let own = try run(["table1", "--study", f.directory.path, "--format", "json", "--trim-outliers", String(threshold)])
                XCTAssertEqual(own.status, 0, own.stderr)
                let source = try sources(try json(own.stdout))[0]
                XCTAssertEqual(NSDictionary(dictionary: table[slot]), NSDictionary(dictionary: source), "threshold \(threshold), facility \(slot)")
                let trim = try XCTUnwrap(source["trim"] as? [String: Any])
                trimmedArticles += (trim["trimmed"] as? [Any])?.count ?? 0
                before += (trim["before"] as? [String: Any])?["images"] as? Int ?? 0
                after += (trim["after"] as? [String: Any])?["images"] as? Int ?? 0
            }
            let networkTrim = try XCTUnwrap(table[2]["trim"] as? [String: Any])
            XCTAssertEqual((networkTrim["trimmed"] as? [Any])?.count, trimmedArticles)
            XCTAssertEqual((networkTrim["before"] as? [String: Any])?["images"] as? Int, before)
            XCTAssertEqual((networkTrim["after"] as? [String: Any])?["images"] as? Int, after)
            if threshold == 10 { XCTAssertGreaterThan(trimmedArticles, 0, "the fixture has no article over 10 images; the test proves nothing") }
        }
        // The report's trimmed table takes the same threshold.
        let out = tmp.appendingPathComponent("r")
        let made = try run(["catalogue", "report", "--from", url(address), "--out", out.path, "--trim-outliers", "10", "--facility", "Facility A"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let report = try jsonFile(out.appendingPathComponent("report.json"))
        XCTAssertEqual(report["outlierThreshold"] as? Int, 10)
        let own = try run(["table1", "--study", a.directory.path, "--format", "json", "--trim-outliers", "10"])
        XCTAssertEqual(NSDictionary(dictionary: try sources(report["table1Trimmed"])[0]), NSDictionary(dictionary: try sources(try json(own.stdout))[0]))
        XCTAssertEqual(try sources(report["table1Trimmed"]).count, 2, "one facility and the network")
    }
}
