import Foundation
import XCTest

/// The article page over HTTP on 127.0.0.1, on a study made from Fixtures/review: the authors
/// with their affiliations (from a WoS export's C1), and the words a regular-expression rule
/// matched marked in title, abstract and keywords — everything from the record escaped.
final class ReviewArticlePageTests: XCTestCase {
    var study: URL!
    var server: ReviewFixture.Server!

    override func setUpWithError() throws {
        study = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-review-page-\(UUID().uuidString)")
        XCTAssertEqual(try ReviewFixture.lostdata(["init", study.path, "-q"]).status, 0)
        let fixtures = ReviewFixture.root.appendingPathComponent("Fixtures/review")
        // The study's own rules file (`rules.yaml` beside study.yaml) is what classify and the page use.
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("regex-rules.yaml"), to: study.appendingPathComponent("rules.yaml"))
        let bib = try ReviewFixture.lostdata(["bib", "import", "-q", "--study", study.path, fixtures.appendingPathComponent("affiliations.ciw").path])
        XCTAssertEqual(bib.status, 0, bib.err)
        let classify = try ReviewFixture.lostdata(["classify", "-q", "--study", study.path])
        XCTAssertEqual(classify.status, 0, classify.err)
        server = try ReviewFixture.Server(study: study)
    }

    override func tearDown() {
        server?.stop()
        if let study { try? FileManager.default.removeItem(at: study) }
    }

    func page() throws -> String {
        let r = try server.get("/article?id=doi%3A10.1000%2Faff1")
        XCTAssertEqual(r.status, 200)
        return r.body
    }

    func testAuthorsWithTheirAffiliationsEscapedAndDeduplicated() throws {
        let body = try page()
        // Three C1 lines, one address twice: two affiliations, numbered, escaped.
        XCTAssertTrue(body.contains("<li value=\"1\">Dept Mat Sci &amp; Engn &lt;Lab 5&gt;, Univ A, City, Country. <span class=\"muted\">— O&#39;Hara, Jane; Doe, Anna</span></li>"), body)
        XCTAssertTrue(body.contains("<li value=\"2\">Inst &quot;Catalysis&quot; B, Town, Country."), body)
        XCTAssertEqual(body.components(separatedBy: "<li value=").count - 1, 2, "the repeated address is listed once")
        XCTAssertFalse(body.contains("<Lab 5>"), "never raw")
        // Each author carries the numbers of the addresses C1 places them at.
        XCTAssertTrue(body.contains("O&#39;Hara, Jane<sup>1</sup></span>; <span class=\"author\">Doe, Anna<sup>1</sup>"), body)
        XCTAssertTrue(body.contains("Roe, Rita<sup>2</sup>"), body)
    }

    func testRegexRuleMatchesAreMarkedAndEscapingHoldsAroundThem() throws {
        let body = try page()
        let title = try XCTUnwrap(body.firstMatch(of: /<h1 id="title">(.*)<\/h1>/)?.1)
        XCTAssertEqual(String(title), "<mark>Catalytic</mark> &lt;i&gt;<mark>ceria</mark>&lt;/i&gt; &amp; <mark>catalysts</mark>: operando TEM of supported nanoparticles")
        let abstract = try XCTUnwrap(body.firstMatch(of: /<p class="abstract">(.*)<\/p>/)?.1)
        XCTAssertTrue(abstract.contains("platinum <mark>catalysts</mark> were <mark>catalysed</mark>"), String(abstract))
        XCTAssertTrue(abstract.contains("; precatalysts were not"), "not a whole word: not matched, not marked")
        XCTAssertTrue(body.contains("<strong>Author keywords:</strong> heterogeneous <mark>catalysis</mark>; TEM"), body)
        // The evidence table marks the regex's words in its snippets too.
        // The catalysis row marks its own rule's words only (not "ceria", the materials rule's).
        XCTAssertTrue(body.contains("<td><mark>Catalytic</mark> &lt;i&gt;ceria&lt;/i&gt; &amp; <mark>catalysts</mark>: ope…"), body)
    }
}
