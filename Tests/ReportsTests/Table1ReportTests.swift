import Core
import Ledger
import XCTest
@testable import Reports

final class Table1ReportTests: XCTestCase {
    /// A small table whose every cell is known: a facility with data and a baseline without.
    let table = Ledger.table1([
        SourceInput(name: "Facility", techniques: [.sem, .tem], acquired: [.sem: 1000, .tem: 400],
                    published: .articles([ArticleImages(id: "a", images: [.sem: 3, .tem: 1]),
                                          ArticleImages(id: "b", images: [.sem: 2])])),
        SourceInput(name: "Base, line", techniques: [.stem], acquired: nil,
                    published: .aggregates(PublishedAggregates(byTechnique: [.stem: Tally(articles: 2, images: 9)], distinctArticles: 2))),
    ])

    func testMarkdown() {
        let md = Table1Report.render(table, as: .markdown)
        XCTAssertTrue(md.contains("| Data source | Facility |  |  | Base, line |  |"), md)
        XCTAssertTrue(md.contains("| Number of acquired images | 1000 | 400 | 1400 | No data | No data |"), md)
        XCTAssertTrue(md.contains("| Average number of images per article | 2.50 | 1.00 | 3.00 | 4.50 | 4.50 |"), md)
        XCTAssertTrue(md.contains("| Published data, % | 0.50 | 0.25 | 0.43 | — | — |"), md)
        XCTAssertTrue(md.contains("| Lost data, % | 99.50 | 99.75 | 99.57 | — | — |"), md)
    }

    func testCSVHasOneRowPerTableRowAndQuotesCommas() {
        let lines = Table1Report.render(table, as: .csv).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 8)
        XCTAssertEqual(lines[0], "Data source,Facility,Facility,Facility,\"Base, line\",\"Base, line\"")
        XCTAssertEqual(lines[1], "Data type,SEM,TEM,TOTAL,STEM,TOTAL")
        XCTAssertEqual(lines[2], "Number of acquired images,1000,400,1400,No data,No data")
        XCTAssertEqual(lines[6], "\"Published data, %\",0.50,0.25,0.43,—,—")
        XCTAssertEqual(lines[7], "\"Lost data, %\",99.50,99.75,99.57,—,—")
    }

    func testJSONShape() throws {
        let text = Table1Report.render(table, as: .json)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let sources = try XCTUnwrap(object?["sources"] as? [[String: Any]])
        XCTAssertEqual(sources.map { $0["name"] as? String }, ["Facility", "Base, line"])
        let cols = try XCTUnwrap(sources[0]["columns"] as? [[String: Any]])
        XCTAssertEqual(cols.map { $0["technique"] as? String }, ["SEM", "TEM", "TOTAL"])
        XCTAssertEqual(cols[2]["acquired"] as? Int, 1400)
        XCTAssertEqual(cols[2]["articles"] as? Int, 2)
        XCTAssertTrue(text.contains("\"imagesPerArticle\":3.00"), "numbers keep two decimals")
        let base = try XCTUnwrap(sources[1]["columns"] as? [[String: Any]])
        XCTAssertTrue(base[0]["acquired"] is NSNull)
        XCTAssertTrue(base[0]["publishedPercent"] is NSNull)
    }

    func testLatexEscapesAndSpansSources() {
        let tex = Table1Report.render(table, as: .latex)
        XCTAssertTrue(tex.contains("\\multicolumn{3}{c}{Facility}"))
        XCTAssertTrue(tex.contains("Published data, \\% & 0.50"))
        XCTAssertTrue(tex.contains("--- & ---"), "dashes become LaTeX em dashes")
    }

    func testHTMLEscapesAndSpansSources() {
        let html = Table1Report.render(table, as: .html)
        XCTAssertTrue(html.contains("<th scope=\"colgroup\" colspan=\"3\">Facility</th>"))
        XCTAssertTrue(html.contains("<td>No data</td>"))
        XCTAssertEqual(html.components(separatedBy: "<tr>").count - 1, 8)
    }

    func testTrimNotesListTrimmedArticles() {
        let t = Ledger.table1([SourceInput(name: "F", techniques: [.sem], acquired: nil,
                                           published: .articles([ArticleImages(id: "huge", images: [.sem: 60]),
                                                                 ArticleImages(id: "ok", images: [.sem: 5])]))],
                              trimOutliers: 50)
        let md = Table1Report.render(t, as: .markdown)
        XCTAssertTrue(md.contains("- F: 1 article removed; before 2 articles, 65 images (32.50 per article); after 1 articles, 5 images (5.00 per article)."), md)
        XCTAssertTrue(md.contains("  - huge: 60 images"))
        XCTAssertTrue(Table1Report.render(t, as: .json).contains("\"trimmed\":[{\"id\":\"huge\",\"images\":60}]"))
    }
}
