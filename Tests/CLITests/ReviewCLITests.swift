import Foundation
import XCTest

/// `lostdata review export / import / status` end to end, and the promise that classifying
/// again never overwrites a decision.
final class ReviewCLITests: XCTestCase {
    typealias CLI = ClassificationCLITests

    /// Fills decision cells of an exported sheet: id → (categories, primary, reviewer, note).
    static func fill(_ url: URL, _ decisions: [String: [String]]) throws -> URL {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        for (i, line) in lines.enumerated() {
            for (id, cells) in decisions where line.hasPrefix(id + ",") {
                // The last five cells are current_decision and the four decision columns, all empty on export.
                XCTAssertTrue(line.hasSuffix(",,,,,"), line)
                lines[i] = String(line.dropLast(3)) + cells.map { "\"\($0)\"" }.joined(separator: ",")
            }
        }
        let out = url.deletingLastPathComponent().appendingPathComponent("filled-\(UUID().uuidString).csv")
        try (lines.joined(separator: "\r\n") + "\r\n").write(to: out, atomically: true, encoding: .utf8)
        return out
    }

    func testExportImportStatusAndDecisionsSurviveReclassification() throws {
        let study = try CLI.demoStudy()
        defer { try? FileManager.default.removeItem(at: study) }
        let s = ["--study", study.path]
        XCTAssertEqual(try CLI.run(["classify", "-q"] + s).status, 0)
        let sheet = study.appendingPathComponent("review.csv")
        let exported = try CLI.run(["review", "export", sheet.path] + s)
        XCTAssertEqual(exported.status, 0, exported.err)
        XCTAssertTrue(try String(contentsOf: sheet, encoding: .utf8).hasPrefix("id,doi,title,year,suggested_categories,suggested_primary"))

        // A bad sheet: every problem reported with its line, nothing recorded.
        let bad = try Self.fill(sheet, ["doi:10.1000/il1": ["materials/rubber", "", "Ada", ""],
                                   "doi:10.1000/mof1": ["accept", "", "", ""]])
        let rejected = try CLI.run(["review", "import", bad.path, "--reviewer", ""] + s)
        XCTAssertEqual(rejected.status, 1)
        XCTAssertTrue(rejected.err.contains("\(bad.path):3 (record doi:10.1000/il1): unknown category 'materials/rubber'"), rejected.err)
        XCTAssertTrue(rejected.err.contains("\(bad.path):5 (record doi:10.1000/mof1): no reviewer"), rejected.err)
        XCTAssertTrue(rejected.err.contains("nothing was recorded"), rejected.err)
        XCTAssertTrue(try CLI.run(["review", "status"] + s).out.contains("reviewed     0"))

        // A good sheet: a correction and a confirmation.
        let good = try Self.fill(sheet, ["doi:10.1000/cat1": ["catalysis/heterogeneous", "", "Ada", "Pd/C is a solid support"],
                                    "doi:10.1000/il1": ["accept", "", "Ada", ""]])
        let imported = try CLI.run(["review", "import", good.path] + s)
        XCTAssertEqual(imported.status, 0, imported.err)
        XCTAssertTrue(imported.err.contains("recorded 2 decision(s)"), imported.err)
        let again = try CLI.run(["review", "import", good.path] + s)
        XCTAssertTrue(again.err.contains("recorded 0 decision(s); 2 unchanged"), again.err)

        let status = try CLI.run(["review", "status", "--json"] + s)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any])
        XCTAssertEqual(root["articles"] as? Int, 5)
        XCTAssertEqual(root["reviewed"] as? Int, 1)
        XCTAssertEqual(root["pending"] as? Int, 3)
        XCTAssertEqual(root["disagreeing"] as? Int, 1)
        let disagreement = try XCTUnwrap((root["disagreements"] as? [[String: Any]])?.first)
        XCTAssertEqual(disagreement["id"] as? String, "doi:10.1000/cat1")
        XCTAssertEqual(disagreement["decision"] as? [String], ["catalysis/heterogeneous", "catalysis"])
        XCTAssertEqual(disagreement["author"] as? String, "Ada")

        // Classify again: the decision stands and is listed as a disagreement.
        let rerun = try CLI.run(["classify"] + s)
        XCTAssertEqual(rerun.status, 0)
        XCTAssertTrue(rerun.err.contains("article doi:10.1000/cat1: the decision (catalysis/heterogeneous; catalysis) differs"), rerun.err)
        let summary = try CLI.run(["classify", "summary", "--json"] + s)
        let sroot = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(summary.out.utf8)) as? [String: Any])
        let cats = try XCTUnwrap(sroot["categories"] as? [[String: Any]])
        XCTAssertEqual(cats.first { $0["id"] as? String == "catalysis/homogeneous-nano" }?["articles"] as? Int, 0,
                       "the person's correction counts in Figure 3A")
        XCTAssertEqual(cats.first { $0["id"] as? String == "catalysis/heterogeneous" }?["reviewed"] as? Int, 1)
        XCTAssertEqual(sroot["reviewed"] as? Int, 2)
    }
}
