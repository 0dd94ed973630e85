import Foundation
import XCTest

/// `lostdata table1` on the bundled paper study, in every format, as a user runs it.
final class Table1CLITests: XCTestCase {
    let study = ["--study", "corpora/lost-data-2024"]

    func testMarkdownIsThePapersTable() throws {
        let r = try CLI.run(["table1"] + study)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        for row in [
            "| Number of acquired images | 119557 | 32540 | 152097 | No data | No data | No data | No data |",
            "| Number of published articles | 238 | 94 | 292 | 158 | 38 | 122 | 200 |",
            "| Number of published images | 3054 | 523 | 3577 | 1624 | 274 | 818 | 2766 |",
            "| Average number of images per article | 12.83 | 5.56 | 12.25 | 10.28 | 7.21 | 6.70 | 13.83 |",
            "| Published data, % | 2.55 | 1.61 | 2.35 | — | — | — | — |",
            "| Lost data, % | 97.45 | 98.39 | 97.65 | — | — | — | — |",
        ] {
            XCTAssertTrue(r.stdout.contains(row), "missing row: \(row)\n\(r.stdout)")
        }
    }

    func testEveryFormat() throws {
        let expectations: [String: String] = [
            "csv": "Average number of images per article,12.83,5.56,12.25,10.28,7.21,6.70,13.83",
            "json": "{\"technique\":\"TOTAL\",\"acquired\":152097,\"articles\":292,\"images\":3577,\"imagesPerArticle\":12.25,\"publishedPercent\":2.35,\"lostPercent\":97.65}",
            "latex": "Lost data, \\% & 97.45 & 98.39 & 97.65 & --- & --- & --- & --- \\\\",
            "html": "<tr><th scope=\"row\">Number of published articles</th><td>238</td><td>94</td><td>292</td><td>158</td><td>38</td><td>122</td><td>200</td></tr>",
            "markdown": "| Data type | **SEM** | **TEM** | **TOTAL** | **SEM** | **STEM** | **TEM** | **TOTAL** |",
        ]
        for (format, line) in expectations {
            let r = try CLI.run(["table1", "--format", format] + study)
            XCTAssertEqual(r.status, 0, "\(format): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains(line), "\(format) lacks \(line)\n\(r.stdout)")
        }
        let json = try CLI.run(["table1", "--json"] + study)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)))
    }

    func testTrimOutliersWithAndWithoutAValue() throws {
        for args in [["--trim-outliers"], ["--trim-outliers", "50"]] {
            let r = try CLI.run(["table1"] + args + study)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("| Number of published articles | 231 | 92 | 284 |"), r.stdout)
            XCTAssertTrue(r.stdout.contains("| Number of published images | 1478 | 375 | 1853 |"), r.stdout)
            XCTAssertTrue(r.stdout.contains("after 284 articles, 1853 images (6.52 per article)"), r.stdout)
        }
        // The option may also stand last, with the study before it.
        let last = try CLI.run(["table1"] + study + ["--trim-outliers"])
        XCTAssertTrue(last.stdout.contains("8 articles removed"), last.stdout)
    }

    func testInitThenTable1AndOutputFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = dir.appendingPathComponent("s").path
        let made = try CLI.run(["init", s])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(try CLI.run(["init", s]).status, 1, "a second init refuses")
        // The template's facility has no data yet: zeros, warnings on stderr.
        let out = dir.appendingPathComponent("t.csv").path
        let r = try CLI.run(["table1", "--study", s, "--format", "csv", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("run `lostdata archive scan`") || r.stderr.contains("warning"), r.stderr)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("Data source,Core user facility"))
    }

    func testErrorsAndExitCodes() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Not a study: exit 1, message names the file.
        let none = try CLI.run(["table1", "--study", dir.path])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("\(dir.path)/study.yaml"), none.stderr)
        // A typo in study.yaml: exit 1 with the line.
        try "name: t\nsorces: []\n".write(to: dir.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        let typo = try CLI.run(["table1", "--study", dir.path])
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.stderr.contains("study.yaml:2: unknown key 'sorces'"), typo.stderr)
        // A bad row in the counts CSV: the table is printed, the row named, exit 3.
        try "name: t\nsources:\n  - {name: F, techniques: [SEM], acquired: {SEM: 10}, articles: c.csv}\n"
            .write(to: dir.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        try "id,SEM\na,1\nb,?\n".write(to: dir.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        let partial = try CLI.run(["table1", "--study", dir.path])
        XCTAssertEqual(partial.status, 3)
        XCTAssertTrue(partial.stderr.contains("c.csv:3:"), partial.stderr)
        XCTAssertTrue(partial.stdout.contains("| Number of published images | 1 | 1 |"), partial.stdout)
        // Usage errors: exit 2.
        XCTAssertEqual(try CLI.run(["table1", "--format", "pdf"] + study).status, 2)
        XCTAssertEqual(try CLI.run(["no-such-command"]).status, 2)
    }

    func testVersionAndHelp() throws {
        let v = try CLI.run(["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertTrue(v.stdout.range(of: #"^\d+\.\d+\.\d+"#, options: .regularExpression) != nil, v.stdout)
        let h = try CLI.run(["--help"])
        XCTAssertEqual(h.status, 0)
        XCTAssertTrue(h.stdout.contains("table1"))
        XCTAssertTrue(h.stdout.contains("init"))
    }
}
