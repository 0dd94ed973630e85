import Core
import XCTest
@testable import Ledger

final class DeclaredArticleCountsTests: XCTestCase {
    func testReadsColumnsByNameInAnyOrderAndCase() throws {
        let csv = "tem,Id,doi,sem\n3,a,10.1/x,1\n,b,,4\n"
        let r = try DeclaredArticleCounts.parse(Array(csv.utf8), file: "c.csv")
        XCTAssertEqual(r.articles, [ArticleImages(id: "a", images: [.tem: 3, .sem: 1]), ArticleImages(id: "b", images: [.sem: 4])])
        XCTAssertEqual(r.rejected, [])
    }

    func testBadRowsAreRejectedWithTheirLineAndTheRestKept() throws {
        let csv = "id,SEM,TEM\na,1,2\nb,x,2\nc,1\na,5,5\n,1,1\nd,-1,0\ne,0,7\n"
        let r = try DeclaredArticleCounts.parse(Array(csv.utf8), file: "c.csv")
        XCTAssertEqual(r.articles.map(\.id), ["a", "e"])
        XCTAssertEqual(r.rejected.map(\.location.line), [3, 4, 5, 6, 7])
        XCTAssertTrue(r.rejected[0].description.hasPrefix("c.csv:3: SEM count 'x'"), r.rejected[0].description)
        XCTAssertTrue(r.rejected[2].message.contains("already used on line 2"))
    }

    func testHeaderProblemsAreErrors() {
        XCTAssertThrowsError(try DeclaredArticleCounts.parse(Array("".utf8), file: "e.csv"))
        XCTAssertThrowsError(try DeclaredArticleCounts.parse(Array("name,SEM\n".utf8), file: "e.csv")) { e in
            XCTAssertEqual((e as? InputError)?.location.line, 1)
        }
        XCTAssertThrowsError(try DeclaredArticleCounts.parse(Array("id,count\n".utf8), file: "e.csv"))
    }

    func testUnclosedQuoteIsReported() throws {
        let r = try DeclaredArticleCounts.parse(Array("id,SEM\na,1\n\"b,2\n".utf8), file: "q.csv")
        XCTAssertEqual(r.articles.map(\.id), ["a"])
        XCTAssertEqual(r.rejected.first?.location.line, 3)
    }
}
