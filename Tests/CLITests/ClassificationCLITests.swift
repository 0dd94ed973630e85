import Foundation
import XCTest

/// Runs the built `lostdata` on a throw-away study whose articles come from
/// Fixtures/classification/demo-articles.ris through `lostdata bib import`, and whose figure counts
/// come from Fixtures/classification/demo-articles.sql, loaded with the sqlite3 shell.
final class ClassificationCLITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Run { var status: Int32; var out: String; var err: String }

    static func run(_ args: [String]) throws -> Run {
        let r = try CLI.run(args)
        return Run(status: r.status, out: r.stdout, err: r.stderr)
    }

    /// A new study with the demo articles; skipped when the executable or sqlite3 is missing.
    static func demoStudy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-classify-\(UUID().uuidString)")
        let created = try run(["init", dir.path])
        XCTAssertEqual(created.status, 0, created.err)
        let bib = try run(["bib", "import", "--quiet", "--study", dir.path,
                           root.appendingPathComponent("Fixtures/classification/demo-articles.ris").path])
        XCTAssertEqual(bib.status, 0, bib.err)
        XCTAssertEqual(try CLI.loadSQL(root.appendingPathComponent("Fixtures/classification/demo-articles.sql"), into: dir), 0)
        return dir
    }

    func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    func testClassifyStudyJSONLines() throws {
        let study = try Self.demoStudy()
        defer { try? FileManager.default.removeItem(at: study) }
        let r = try Self.run(["classify", "--study", study.path, "--json"])
        XCTAssertEqual(r.status, 0, r.err)
        let lines = try jsonLines(r.out)
        XCTAssertEqual(lines.count, 5, "the excluded editorial is not classified")
        let byID = Dictionary(uniqueKeysWithValues: lines.map { ($0["id"] as? String ?? "", $0) })
        XCTAssertNil(byID["doi:10.1000/excl"])
        XCTAssertEqual(byID["doi:10.1000/il1"]?["primary"] as? String, "ionic-liquids")
        XCTAssertEqual(byID["doi:10.1000/mc1"]?["primary"] as? String, "microscopic-control")
        XCTAssertEqual(byID["doi:10.1000/mof1"]?["primary"] as? String, "materials/porous-membranes")
        XCTAssertEqual(byID["doi:10.1000/off1"]?["categories"] as? [String], ["unclassified"])
        let cat = try XCTUnwrap(byID["doi:10.1000/cat1"])
        XCTAssertTrue((cat["categories"] as? [String] ?? []).contains("catalysis/heterogeneous"))
        XCTAssertTrue((cat["categories"] as? [String] ?? []).contains("materials/metal-on-carbon"))
        let evidence = try XCTUnwrap(cat["evidence"] as? [[String: Any]])
        XCTAssertTrue(evidence.contains { $0["field"] as? String == "title" && ($0["text"] as? String ?? "").contains("catalyst") })
        XCTAssertTrue(r.err.contains("classified 5 article(s)"), r.err)
        XCTAssertTrue(r.err.contains("1 excluded article(s) left out"), r.err)
        // Quiet: nothing on stderr.
        let q = try Self.run(["classify", "--study", study.path, "--quiet"])
        XCTAssertEqual(q.status, 0)
        XCTAssertEqual(q.err, "")
        XCTAssertTrue(q.out.contains("| ionic-liquids | 1 | 0 |"), q.out)
    }

    func testSummaryGivesFigure3AAnd3B() throws {
        let study = try Self.demoStudy()
        defer { try? FileManager.default.removeItem(at: study) }
        XCTAssertEqual(try Self.run(["classify", "--study", study.path, "-q"]).status, 0)
        let r = try Self.run(["classify", "summary", "--study", study.path, "--json"])
        XCTAssertEqual(r.status, 0, r.err)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        XCTAssertEqual(root["articles"] as? Int, 5)
        let categories = try XCTUnwrap(root["categories"] as? [[String: Any]])
        XCTAssertEqual(categories.count, 18)
        let ionic = try XCTUnwrap(categories.first { $0["id"] as? String == "ionic-liquids" })
        XCTAssertEqual(ionic["articles"] as? Int, 1)
        XCTAssertEqual(ionic["percent"] as? Double, 20)
        let images = try XCTUnwrap(root["imagesByCategoryAndYear"] as? [[String: Any]])
        // Baseline rows and rows without an article are left out; il1 has only a baseline row.
        XCTAssertEqual(images.map { $0["images"] as? Int ?? -1 }.reduce(0, +), 7 + 6 + 9)
        let catalysis = try XCTUnwrap(images.first { $0["category"] as? String == "catalysis" })
        XCTAssertEqual(catalysis["year"] as? Int, 2019)
        XCTAssertEqual(catalysis["tem"] as? Int, 4)
    }

    func testRulesInitCheckAndEditedRules() throws {
        let study = try Self.demoStudy()
        defer { try? FileManager.default.removeItem(at: study) }
        let rulesFile = study.appendingPathComponent("rules.yaml")
        XCTAssertEqual(try Self.run(["rules", "init", "--study", study.path]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: rulesFile.path))
        XCTAssertEqual(try Self.run(["rules", "init", "--study", study.path]).status, 1, "never overwrites without --force")
        let check = try Self.run(["rules", "check", "--study", study.path])
        XCTAssertEqual(check.status, 0, check.err)
        XCTAssertTrue(check.out.contains("18 categories"), check.out)
        // Break the copy: the error names the file and line.
        var text = try String(contentsOf: rulesFile, encoding: .utf8)
        text = text.replacingOccurrences(of: "ambiguityMargin: 0.2", with: "ambiguityMargin: 0.2\nthreshhold: 3")
        try text.write(to: rulesFile, atomically: true, encoding: .utf8)
        let broken = try Self.run(["classify", "--study", study.path])
        XCTAssertEqual(broken.status, 1)
        // The line of the misspelt key, counted in the edited text (the shipped header may grow).
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("threshhold") }.map { $0 + 1 }
        XCTAssertTrue(broken.err.contains("lostdata: error: \(rulesFile.path):\(line ?? 0): unknown key 'threshhold'"), broken.err)
    }
}

extension ClassificationCLITests {
    func testStudyFileClassificationSection() throws {
        let study = try Self.demoStudy()
        defer { try? FileManager.default.removeItem(at: study) }
        let yaml = study.appendingPathComponent("study.yaml")
        let original = try String(contentsOf: yaml, encoding: .utf8)
        // A margin of 1 flags every article whose runner-up scores above 0 as ambiguous.
        try (original + "\nclassification:\n  ambiguityMargin: 1\n").write(to: yaml, atomically: true, encoding: .utf8)
        let wide = try jsonLines(try Self.run(["classify", "--json", "-q", "--study", study.path]).out)
        let il = try XCTUnwrap(wide.first { $0["id"] as? String == "doi:10.1000/il1" })
        XCTAssertEqual(il["ambiguous"] as? Bool, true, "ionic-liquids 28 vs materials 2 is 'close' with margin 1")
        // A rules file that does not exist is an error naming it.
        try (original + "\nclassification:\n  rules: my-rules.yaml\n").write(to: yaml, atomically: true, encoding: .utf8)
        let missing = try Self.run(["classify", "--study", study.path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("my-rules.yaml: cannot read the rules file"), missing.err)
        // An unknown key in the section names the line.
        try (original + "\nclassification:\n  margin: 1\n").write(to: yaml, atomically: true, encoding: .utf8)
        let typo = try Self.run(["classify", "--study", study.path])
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.err.contains("unknown key 'margin' in the classification section"), typo.err)
    }
}
