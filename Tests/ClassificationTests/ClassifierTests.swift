import Classification
import XCTest

/// The classifier on small rule sets written for each behaviour: scores, thresholds, parents,
/// negative phrases, `unless`, whole words, case, primary, ambiguity, evidence, determinism.
final class ClassifierTests: XCTestCase {
    static let yaml = """
        version: 1
        threshold: 3
        ambiguityMargin: 0.25
        fieldWeights: {title: 3, abstract: 1}
        categories:
          - id: materials
            rules:
              - phrase: magnetic tape
                weight: -5
          - id: materials/polymer
            rules:
              - phrases: [block copolymer, polymer]
              - phrase: PS
                caseSensitive: true
          - id: materials/carbon
            rules:
              - phrase: graphene
                unless: [graphene oxide membrane]
          - id: catalysis
            rules:
              - regex: "cataly(sts?|sis|tic)"
          - id: microscopic-control
            rules:
              - phrase: SEM
                caseSensitive: true
                unless: [standard error of the mean]
          - id: unclassified
        """

    func classify(_ title: String, _ abstract: String = "") throws -> ArticleClassification {
        let classifier = try Classifier(try RuleSet(yaml: Self.yaml, file: "t.yaml"))
        return classifier.classify(ClassifiableArticle(id: "a", title: title, abstract: abstract))
    }

    func testTitleMatchAssignsSubcategoryAndParent() throws {
        let c = try classify("Block copolymer thin films")
        XCTAssertEqual(c.categories, ["materials", "materials/polymer"])
        XCTAssertEqual(c.primary, "materials/polymer")
        XCTAssertEqual(c.scores["materials/polymer"], 3)
        XCTAssertEqual(c.scores["materials"], 3)
        XCTAssertEqual(c.evidence.map(\.rule), ["materials/polymer: block copolymer"])
        XCTAssertEqual(c.evidence.first?.field, .title)
    }

    func testBelowThresholdIsUnclassified() throws {
        let c = try classify("Thin films", "made of a polymer")
        XCTAssertEqual(c.scores["materials/polymer"], 1)
        XCTAssertEqual(c.categories, ["unclassified"])
        XCTAssertEqual(c.primary, "unclassified")
    }

    func testEachFieldCountsOncePerRule() throws {
        let c = try classify("x", "polymer polymer polymer polymer")
        XCTAssertEqual(c.scores["materials/polymer"], 1)
    }

    func testNegativePhraseOfParentCountsAgainstItsBranch() throws {
        let c = try classify("Polymer binders for magnetic tape")
        XCTAssertEqual(c.categories, ["unclassified"], "\(c.scores)")
        XCTAssertLessThan(c.scores["materials/polymer"] ?? 0, 3)
    }

    func testUnlessCancelsARuleInThatField() throws {
        XCTAssertEqual(try classify("Graphene oxide membrane filters").categories, ["unclassified"])
        XCTAssertEqual(try classify("Graphene sheets").categories, ["materials", "materials/carbon"])
        XCTAssertEqual(try classify("Cell sizes (mean ± SEM)").categories, ["microscopic-control"])
        XCTAssertEqual(try classify("Cell sizes", "standard error of the mean (SEM)").scores["microscopic-control"], nil)
    }

    func testWholeWordAndCase() throws {
        XCTAssertNil(try classify("Polymeric PSA adhesives").scores["materials/polymer"], "PS is not found inside PSA, polymer not inside polymeric")
        XCTAssertEqual(try classify("ps beads").scores["materials/polymer"], nil, "PS is case-sensitive")
        XCTAssertEqual(try classify("PS beads").scores["materials/polymer"], 3)
        XCTAssertEqual(try classify("block-copolymer films").scores["materials/polymer"], 3, "hyphen matches a space")
        // The byte pre-filter must not lose matches that differ in case or sit next to non-ASCII text.
        XCTAssertEqual(try classify("BLOCK COPOLYMER FILMS").scores["materials/polymer"], 3)
        XCTAssertEqual(try classify("Über Block\u{2013}Copolymer-Filme").scores["materials/polymer"], 3)
        XCTAssertEqual(try classify("Ünïcödé GRAPHENE").scores["materials/carbon"], 3)
    }

    func testAmbiguousWhenTopScoresAreClose() throws {
        let close = try classify("Polymer catalysts")
        XCTAssertEqual(close.categories, ["materials", "materials/polymer", "catalysis"])
        XCTAssertTrue(close.ambiguous)
        XCTAssertEqual(close.primary, "materials/polymer", "ties go to the category listed first")
        let clear = try classify("Polymer catalysts", "a block copolymer, a polymer")
        XCTAssertFalse(clear.ambiguous)
        XCTAssertEqual(clear.primary, "materials/polymer")
    }

    func testSnippetKeepsContext() throws {
        let c = try classify("x", String(repeating: "word ", count: 20) + "graphene" + String(repeating: " word", count: 20))
        let text = try XCTUnwrap(c.evidence.first?.text)
        XCTAssertTrue(text.hasPrefix("…") && text.hasSuffix("…") && text.contains("graphene"), text)
        XCTAssertLessThan(text.count, 80)
    }

    func testBatchIsDeterministicAndInOrder() throws {
        let classifier = try Classifier(try RuleSet(yaml: Self.yaml, file: "t.yaml"))
        let titles = ["Graphene", "Polymer", "Nothing", "Catalysis", "PS"]
        let articles = (0..<500).map { ClassifiableArticle(id: "a\($0)", title: titles[$0 % titles.count]) }
        let a = classifier.classify(articles)
        let b = classifier.classify(articles)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.map(\.articleID), articles.map(\.id))
        XCTAssertEqual(a[2].categories, ["unclassified"])
    }

    func testJSONLineShape() throws {
        let rules = try RuleSet(yaml: Self.yaml, file: "t.yaml")
        let result = try Classifier(rules).classify(ClassifiableArticle(id: "x\"1", doi: nil, title: "Graphene \"quoted\"\n"))
        let line = ClassificationJSON.line(result, taxonomy: rules.taxonomy)
        XCTAssertFalse(line.contains("\n"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["id", "doi", "title", "primary", "categories", "scores", "ambiguous", "evidence"])
        XCTAssertEqual(object["title"] as? String, "Graphene \"quoted\"\n")
        XCTAssertTrue(object["doi"] is NSNull)
        XCTAssertEqual(object["categories"] as? [String], ["materials", "materials/carbon"])
        XCTAssertEqual((object["scores"] as? [String: Double])?["materials/carbon"], 3)
        let evidence = try XCTUnwrap((object["evidence"] as? [[String: Any]])?.first)
        XCTAssertEqual(evidence["rule"] as? String, "materials/carbon: graphene")
        XCTAssertEqual(evidence["field"] as? String, "title")
        XCTAssertTrue(line.hasPrefix("{\"id\":"), "keys in documented order")
    }
}
