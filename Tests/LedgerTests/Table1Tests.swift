import Core
import XCTest
@testable import Ledger

/// Table 1 computed from small, hand-checkable inputs: every rule of the ledger in isolation.
final class Table1Tests: XCTestCase {
    private func article(_ id: String, sem: Int = 0, stem: Int = 0, tem: Int = 0) -> ArticleImages {
        var images: [Technique: Int] = [:]
        if sem > 0 { images[.sem] = sem }
        if stem > 0 { images[.stem] = stem }
        if tem > 0 { images[.tem] = tem }
        return ArticleImages(id: id, images: images)
    }

    func testTotalCountsDistinctArticles() {
        // Two SEM articles, one TEM article, one article with both: 3 SEM + 2 TEM articles,
        // but 4 distinct articles.
        let source = SourceInput(name: "F", techniques: [.sem, .tem], acquired: [.sem: 100, .tem: 100],
                                 published: .articles([article("a", sem: 2), article("b", sem: 3),
                                                       article("c", tem: 4), article("d", sem: 1, tem: 1)]))
        let t = Ledger.sourceTable(source)
        XCTAssertEqual(t.columns.map(\.articles), [3, 2, 4])
        XCTAssertEqual(t.columns.map(\.images), [6, 5, 11])
        XCTAssertEqual(t.columns.map(\.key), [.technique(.sem), .technique(.tem), .total])
    }

    func testFoldingCountsStemAsSem() {
        let articles = [article("a", stem: 5), article("b", sem: 2, stem: 1), article("c", tem: 3)]
        let folded = SourceInput(name: "F", techniques: [.sem, .tem], fold: [.stem: .sem],
                                 acquired: nil, published: .articles(articles))
        let t = Ledger.sourceTable(folded)
        XCTAssertEqual(t.columns[0].articles, 2, "a STEM-only article becomes an SEM article")
        XCTAssertEqual(t.columns[0].images, 8)
        XCTAssertEqual(t.total.images, 11)

        // Without folding and without a STEM column, STEM images are not in any column or TOTAL.
        let unfolded = SourceInput(name: "F", techniques: [.sem, .tem], acquired: nil, published: .articles(articles))
        let u = Ledger.sourceTable(unfolded)
        XCTAssertEqual(u.columns[0].images, 2)
        XCTAssertEqual(u.total.articles, 2)
        XCTAssertEqual(u.total.images, 5)

        // A source that keeps STEM as its own column.
        let own = SourceInput(name: "B", techniques: [.sem, .stem, .tem], acquired: nil, published: .articles(articles))
        XCTAssertEqual(Ledger.sourceTable(own).columns.map(\.images), [2, 6, 3, 11])
    }

    func testNoAcquisitionDataGivesNilPercentages() {
        let t = Ledger.sourceTable(SourceInput(name: "B", techniques: [.sem], acquired: nil,
                                               published: .articles([article("a", sem: 3)])))
        XCTAssertNil(t.total.acquired)
        XCTAssertNil(t.total.publishedPercent)
        XCTAssertNil(t.total.lostPercent)
        XCTAssertEqual(t.total.imagesPerArticle?.description, "3.00")
    }

    func testPartialAcquisitionLeavesTotalWithoutData() {
        let t = Ledger.sourceTable(SourceInput(name: "F", techniques: [.sem, .tem], acquired: [.sem: 10],
                                               published: .articles([article("a", sem: 1, tem: 1)])))
        XCTAssertEqual(t.columns[0].acquired, 10)
        XCTAssertNil(t.columns[1].acquired)
        XCTAssertNil(t.total.acquired)
    }

    func testLostIsComputedBeforeRounding() {
        // 9 of 400 = 2.25 % exactly; lost 97.75. And 1 of 800 = 0.125 %: published rounds up to
        // 0.13, lost = 99.875 rounds up to 99.88 — not 100 − 0.13 = 99.87.
        let t = Ledger.sourceTable(SourceInput(name: "F", techniques: [.sem, .tem], acquired: [.sem: 400, .tem: 800],
                                               published: .articles([article("a", sem: 9), article("b", tem: 1)])))
        XCTAssertEqual(t.columns[0].publishedPercent?.description, "2.25")
        XCTAssertEqual(t.columns[0].lostPercent?.description, "97.75")
        XCTAssertEqual(t.columns[1].publishedPercent?.description, "0.13")
        XCTAssertEqual(t.columns[1].lostPercent?.description, "99.88")
    }

    func testTrimmingDropsArticlesAboveThresholdAndReportsThem() {
        let articles = [article("big", sem: 40, tem: 11), article("edge", sem: 50), article("small", tem: 2)]
        let t = Ledger.sourceTable(SourceInput(name: "F", techniques: [.sem, .tem], acquired: nil,
                                               published: .articles(articles)), trimOutliers: 50)
        XCTAssertEqual(t.trim?.trimmed, [TrimmedArticle(id: "big", images: 51)], "more than 50, not 50 itself")
        XCTAssertEqual(t.trim?.before, Tally(articles: 3, images: 103))
        XCTAssertEqual(t.trim?.after, Tally(articles: 2, images: 52))
        XCTAssertEqual(t.total.articles, 2)
        XCTAssertEqual(t.columns[1].articles, 1)
    }

    func testAggregatesSourceUsesDeclaredDistinctArticlesAndIsNotTrimmed() {
        let agg = PublishedAggregates(byTechnique: [.sem: Tally(articles: 3, images: 30), .tem: Tally(articles: 2, images: 5)],
                                      distinctArticles: 4)
        let t = Ledger.sourceTable(SourceInput(name: "B", techniques: [.sem, .tem], acquired: nil,
                                               published: .aggregates(agg)), trimOutliers: 50)
        XCTAssertEqual(t.total.articles, 4)
        XCTAssertEqual(t.total.images, 35)
        XCTAssertEqual(t.trim?.applicable, false)
    }

    func testArticlesWithoutImagesAreNotCounted() {
        let t = Ledger.sourceTable(SourceInput(name: "F", techniques: [.sem], acquired: nil,
                                               published: .articles([article("empty"), article("a", sem: 1)])))
        XCTAssertEqual(t.total.articles, 1)
        XCTAssertEqual(t.columns[0].articles, 1)
    }
}
