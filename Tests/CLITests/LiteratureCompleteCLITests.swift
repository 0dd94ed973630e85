import Foundation
import XCTest

/// `lostdata literature complete`: Crossref's `/works/{doi}` (a recorded answer, corpora/demo/http)
/// fills what an article lacks after merging its sources, over the loopback replay server.
final class LiteratureCompleteCLITests: XCTestCase {
    static let http = CLI.packageRoot.appendingPathComponent("corpora/demo/http")

    func object(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    func testCrossrefWorkFillsWhatTheArticleLacksAndIsNotAskedAgain() throws {
        let server = try ReplayServer(routes: [
            ["path": "/c/works/10.1038/srep16696", "responses": [["file": Self.http.appendingPathComponent("crossref/work_10.1038_srep16696.json").path,
                                                                  "headers": ["Content-Type": "application/json"]]]],
            ["path": "/c/works/10.5555/not.in.crossref", "responses": [["status": 404, "body": "Resource not found.", "headers": ["Content-Type": "application/json"]]]],
        ])
        let study = try CLI.temporaryDirectory().appendingPathComponent("study")
        XCTAssertEqual(try CLI.run(["init", study.path]).status, 0)
        // An export with two DOIs and no abstract, ISSN or affiliation, and one article without a DOI.
        let export = study.deletingLastPathComponent().appendingPathComponent("openalex.csv")
        try """
        id,doi,title,publication_year,type
        https://openalex.org/W1,https://doi.org/10.1038/SREP16696,"Single-molecule FRET studies on alpha-synuclein oligomerization",2015,article
        https://openalex.org/W2,https://doi.org/10.5555/not.in.crossref,"A work Crossref does not know",2016,article
        https://openalex.org/W3,,"A work without a DOI",2016,article

        """.write(to: export, atomically: true, encoding: .utf8)
        let imported = try CLI.run(["bib", "import", "--study", study.path, export.path])
        XCTAssertEqual(imported.status, 0, imported.stderr)

        let r = try CLI.run(["literature", "complete", "--study", study.path, "--endpoint", "crossref=\(server.base)/c", "--in-flight", "2", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let items = try XCTUnwrap(try object(r.stdout)["articles"] as? [[String: Any]], r.stdout)
        let byDOI = Dictionary(uniqueKeysWithValues: items.map { ($0["doi"] as? String ?? "", $0) })
        XCTAssertEqual(Set(byDOI.keys), ["10.1038/srep16696", "10.5555/not.in.crossref"], "only articles with a DOI are asked")
        let srep = try XCTUnwrap(byDOI["10.1038/srep16696"])
        XCTAssertEqual(srep["lacking"] as? [String], ["abstract", "affiliations", "ISSN"])
        XCTAssertEqual(srep["status"] as? String, "completed")
        // The recording has a JATS abstract and ISSN 2045-2322, and no author with an affiliation.
        XCTAssertEqual(srep["detail"] as? String, "filled: abstract, ISSN")
        XCTAssertEqual(byDOI["10.5555/not.in.crossref"]?["status"] as? String, "notFound")
        XCTAssertEqual(Set(server.log().compactMap { $0["path"] as? String }), ["/c/works/10.1038/srep16696", "/c/works/10.5555/not.in.crossref"])

        // The article now shows Crossref's values beside the export's, as one article.
        let show = try CLI.run(["bib", "show", "--study", study.path, "10.1038/srep16696"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("2045-2322"), show.stdout)
        XCTAssertTrue(show.stdout.contains("Oligomers of alpha-synuclein are toxic"), show.stdout)
        XCTAssertTrue(show.stdout.contains("crossref") && show.stdout.contains("openalex"), show.stdout)
        let list = try CLI.run(["bib", "list", "--study", study.path, "--all", "--json"])
        XCTAssertEqual(list.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.count, 3, "merged into its article, not a new one")

        // Again: the completed article holds a Crossref record and is not asked; the unknown DOI is.
        let again = try CLI.run(["literature", "complete", "--study", study.path, "--endpoint", "crossref=\(server.base)/c", "--json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        let second = try XCTUnwrap(try object(again.stdout)["articles"] as? [[String: Any]])
        XCTAssertEqual(second.compactMap { $0["doi"] as? String }, ["10.5555/not.in.crossref"])
        XCTAssertEqual(server.log().count, 3)
    }
}
