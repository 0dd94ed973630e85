import Core
import Foundation
import XCTest
@testable import Ledger

/// The paper's Table 1, to the digit, from the bundled study's per-article counts
/// (corpora/lost-data-2024, constructed to match every aggregate the paper states).
final class PaperTable1Tests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../corpora/lost-data-2024").standardized

    func facility() throws -> SourceInput {
        let url = Self.corpus.appendingPathComponent("facility-articles.csv")
        let parsed = try DeclaredArticleCounts.parse(try Data(contentsOf: url), file: url.path)
        XCTAssertEqual(parsed.rejected, [])
        return SourceInput(name: "Core user facility", techniques: [.sem, .tem], fold: [.stem: .sem],
                           acquired: [.sem: 119557, .tem: 32540], published: .articles(parsed.articles))
    }

    let baseline = SourceInput(
        name: "Third-party facilities", techniques: [.sem, .stem, .tem], acquired: nil,
        published: .aggregates(PublishedAggregates(
            byTechnique: [.sem: Tally(articles: 158, images: 1624), .stem: Tally(articles: 38, images: 274),
                          .tem: Tally(articles: 122, images: 818)],
            distinctArticles: 200, totalImages: 2766)))

    func testEveryNumberOfTable1() throws {
        let table = Ledger.table1([try facility(), baseline])
        let cols = table.sources.flatMap(\.columns)
        XCTAssertEqual(cols.map(\.acquired), [119557, 32540, 152097, nil, nil, nil, nil])
        XCTAssertEqual(cols.map(\.articles), [238, 94, 292, 158, 38, 122, 200])
        XCTAssertEqual(cols.map(\.images), [3054, 523, 3577, 1624, 274, 818, 2766])
        XCTAssertEqual(cols.map { $0.imagesPerArticle?.description }, ["12.83", "5.56", "12.25", "10.28", "7.21", "6.70", "13.83"])
        XCTAssertEqual(cols.map { $0.publishedPercent?.description }, ["2.55", "1.61", "2.35", nil, nil, nil, nil])
        XCTAssertEqual(cols.map { $0.lostPercent?.description }, ["97.45", "98.39", "97.65", nil, nil, nil, nil])
    }

    func testBothTechniquesArticlesMakeTheDistinctTotal() throws {
        let f = try facility()
        guard case .articles(let articles) = f.published else { return XCTFail("per-article source expected") }
        let folded = articles.map { Ledger.fold($0, f.fold) }
        let both = folded.filter { ($0.images[.sem] ?? 0) > 0 && ($0.images[.tem] ?? 0) > 0 }
        XCTAssertEqual(both.count, 40, "238 + 94 − 40 = 292")
        XCTAssertTrue(articles.contains { ($0.images[.stem] ?? 0) > 0 }, "the corpus exercises STEM folding")
    }

    func testTrimmingGivesThePapersSecondFigure() throws {
        let t = Ledger.sourceTable(try facility(), trimOutliers: 50)
        XCTAssertEqual(t.trim?.trimmed.count, 8)
        XCTAssertEqual(t.trim?.before, Tally(articles: 292, images: 3577))
        XCTAssertEqual(t.total.articles, 284)
        XCTAssertEqual(t.total.images, 1853)
        XCTAssertEqual(t.total.imagesPerArticle?.description, "6.52")
        XCTAssertTrue(t.trim!.trimmed.allSatisfy { $0.images > 50 })
    }
}
