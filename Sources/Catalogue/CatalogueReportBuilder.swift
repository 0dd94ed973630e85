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

    // MARK: Charts (drawn by `ArchiveFigures`, as a study's report draws them)

    /// Sums bins per key and technique; the images of bins without a key or a known technique
    /// are returned apart (the charts' notes give their number).
    static func cells<Key: Hashable>(_ bins: [Bin], key: (Double) -> Key) -> (cells: ArchiveFigures.Cells<Key>, unplaced: Int) {
        var cells: ArchiveFigures.Cells<Key> = [:]
        var unplaced = 0
        for b in bins {
            guard let k = b.key, let tech = b.technique.flatMap(Technique.init(name:)) else { unplaced += b.images; continue }
            cells[key(k), default: [:]][tech, default: 0] += b.images
        }
        return (cells, unplaced)
    }

    static func acquiredPerYear(_ bins: [Bin]) -> StudyReport.Figure {
        let (perYear, unknown) = cells(bins, key: { Int($0) })
        return ArchiveFigures.acquiredPerYear(perYear, unknown: unknown, missing:
            "No archive index in the catalogue for these facilities: a facility pushing a study with archive.roots would produce this chart.")
    }

    static func acquiredPerDecade(_ bins: [Bin]) -> StudyReport.Figure {
        let (perDecade, without) = cells(bins, key: { $0 })
        return ArchiveFigures.acquiredPerDecade(perDecade, without: without, missing:
            "No image in the catalogue for these facilities has a scale bar.")
    }

    static func lostPerYear(_ acquiredBins: [Bin], _ publishedBins: [Bin]) -> StudyReport.Figure {
        ArchiveFigures.lostPerYear(acquired: cells(acquiredBins, key: { Int($0) }).cells,
                                   published: cells(publishedBins, key: { Int($0) }).cells, missing:
            "This chart needs both an archive index and published images of dated, not excluded articles in the catalogue.")
    }
}

import Foundation

extension CatalogueReportBuilder {
    /// Writes the report's files below `out`; a file whose bytes would not change is left
    /// alone. Returns the paths written.
    @discardableResult
    public static func write(_ report: CatalogueReport, to out: URL) throws -> [String] {
        do {
            return try FolderWriter.writeChanged(CatalogueReportRenderer.files(report), below: out)
        } catch let f as FolderWriter.Failure {
            throw CatalogueError("cannot write the report to \(f.path): \(f.reason)")
        }
    }
}
