import Core
import Ledger

/// The report charts drawn from image counts — Fig 2A (acquired per year), Fig 2B (acquired per
/// scale-bar decade) and lost data per year — from counts already grouped by the caller. One
/// home because a study's report (counts from its SQLite index) and the catalogue's report
/// (counts from GROUP BY in PostgreSQL) must draw a facility's charts identically: same ids,
/// categories, series order and notes. Only the sentence shown when a chart has no data differs,
/// since what the reader should do about it differs.
public enum ArchiveFigures {
    /// Series order on every chart: SEM, STEM, TEM (the paper's order of techniques).
    public static let techniques: [Technique] = [.sem, .stem, .tem]

    /// Images per technique for one category key of a chart.
    public typealias Cells<Key: Hashable> = [Key: [Technique: Int]]

    /// One series per technique with any image, in `techniques` order; a category without
    /// images of a technique counts 0.
    public static func techniqueSeries(_ cells: Cells<String>, categories: [String]) -> [BarChart.Series] {
        techniques.compactMap { t in
            let values = categories.map { cells[$0]?[t] ?? 0 }
            return values.contains { $0 > 0 } ? BarChart.Series(name: t.description, values: values) : nil
        }
    }

    /// Fig 2A. `unknown`: images without a year or technique, said in the note.
    public static func acquiredPerYear(_ perYear: Cells<Int>, unknown: Int, missing: String) -> StudyReport.Figure {
        let title = "Fig 2A. Acquired images per acquisition year, by technique"
        let categories = perYear.keys.sorted().map(String.init)
        guard !categories.isEmpty else { return .missing(id: "fig2a-acquired-per-year", title: title, sentence: missing) }
        let cells = Dictionary(uniqueKeysWithValues: perYear.map { (String($0.key), $0.value) })
        return .chart(BarChart(id: "fig2a-acquired-per-year", title: title, xLabel: "acquisition year", yLabel: "acquired images (images)",
                               categories: categories, series: techniqueSeries(cells, categories: categories),
                               note: unknown > 0 ? "\(unknown) indexed image(s) without a known year or technique are not shown." : nil))
    }

    /// Fig 2B, by the decade's lower bound in nm. `without`: images without a scale bar or
    /// technique, said in the note.
    public static func acquiredPerDecade(_ perDecade: Cells<Double>, without: Int, missing: String) -> StudyReport.Figure {
        let title = "Fig 2B. Acquired images per scale-bar decade, by technique"
        guard !perDecade.isEmpty else { return .missing(id: "fig2b-acquired-per-decade", title: title, sentence: missing) }
        let (categories, cells) = labelledDecades(perDecade)
        return .chart(BarChart(id: "fig2b-acquired-per-decade", title: title, xLabel: "scale-bar decade (lower bound)",
                               yLabel: "acquired images (images)", categories: categories,
                               series: techniqueSeries(cells, categories: categories), layout: .grouped, scale: .decade,
                               note: "Axis in powers of ten. \(without) image(s) without a scale bar or technique are not shown."))
    }

    /// Decades in ascending order as axis labels, with their cells under those labels.
    public static func labelledDecades(_ perDecade: Cells<Double>) -> (categories: [String], cells: Cells<String>) {
        let decades = perDecade.keys.sorted()
        let cells = Dictionary(decades.map { (ScaleBarDecade.label($0), perDecade[$0]!) },
                               uniquingKeysWith: { a, b in a.merging(b, uniquingKeysWith: +) })
        return (decades.map(ScaleBarDecade.label), cells)
    }

    /// Acquired images by acquisition year beside published images by publication year, with
    /// the published share of each year in its category label (rounded as Table 1 rounds).
    public static func lostPerYear(acquired: Cells<Int>, published: Cells<Int>, missing: String) -> StudyReport.Figure {
        let title = "Lost data per year: acquired vs published images"
        guard !acquired.isEmpty, !published.isEmpty else { return .missing(id: "lost-per-year", title: title, sentence: missing) }
        let years = Set(acquired.keys).union(published.keys).sorted()
        var series: [BarChart.Series] = []
        for t in techniques {
            let a = years.map { acquired[$0]?[t] ?? 0 }, p = years.map { published[$0]?[t] ?? 0 }
            if a.contains(where: { $0 > 0 }) { series.append(.init(name: "acquired \(t.description)", values: a)) }
            if p.contains(where: { $0 > 0 }) { series.append(.init(name: "published \(t.description)", values: p)) }
        }
        let categories = years.map { y -> String in
            let a = acquired[y]?.values.reduce(0, +) ?? 0, p = published[y]?.values.reduce(0, +) ?? 0
            return "\(y) (" + (Hundredths(percent: p, of: a).map { "\($0.description) %" } ?? "—") + ")"
        }
        return .chart(BarChart(id: "lost-per-year", title: title, xLabel: "year (published share of acquired images)",
                               yLabel: "images (images)", categories: categories, series: series, layout: .grouped, scale: .decade,
                               note: "Acquired images by acquisition year beside published images by publication year; axis in powers of ten. "
                                   + "The share in brackets is published ÷ acquired of that year, all techniques."))
    }
}
