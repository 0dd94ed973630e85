import Foundation
import XCTest

/// End-to-end tests of `lostdata bib …`, running the built executable.
final class BibCLITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Fixtures/bibliography")
    static let corpus = root.appendingPathComponent("../shared/corpora/bibliography").standardizedFileURL

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    func run(_ args: [String], in directory: URL? = nil) throws -> Run {
        let r = try CLI.run(args, in: directory)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    func corpus(_ name: String) throws -> String {
        let url = Self.corpus.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("../shared is absent: \(url.path)") }
        return url.path
    }

    func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    func json(_ s: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
    }

    func testInspectJSONShapeOnASameQueryPair() throws {
        let r = try run(["bib", "inspect", "--json", try corpus("pybibx_mcda_small_wos.bib"), try corpus("pybibx_mcda_small_scopus.bib")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try json(r.stdout)
        XCTAssertEqual(doc["records"] as? Int, 53)
        let files = try XCTUnwrap(doc["files"] as? [[String: Any]])
        XCTAssertEqual(files.map { $0["format"] as? String }, ["wos-bibtex", "scopus-bibtex"])
        XCTAssertEqual(files.map { $0["records"] as? Int }, [29, 24])
        let unique = try XCTUnwrap(doc["unique"] as? Int)
        XCTAssertEqual(doc["merged"] as? Int, 53 - unique)
        XCTAssertLessThanOrEqual(unique, 53 - 18, "the 18 shared DOIs are merged")
        XCTAssertNotNil(doc["excluded"] as? [String: Int])
        for f in files {
            XCTAssertEqual((f["kept"] as? Int ?? -1) + (f["merged"] as? Int ?? -1) + ((f["rejected"] as? [Any])?.count ?? -1), f["records"] as? Int)
        }
    }

    func testInspectRecordsIsOneJSONObjectPerLine() throws {
        let r = try run(["bib", "inspect", "--records", try corpus("asreview_dino_scopus.csv"), try corpus("asreview_dino_scopus.ris")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 10, "same 10 records in two formats")
        for line in lines {
            let o = try json(String(line))
            for key in ["doi", "title", "year", "documentType", "sources", "excluded"] { XCTAssertTrue(o.keys.contains(key), key) }
            let sources = try XCTUnwrap(o["sources"] as? [[String: Any]])
            XCTAssertEqual(sources.count, 2)
            XCTAssertEqual(Set(sources.compactMap { $0["database"] as? String }), ["scopus"])
            XCTAssertTrue(sources.allSatisfy { $0["line"] is Int && $0["file"] is String && $0["id"] is String })
        }
    }

    func testBadInputExitCodes() throws {
        let binary = try run(["bib", "inspect", fixture("binary.bin")])
        XCTAssertEqual(binary.status, 1)
        XCTAssertEqual(binary.stderr.split(separator: "\n").filter { $0.contains("binary.bin") }.count, 1)
        XCTAssertTrue(binary.stderr.hasPrefix("lostdata: error: "))
        let ragged = try run(["bib", "inspect", "--json", fixture("scopus_2019.csv")])
        XCTAssertEqual(ragged.status, 3, "partial success")
        XCTAssertTrue(ragged.stderr.contains("scopus_2019.csv:4: row has 23 fields but the header has 24"), ragged.stderr)
        let doc = try json(ragged.stdout)
        let file = try XCTUnwrap((doc["files"] as? [[String: Any]])?.first)
        XCTAssertEqual((file["rejected"] as? [[String: Any]])?.compactMap { $0["line"] as? Int }, [4, 6])
    }

    func testStudyWorkflow() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bib-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try run(["init", dir.path]).status, 0)
        let files = [fixture("wos_two_blocks.txt"), fixture("scopus_2025.csv"), fixture("scopus.ris")]
        let first = try run(["bib", "import", "--json", "--study", dir.path] + files)
        XCTAssertEqual(first.status, 3, "scopus.ris has a truncated record")
        let firstDoc = try json(first.stdout)
        let again = try run(["bib", "import", "--json", "--study", dir.path, fixture("wos_two_blocks.txt")])
        let againDoc = try json(again.stdout)
        XCTAssertEqual(againDoc["unique"] as? Int, firstDoc["unique"] as? Int, "importing the same file twice adds nothing")
        XCTAssertEqual(((againDoc["files"] as? [[String: Any]])?.first?["alreadyImported"]) as? Bool, true)

        let excluded = try run(["bib", "list", "--excluded", "--json", "--study", dir.path])
        let rows = try excluded.stdout.split(separator: "\n").map { try json(String($0)) }
        let retracted = try XCTUnwrap(rows.first { $0["exclusion"] as? String == "retraction" })
        let id = try XCTUnwrap(retracted["id"] as? String)
        XCTAssertEqual(try run(["bib", "include", id, "--study", dir.path]).status, 0)
        let included = try run(["bib", "list", "--json", "--study", dir.path]).stdout
        XCTAssertTrue(included.contains(id))
        // A later import rebuilds the list but keeps the decision.
        XCTAssertEqual(try run(["bib", "import", "--study", dir.path, fixture("wos.ris")]).status, 0)
        XCTAssertTrue(try run(["bib", "list", "--json", "--study", dir.path]).stdout.contains(id))
        let show = try run(["bib", "show", "10.1016/J.JPOWSOUR.2019.0001", "--study", dir.path])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("wos_two_blocks.txt:3-25"))
        XCTAssertTrue(show.stdout.contains("by doi") || show.stdout.contains("by same-id"), show.stdout)
        let raw = try run(["bib", "show", "--raw", "WOS:000000000000001", "--study", dir.path])
        XCTAssertTrue(raw.stdout.contains("      UT: WOS:000000000000001"), raw.stdout)
        XCTAssertTrue(raw.stdout.contains("      TI: Imaging lithium dendrites by cryogenic electron"), "raw values as exported")
        for format in ["csv", "ris", "bibtex"] {
            let export = try run(["bib", "export", "--format", format, "--study", dir.path])
            XCTAssertEqual(export.status, 0)
            XCTAssertTrue(export.stdout.contains("Imaging lithium dendrites"), format)
            XCTAssertFalse(export.stdout.contains("Proceedings of the 5th Microscopy Conference"), "\(format): excluded articles stay out")
        }
    }

    func testStudySettingsPeriodPrecedenceAndTranslations() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bib-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try run(["init", dir.path]).status, 0)
        let yaml = dir.appendingPathComponent("study.yaml")
        var text = try String(contentsOf: yaml, encoding: .utf8)
        text += """

        period: {from: 2015, to: 2020}
        bibliography:
          precedence: [scopus]
          translations:
            issns: [03787753]

        """
        try text.write(to: yaml, atomically: true, encoding: .utf8)
        let imported = try run(["bib", "import", "--study", dir.path, fixture("wos_two_blocks.txt"), fixture("scopus_2025.csv"), fixture("scopus.ris")])
        XCTAssertEqual(imported.status, 3, imported.stderr)
        let rows = try run(["bib", "list", "--all", "--json", "--study", dir.path]).stdout.split(separator: "\n").map { try json(String($0)) }
        let byTitle = Dictionary(rows.map { (($0["title"] as? String) ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let lithium = try XCTUnwrap(byTitle["Imaging lithium dendrites by cryogenic electron microscopy of battery interfaces"])
        XCTAssertEqual(lithium["exclusion"] as? String, "translation", "ISSN added in study.yaml")
        XCTAssertEqual(byTitle["Gender-specific visual perturbation effects on gait"]?["exclusion"] as? String, "out-of-range")
        let show = try run(["bib", "show", try XCTUnwrap(lithium["id"] as? String), "--study", dir.path]).stdout
        let sources = show.components(separatedBy: "survivor first:\n")[1]
        XCTAssertTrue(sources.hasPrefix("  scopus "), "precedence puts Scopus first: \(sources)")

        // A typo in the section is an error naming the line, and nothing runs.
        try (text + "  precedense: [wos]\n").write(to: yaml, atomically: true, encoding: .utf8)
        let bad = try run(["bib", "list", "--study", dir.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("unknown key 'precedense'"), bad.stderr)
    }
}
