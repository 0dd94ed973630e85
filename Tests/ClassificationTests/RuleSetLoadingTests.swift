import Classification
import Core
import XCTest

/// The rules file is edited by hand: every mistake must come back as an error naming the line.
final class RuleSetLoadingTests: XCTestCase {
    static let minimal = """
        version: 1
        threshold: 2
        categories:
          - id: materials
            name: Materials
            rules:
              - phrase: alloy
          - id: materials/polymer
            name: Polymers
            rules:
              - phrases: [polymer, copolymer]
                weight: 2
                fields: [title]
        """

    func testMinimalFileLoads() throws {
        let rules = try RuleSet(yaml: Self.minimal, file: "r.yaml")
        XCTAssertEqual(rules.taxonomy.categories.map(\.id), ["materials", "materials/polymer", "unclassified"])
        XCTAssertEqual(rules.rules.count, 3)
        XCTAssertEqual(rules.rules[1].id, "materials/polymer: polymer")
        XCTAssertEqual(rules.rules[1].fields, [.title])
        XCTAssertEqual(rules.rules[1].line, 11)
        XCTAssertEqual(rules.taxonomy["materials/polymer"]?.threshold, 2)
        XCTAssertFalse(rules.warnings.isEmpty, "a file without the paper's other categories is warned about")
    }

    func testShippedRulesDefineEveryPaperCategory() throws {
        let rules = try ShippedRules.load()
        XCTAssertEqual(rules.warnings, [])
        for id in Taxonomy.paperCategoryIDs { XCTAssertTrue(rules.taxonomy.contains(id), id) }
        XCTAssertEqual(rules.taxonomy.categories.count, Taxonomy.paperCategoryIDs.count)
    }

    private func assertError(_ yaml: String, line: Int, contains text: String, file: StaticString = #filePath, lineNo: UInt = #line) {
        XCTAssertThrowsError(try RuleSet(yaml: yaml, file: "r.yaml"), file: file, line: lineNo) { error in
            guard let e = error as? InputError else { return XCTFail("not an InputError: \(error)", file: file, line: lineNo) }
            XCTAssertEqual(e.location.line, line, "\(e)", file: file, line: lineNo)
            XCTAssertTrue(e.message.contains(text), "\(e.message)", file: file, line: lineNo)
            XCTAssertEqual(e.location.file, "r.yaml", file: file, line: lineNo)
        }
    }

    func testErrorsNameTheLine() {
        assertError(Self.minimal.replacingOccurrences(of: "weight: 2", with: "wieght: 2"), line: 12, contains: "unknown key 'wieght'")
        assertError(Self.minimal.replacingOccurrences(of: "fields: [title]", with: "fields: [title, body]"), line: 13, contains: "unknown field 'body'")
        assertError(Self.minimal.replacingOccurrences(of: "- phrase: alloy", with: "- regex: \"allo(y\""), line: 7, contains: "invalid regular expression")
        assertError(Self.minimal.replacingOccurrences(of: "- phrase: alloy", with: "- weight: 2"), line: 7, contains: "exactly one of")
        assertError(Self.minimal.replacingOccurrences(of: "weight: 2", with: "weight: 0"), line: 12, contains: "weight of 0")
        assertError(Self.minimal.replacingOccurrences(of: "weight: 2", with: "weight: lots"), line: 12, contains: "must be a number")
        assertError(Self.minimal.replacingOccurrences(of: "id: materials/polymer", with: "id: Materials/Polymer"), line: 8, contains: "lower-case")
        assertError(Self.minimal.replacingOccurrences(of: "id: materials/polymer", with: "id: materials"), line: 8, contains: "defined twice")
        assertError(Self.minimal.replacingOccurrences(of: "id: materials/polymer", with: "id: materials/poly/mer"), line: 8, contains: "lower-case")
        assertError(Self.minimal.replacingOccurrences(of: "id: materials/polymer", with: "id: materials/-polymer"), line: 8, contains: "lower-case")
        assertError(Self.minimal.replacingOccurrences(of: "fieldWeights", with: "x").replacingOccurrences(of: "threshold: 2", with: "fieldWeights: {title: -1}"), line: 2, contains: "≥ 0")
        assertError(Self.minimal.replacingOccurrences(of: "id: materials/polymer", with: "id: catalysis/polymer"), line: 8, contains: "before its parent")
        assertError(Self.minimal.replacingOccurrences(of: "threshold: 2", with: "threshold: -1"), line: 2, contains: "above 0")
        assertError(Self.minimal.replacingOccurrences(of: "threshold: 2", with: "thresholdWithoutAbstract: 1.5"), line: 2, contains: "at most 1")
        assertError(Self.minimal.replacingOccurrences(of: "threshold: 2", with: "unclassifiedMargin: -1"), line: 2, contains: "0 or more")
        assertError(Self.minimal.replacingOccurrences(of: "fields: [title]", with: "fields: [title]\n        contextFields: [body]"), line: 14, contains: "unknown field 'body'")
        assertError("version: 1\ncategories: [\n", line: 3, contains: "not valid YAML")
        assertError("version: 2\ncategories: []\n", line: 1, contains: "version 2")
    }
}
