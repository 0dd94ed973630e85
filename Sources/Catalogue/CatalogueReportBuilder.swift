import Core
import Ledger
import Reports

/// The catalogue report's values (`lostdata catalogue report`): Table 1 and its trimmed twin
/// through `CatalogueTable1`, and the archive charts (Fig 2A, Fig 2B, lost data per year) per
/// facility and combined. Every number is a GROUP BY in the server: a few rows per facility,
/// year, decade and technique come back, never an image row. The charts are built as the study
/// report builds them (same ids, categories, series and notes), so a facility's charts equal
/// its study's own.
public enum CatalogueReportBuilder {
    /// The trimming threshold when `--trim-outliers` is given without a number, and the trimmed
    /// table's in the report: the study file's default `figures.outlierThreshold`. A push does not
    /// carry a facility's own threshold (schema version 1), and one network threshold keeps the
    /// facilities' trimmed columns comparable.
    public static let defaultOutlierThreshold = 50

    static let techniques: [Technique] = [.sem, .stem, .tem]

    struct Bin { var key: Double?; var technique: String?; var images: Int }

    public static func report(_ c: CatalogueConnection, facilities: [String] = [], trimOutliers: Int? = nil) async throws -> CatalogueReport {
        let threshold = trimOutliers ?? defaultOutlierThreshold
        let table1 = try await CatalogueTable1.table(c, facilities: facilities)
        let trimmed = try await CatalogueTable1.table(c, facilities: facilities, trimOutliers: threshold)
        let names = try await CatalogueTable1.facilityNames(c, facilities: facilities)

        var meta: [String: (pushedAt: String, tool: String)] = [:]
        for row in try await c.rows("""
            SELECT name, to_char(pushed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), tool_version
            FROM lostdata.facility WHERE name = ANY(\(names)::text[])
            """) {
            let (name, at, tool) = try row.decode((String, String, String).self)
            meta[name] = (at, tool)
        }
        var perYear: [String: [Bin]] = [:], perDecade: [String: [Bin]] = [:], published: [String: [Bin]] = [:]
        for row in try await c.rows("""
            SELECT facility, year, technique, count(*) FROM lostdata.image WHERE facility = ANY(\(names)::text[])
            GROUP BY facility, year, technique
            """) {
            let (facility, year, technique, n) = try row.decode((String, Int?, String?, Int).self)
            perYear[facility, default: []].append(Bin(key: year.map(Double.init), technique: technique, images: n))
        }
        for row in try await c.rows("""
            SELECT facility, scale_bar_decade_nm, technique, count(*) FROM lostdata.image WHERE facility = ANY(\(names)::text[])
            GROUP BY facility, scale_bar_decade_nm, technique
            """) {
            let (facility, decade, technique, n) = try row.decode((String, Double?, String?, Int).self)
            perDecade[facility, default: []].append(Bin(key: decade, technique: technique, images: n))
        }
        // Published images by publication year: the articles' counts (techniques as counted in
        // Table 1, i.e. folded) of articles not excluded and with a year.
        for row in try await c.rows("""
            SELECT a.facility, r.year, a.technique, sum(a.images)::bigint FROM lostdata.article_images a
            JOIN lostdata.article r ON r.facility = a.facility AND r.id = a.article_id
            WHERE a.facility = ANY(\(names)::text[]) AND r.exclusion IS NULL AND r.year IS NOT NULL
            GROUP BY a.facility, r.year, a.technique
            """) {
            let (facility, year, technique, n) = try row.decode((String, Int, String, Int).self)
            published[facility, default: []].append(Bin(key: Double(year), technique: technique, images: n))
        }

        func figures(_ year: [Bin], _ decade: [Bin], _ pub: [Bin]) -> [StudyReport.Figure] {
            [acquiredPerYear(year), acquiredPerDecade(decade), lostPerYear(year, pub)]
        }
        let all = { (d: [String: [Bin]]) in names.flatMap { d[$0] ?? [] } }
        return CatalogueReport(
            catalogue: c.address.description, table1: table1, table1Trimmed: trimmed, outlierThreshold: threshold,
            combined: figures(all(perYear), all(perDecade), all(published)),
            facilities: names.map { n in
                CatalogueReport.Facility(name: n, pushedAt: meta[n]?.pushedAt ?? "", toolVersion: meta[n]?.tool ?? "",
                                         figures: figures(perYear[n] ?? [], perDecade[n] ?? [], published[n] ?? []))
            })
    }

    // MARK: Charts (as Study+Report.swift draws them)

    static func series(_ cells: [String: [Technique: Int]], categories: [String]) -> [BarChart.Series] {
        techniques.compactMap { t in
            let values = categories.map { cells[$0]?[t] ?? 0 }
            return values.contains { $0 > 0 } ? BarChart.Series(name: t.description, values: values) : nil
        }
    }

    static func acquiredPerYear(_ bins: [Bin]) -> StudyReport.Figure {
        let title = "Fig 2A. Acquired images per acquisition year, by technique"
        var cells: [String: [Technique: Int]] = [:]
        var years = Set<Int>()
        var unknown = 0
        for b in bins {
            guard let y = b.key.map(Int.init), let tech = b.technique.flatMap(Technique.init(name:)) else { unknown += b.images; continue }
            years.insert(y)
            cells[String(y), default: [:]][tech, default: 0] += b.images
        }
        let categories = years.sorted().map(String.init)
        guard !categories.isEmpty else {
            return .missing(id: "fig2a-acquired-per-year", title: title,
                            sentence: "No archive index in the catalogue for these facilities: a facility pushing a study with archive.roots would produce this chart.")
        }
        return .chart(BarChart(id: "fig2a-acquired-per-year", title: title, xLabel: "acquisition year", yLabel: "acquired images (images)",
                               categories: categories, series: series(cells, categories: categories),
                               note: unknown > 0 ? "\(unknown) indexed image(s) without a known year or technique are not shown." : nil))
    }

    static func acquiredPerDecade(_ bins: [Bin]) -> StudyReport.Figure {
        let title = "Fig 2B. Acquired images per scale-bar decade, by technique"
        var cells: [Double: [Technique: Int]] = [:]
        var without = 0
        for b in bins {
            guard let d = b.key, let tech = b.technique.flatMap(Technique.init(name:)) else { without += b.images; continue }
            cells[d, default: [:]][tech, default: 0] += b.images
        }
        guard !cells.isEmpty else {
            return .missing(id: "fig2b-acquired-per-decade", title: title,
                            sentence: "No image in the catalogue for these facilities has a scale bar.")
        }
        let decades = cells.keys.sorted()
        let labelled = Dictionary(decades.map { (ScaleBarDecade.label($0), cells[$0]!) }, uniquingKeysWith: { a, b in a.merging(b, uniquingKeysWith: +) })
        let categories = decades.map(ScaleBarDecade.label)
        return .chart(BarChart(id: "fig2b-acquired-per-decade", title: title, xLabel: "scale-bar decade (lower bound)",
                               yLabel: "acquired images (images)", categories: categories,
                               series: series(labelled, categories: categories), layout: .grouped, scale: .decade,
                               note: "Axis in powers of ten. \(without) image(s) without a scale bar or technique are not shown."))
    }

    static func lostPerYear(_ acquiredBins: [Bin], _ publishedBins: [Bin]) -> StudyReport.Figure {
        let title = "Lost data per year: acquired vs published images"
        func byYear(_ bins: [Bin]) -> [Int: [Technique: Int]] {
            var out: [Int: [Technique: Int]] = [:]
            for b in bins {
                guard let y = b.key.map(Int.init), let t = b.technique.flatMap(Technique.init(name:)) else { continue }
                out[y, default: [:]][t, default: 0] += b.images
            }
            return out
        }
        let acquired = byYear(acquiredBins), published = byYear(publishedBins)
        guard !acquired.isEmpty, !published.isEmpty else {
            return .missing(id: "lost-per-year", title: title,
                            sentence: "This chart needs both an archive index and published images of dated, not excluded articles in the catalogue.")
        }
        let years = Set(acquired.keys).union(published.keys).sorted()
        var out: [BarChart.Series] = []
        for t in techniques {
            let a = years.map { acquired[$0]?[t] ?? 0 }, p = years.map { published[$0]?[t] ?? 0 }
            if a.contains(where: { $0 > 0 }) { out.append(.init(name: "acquired \(t.description)", values: a)) }
            if p.contains(where: { $0 > 0 }) { out.append(.init(name: "published \(t.description)", values: p)) }
        }
        let categories = years.map { y -> String in
            let a = acquired[y]?.values.reduce(0, +) ?? 0, p = published[y]?.values.reduce(0, +) ?? 0
            return "\(y) (" + (Hundredths(percent: p, of: a).map { "\($0.description) %" } ?? "—") + ")"
        }
        return .chart(BarChart(id: "lost-per-year", title: title, xLabel: "year (published share of acquired images)",
                               yLabel: "images (images)", categories: categories, series: out, layout: .grouped, scale: .decade,
                               note: "Acquired images by acquisition year beside published images by publication year; axis in powers of ten. "
                                   + "The share in brackets is published ÷ acquired of that year, all techniques."))
    }
}

import Foundation

extension CatalogueReportBuilder {
    /// Writes the report's files below `out`; a file whose bytes would not change is left
    /// alone. Returns the paths written.
    @discardableResult
    public static func write(_ report: CatalogueReport, to out: URL) throws -> [String] {
        var written: [String] = []
        let fm = FileManager.default
        for (path, content) in CatalogueReportRenderer.files(report) {
            let url = out.appendingPathComponent(path)
            let data = Data(content.utf8)
            if fm.contents(atPath: url.path) == data { continue }
            do {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url, options: .atomic)
            } catch {
                throw CatalogueError("cannot write the report to \(url.path): \(error.localizedDescription)")
            }
            written.append(path)
        }
        return written
    }
}
