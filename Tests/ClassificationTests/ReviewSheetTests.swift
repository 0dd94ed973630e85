import Classification
import Core
import XCTest

/// The review spreadsheet round trip and the validation of what a reviewer sends back.
final class ReviewSheetTests: XCTestCase {
    let taxonomy = Taxonomy([
        Category(id: "materials", name: "Materials", threshold: 1),
        Category(id: "materials/polymer", name: "Polymers", threshold: 1),
        Category(id: "catalysis", name: "Catalysis", threshold: 1),
        Category(id: "unclassified", name: "Unclassified", threshold: .infinity),
    ])
    let suggestions: [String: (categories: [String], primary: String)] = [
        "a1": (["materials", "materials/polymer"], "materials/polymer"),
        "a2": (["catalysis"], "catalysis"),
        "a3": (["unclassified"], "unclassified"),
    ]

    func sheet(_ rows: [[String]]) -> Data {
        let header = ReviewSheet.columns
        return Data(([header] + rows.map { r in header.map { r.count > header.firstIndex(of: $0)! ? r[header.firstIndex(of: $0)!] : "" } })
            .map { $0.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: ",") }
            .joined(separator: "\r\n").utf8)
    }

    func row(_ id: String, decided: String, primary: String = "", reviewer: String = "", note: String = "") -> [String] {
        [id, "", "t", "", "", "", "", "", "", decided, primary, reviewer, note]
    }

    func testRenderQuotesAndRoundTrips() throws {
        let text = ReviewSheet.render([
            .init(id: "a1", doi: "10.1/x", title: "Block, \"co\"polymers\nfilms", year: 2020, suggested: ["materials", "materials/polymer"],
                  suggestedPrimary: "materials/polymer", ambiguous: true,
                  evidence: [Evidence(rule: "r", category: "materials/polymer", field: .title, text: "Block, copolymers", points: 3)],
                  currentDecision: nil),
        ])
        let rows = CSV.parse(Data(text.utf8)).rows
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0].fields, ReviewSheet.columns)
        XCTAssertEqual(rows[1].fields[2], "Block, \"co\"polymers\nfilms")
        XCTAssertEqual(rows[1].fields[4], "materials; materials/polymer")
        XCTAssertEqual(rows[1].fields[6], "yes")
        XCTAssertEqual(rows[1].fields[7], "materials/polymer [title] Block, copolymers")
        XCTAssertEqual(rows[1].fields[9], "", "decision columns are left empty")
    }

    func testDecisionsAreNormalised() {
        let parsed = ReviewSheet.parse(sheet([
            row("a1", decided: "catalysis; materials/polymer", primary: "materials/polymer", reviewer: "Ada", note: "a note"),
            row("a2", decided: "accept"),
            row("a3", decided: ""),
        ]), file: "r.csv", taxonomy: taxonomy, suggestions: suggestions)
        XCTAssertEqual(parsed.errors, [])
        XCTAssertEqual(parsed.skipped, 1)
        XCTAssertEqual(parsed.entries.map(\.categories), [["materials/polymer", "materials", "catalysis"], ["catalysis"]])
        XCTAssertEqual(parsed.entries.first?.reviewer, "Ada")
        XCTAssertEqual(parsed.entries.first?.note, "a note")
        XCTAssertEqual(parsed.entries.map(\.line), [2, 3])
    }

    func testEveryBadRowIsReportedWithItsLine() {
        let parsed = ReviewSheet.parse(sheet([
            row("nope", decided: "accept"),
            row("a1", decided: "materials/plastic"),
            row("a2", decided: "catalysis", primary: "materials"),
            row("a2", decided: "catalysis"),
            row("a3", decided: "unclassified; catalysis"),
            row("", decided: "catalysis"),
        ]), file: "r.csv", taxonomy: taxonomy, suggestions: suggestions)
        XCTAssertEqual(parsed.errors.map(\.location.line), [2, 3, 5, 6, 7])
        XCTAssertTrue(parsed.errors[0].message.contains("unknown article id 'nope'"))
        XCTAssertTrue(parsed.errors[1].message.contains("unknown category 'materials/plastic'"))
        XCTAssertTrue(parsed.errors[2].message.contains("decided twice (also on line 4)"))
        XCTAssertTrue(parsed.errors[3].message.contains("'unclassified' cannot be combined"))
        XCTAssertTrue(parsed.errors[4].message.contains("without an article id"))
        XCTAssertEqual(parsed.errors.first?.location.file, "r.csv")
        // A primary outside the listed categories is added to them (line 4 was fine).
        XCTAssertEqual(parsed.entries.first { $0.line == 4 }?.categories, ["materials", "catalysis"])
    }

    func testRowNumberIsGivenWhenItDiffersFromTheLine() {
        var rows = [row("a1", decided: "accept")]
        rows[0][2] = "a title\non two lines"
        rows.append(row("a2", decided: "catalysis/none"))
        let parsed = ReviewSheet.parse(sheet(rows), file: "r.csv", taxonomy: taxonomy, suggestions: suggestions)
        XCTAssertEqual(parsed.errors.count, 1)
        XCTAssertEqual(parsed.errors.first?.location.line, 4)
        XCTAssertTrue(parsed.errors.first?.message.hasPrefix("spreadsheet row 3: unknown category") ?? false, "\(parsed.errors)")
    }

    func testHeaderIsRequired() {
        let parsed = ReviewSheet.parse(Data("id;decision_categories\r\na1;accept\r\n".utf8), file: "r.csv", taxonomy: taxonomy, suggestions: suggestions)
        XCTAssertEqual(parsed.errors.count, 1)
        XCTAssertEqual(parsed.errors.first?.location.line, 1)
        XCTAssertTrue(parsed.errors.first?.message.contains("semicolon-separated") ?? false)
    }

    func testQualityCounts() {
        let q = QualityReport.measure(labels: ["a": ["materials"], "b": ["catalysis"], "c": ["unclassified"]],
                                      predicted: ["a": ["materials", "catalysis"], "b": ["unclassified"]],
                                      taxonomy: taxonomy)
        let byID = Dictionary(uniqueKeysWithValues: q.map { ($0.category, $0) })
        XCTAssertEqual(byID["materials"]?.precision, 1)
        XCTAssertEqual(byID["catalysis"]?.precision, 0)
        XCTAssertEqual(byID["catalysis"]?.recall, 0)
        XCTAssertEqual(byID["unclassified"]?.truePositives, 1, "a missing prediction counts as unclassified")
        XCTAssertEqual(byID["unclassified"]?.falsePositives, 1)
    }
}
