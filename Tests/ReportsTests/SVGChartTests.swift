import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reports
import XCTest

final class SVGChartTests: XCTestCase {
    func testNiceTicksAreOneTwoOrFiveTimesAPowerOfTen() {
        XCTAssertEqual(ChartScale(scale: .linear, maximum: 163).ticks, [0, 50, 100, 150, 200])
        XCTAssertEqual(ChartScale(scale: .linear, maximum: 4).ticks, [0, 1, 2, 3, 4])
        XCTAssertEqual(ChartScale(scale: .linear, maximum: 152_097).ticks.last, 200_000)
        XCTAssertEqual(ChartScale(scale: .linear, maximum: 0).ticks.last, 1, "an empty chart still has an axis")
        XCTAssertEqual(ChartScale(scale: .decade, maximum: 168).ticks, [1, 10, 100, 1000])
        XCTAssertEqual(ChartScale(scale: .decade, maximum: 168).fraction(10), 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(ChartScale(scale: .decade, maximum: 168).fraction(0), 0)
    }

    func chart(_ layout: BarChart.Layout = .stacked) -> BarChart {
        BarChart(id: "t", title: "Images <per> year & \"technique\"", xLabel: "year", yLabel: "images (images)",
                 categories: ["2019", "2020", "R&D"], series: [.init(name: "SEM", values: [3, 0, 7]), .init(name: "T<E>M", values: [1, 2, 0])],
                 layout: layout)
    }

    func testSVGParsesAsXMLWithEscapedTextAndBarsSummingToTotals() throws {
        for layout in [BarChart.Layout.stacked, .grouped] {
            let svg = SVGChart.render(chart(layout))
            XCTAssertTrue(svg.contains("Images &lt;per&gt; year &amp; &quot;technique&quot;"))
            XCTAssertFalse(svg.contains("T<E>M"))
            let parser = XMLParser(data: Data(svg.utf8))
            let sums = Sums()
            parser.delegate = sums
            XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
            XCTAssertEqual(sums.byCategory, ["2019": 4, "2020": 2, "R&D": 7])
            XCTAssertEqual(sums.titles, 6, "each bar has its hover text")
            XCTAssertEqual(chart(layout).totals, [4, 2, 7])
        }
    }

    func testStackedBarsTouchAndGrowWithTheirValues() {
        let svg = SVGChart.render(chart())
        // The 2019 bar: SEM 3 from the axis up, TEM 1 on top of it.
        func rect(_ series: String, _ category: String) -> (y: Double, h: Double)? {
            guard let r = svg.range(of: "data-series=\"\(series)\" data-category=\"\(category)\"") else { return nil }
            let tail = svg[r.upperBound...]
            func attr(_ name: String) -> Double? {
                guard let a = tail.range(of: " \(name)=\"") else { return nil }
                return Double(tail[a.upperBound...].prefix { $0 != "\"" })
            }
            return attr("y").flatMap { y in attr("height").map { (y, $0) } }
        }
        let sem = rect("SEM", "2019")!, tem = rect("T&lt;E&gt;M", "2019")!
        XCTAssertEqual(sem.y, tem.y + tem.h, accuracy: 0.11)
        XCTAssertEqual(sem.h / tem.h, 3, accuracy: 0.05)
    }

    func testRenderingIsDeterministic() {
        XCTAssertEqual(SVGChart.render(chart()), SVGChart.render(chart()))
        XCTAssertEqual(ChartPalette.colour(0), "#0072B2")
    }

    func testCSVHasAColumnPerSeriesAndTheTotal() {
        XCTAssertEqual(StudyReportRenderer.csv(chart()), "year,SEM,T<E>M,total\n2019,3,1,4\n2020,0,2,2\nR&D,7,0,7\n")
    }
}

private final class Sums: NSObject, XMLParserDelegate {
    var byCategory: [String: Int] = [:]
    var titles = 0
    private var inBar = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "rect", attributes["class"] == "bar" {
            inBar = true
            byCategory[attributes["data-category"] ?? "", default: 0] += Int(attributes["data-value"] ?? "") ?? 0
        } else if name == "title", inBar { titles += 1 }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "rect" { inBar = false }
    }
}
