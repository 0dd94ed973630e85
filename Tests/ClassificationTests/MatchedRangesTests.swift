import Classification
import XCTest

/// `Classifier.matchedRanges(ofRule:in:)`: the words a rule matched, found by the classifier's
/// own compiled pattern (what the review page marks).
final class MatchedRangesTests: XCTestCase {
    let classifier = try! Classifier(try! RuleSet(yaml: ClassifierTests.yaml, file: "t.yaml"))

    func matched(_ rule: String, _ text: String) -> [String] {
        classifier.matchedRanges(ofRule: rule, in: text).map { String(text[$0]) }
    }

    func testRegexRuleGivesEveryMatchInTextOrder() {
        XCTAssertEqual(matched("catalysis: /cataly(sts?|sis|tic)/", "Catalytic tests of two catalysts; catalysis at 300 K"),
                       ["Catalytic", "catalysts", "catalysis"])
        // Whole word, as classify matches it: "catalysts" inside "precatalysts" does not count.
        XCTAssertEqual(matched("catalysis: /cataly(sts?|sis|tic)/", "precatalysts only"), [])
    }

    func testPhraseRuleMatchesLikeTheClassifier() {
        XCTAssertEqual(matched("materials/polymer: block copolymer", "Block-copolymer and block copolymer films"),
                       ["Block-copolymer", "block copolymer"])
        XCTAssertEqual(matched("materials/polymer: PS", "PS beads, ps beads, PSA"), ["PS"], "case-sensitive, whole word")
    }

    func testUnlessCancelsTheRuleInThatText() {
        XCTAssertEqual(matched("materials/carbon: graphene", "graphene oxide membrane of graphene"), [])
        XCTAssertEqual(matched("materials/carbon: graphene", "graphene sheets"), ["graphene"])
    }

    func testUnknownRuleAndEmptyTextGiveNothing() {
        XCTAssertEqual(matched("no such rule", "catalysis"), [])
        XCTAssertEqual(matched("catalysis: /cataly(sts?|sis|tic)/", ""), [])
    }

    func testTheClassifierReportsTheSameRuleIDs() {
        // The ids that evidence carries are the ids matchedRanges looks up.
        let c = classifier.classify(ClassifiableArticle(id: "a", title: "Catalytic graphene"))
        for e in c.evidence {
            XCTAssertFalse(classifier.matchedRanges(ofRule: e.rule, in: "Catalytic graphene").isEmpty, e.rule)
        }
        XCTAssertEqual(Set(c.evidence.map(\.rule)), ["catalysis: /cataly(sts?|sis|tic)/", "materials/carbon: graphene"])
    }
}
