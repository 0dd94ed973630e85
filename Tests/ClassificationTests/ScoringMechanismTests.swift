import Classification
import XCTest

/// One test per scoring mechanism of the classifier (docs/classification.md, "Scoring"): each
/// compares an article the mechanism must change with its twin it must leave alone, so removing
/// the mechanism fails here.
final class ScoringMechanismTests: XCTestCase {
    static let yaml = """
        version: 1
        threshold: 4
        fieldWeights: {title: 3, authorKeywords: 2, indexKeywords: 1.5, abstract: 1, sourceTitle: 2}
        unclassifiedMargin: 2
        thresholdWithoutAbstract: 0.7
        categories:
          - id: materials
            rules:
              - phrases: [alloy, thin film]
          - id: catalysis
            rules:
              - phrases: [catalyst]
                weight: 4.5
                unlessContext: [battery, sensor]
              - phrase: Catalysis
                fields: [sourceTitle]
                weight: 2.5
          - id: unclassified
            rules:
              - phrases: [channel model, bit error rate]
                weight: 1.5
        """

    func classify(title: String, abstract: String = "", keywords: [String] = [], journal: String = "",
                  yaml: String = yaml) throws -> ArticleClassification {
        let classifier = try Classifier(try RuleSet(yaml: yaml, file: "r.yaml"))
        return classifier.classify(ClassifiableArticle(id: "a", title: title, abstract: abstract, authorKeywords: keywords,
                                                       sourceTitle: journal))
    }

    /// A title match weighs three abstract matches: the same word decides in the title, not in
    /// the abstract.
    func testFieldWeights() throws {
        let inTitle = try classify(title: "An alloy studied", abstract: "We describe the samples.")
        XCTAssertEqual(inTitle.scores["materials"], 3)
        let inAbstract = try classify(title: "Samples studied", abstract: "We describe the alloy.")
        XCTAssertEqual(inAbstract.scores["materials"], 1)
        let inKeywords = try classify(title: "Samples studied", abstract: "We describe them.", keywords: ["alloy"])
        XCTAssertEqual(inKeywords.scores["materials"], 2)
        // Title 3 + keywords 2 reach the threshold of 4; abstract 1 + keywords 2 do not.
        XCTAssertEqual(try classify(title: "An alloy", abstract: "x", keywords: ["alloy"]).primary, "materials")
        XCTAssertEqual(try classify(title: "Samples", abstract: "An alloy.", keywords: ["alloy"]).primary, "unclassified")
    }

    /// The journal is a signal of its own: a catalysis journal adds to a catalysis article.
    func testJournalIsASignal() throws {
        let plain = try classify(title: "Samples", abstract: "Nothing about the topic.")
        XCTAssertNil(plain.scores["catalysis"])
        let inJournal = try classify(title: "Samples", abstract: "Nothing about the topic.", journal: "Journal of Catalysis")
        XCTAssertEqual(inJournal.scores["catalysis"], 5)
        XCTAssertEqual(inJournal.primary, "catalysis")
        XCTAssertEqual(inJournal.evidence.first?.field, .sourceTitle)
    }

    /// "catalyst" in a battery or sensor paper is not catalysis: the rule is cancelled by the
    /// article's context (title, keywords, journal), and the evidence says so with 0 points.
    func testNegativeRuleAcrossFields() throws {
        let catalysis = try classify(title: "A new material", abstract: "It acts as a catalyst for the reaction.")
        XCTAssertEqual(catalysis.primary, "catalysis")
        let battery = try classify(title: "A new battery anode", abstract: "It acts as a catalyst for the reaction.")
        XCTAssertEqual(battery.primary, "unclassified")
        XCTAssertNil(battery.scores["catalysis"])
        let note = try XCTUnwrap(battery.evidence.first { $0.category == "catalysis" })
        XCTAssertEqual(note.points, 0)
        XCTAssertEqual(note.field, .title)
        XCTAssertTrue(note.text.contains("battery"), note.text)
        let sensorKeyword = try classify(title: "A new material", abstract: "It acts as a catalyst.", keywords: ["gas sensor"])
        XCTAssertEqual(sensorKeyword.primary, "unclassified")
    }

    /// The best category must beat the out-of-scope evidence by the margin; an article about a
    /// recording channel that mentions an alloy stays unclassified, one about the alloy does not.
    func testUnclassifiedMargin() throws {
        // materials 3 (title) + 2 (keywords) = 5; out of scope 1.5 (abstract) → 5 − 1.5 ≥ 2.
        let alloy = try classify(title: "An alloy", abstract: "The bit error rate is given.", keywords: ["alloy"])
        XCTAssertEqual(alloy.primary, "materials")
        XCTAssertEqual(alloy.scores["unclassified"], 1.5)
        // materials 5; out of scope 3 × 1.5 (title) + 1.5 (abstract) = 6 → 5 − 6 < 2: unclassified.
        let channel = try classify(title: "A channel model for an alloy", abstract: "The bit error rate is given.", keywords: ["alloy"])
        XCTAssertEqual(channel.primary, "unclassified")
        XCTAssertEqual(channel.categories, ["unclassified"])
        XCTAssertEqual(channel.scores["materials"], 5)
        XCTAssertTrue(channel.evidence.contains { $0.category == "unclassified" && $0.field == .title })
        // The margin itself: with margin 0 the 5 − 4.5 = 0.5 gap of this article is enough.
        let close = "A channel model for an alloy"
        XCTAssertEqual(try classify(title: close, abstract: "Plain.", keywords: ["alloy"]).primary, "unclassified")
        let noMargin = Self.yaml.replacingOccurrences(of: "unclassifiedMargin: 2", with: "unclassifiedMargin: 0")
        XCTAssertEqual(try classify(title: close, abstract: "Plain.", keywords: ["alloy"], yaml: noMargin).primary, "materials")
    }

    /// Without an abstract the thresholds are scaled: one title match (3 points) claims an
    /// abstract-less record (threshold 4 × 0.7 = 2.8) but not one whose abstract says nothing more.
    func testThresholdWithoutAbstract() throws {
        XCTAssertEqual(try classify(title: "A thin film").primary, "materials")
        XCTAssertEqual(try classify(title: "A thin film", abstract: "We measured it.").primary, "unclassified")
        let unscaled = Self.yaml.replacingOccurrences(of: "thresholdWithoutAbstract: 0.7", with: "thresholdWithoutAbstract: 1")
        XCTAssertEqual(try classify(title: "A thin film", yaml: unscaled).primary, "unclassified")
    }
}
