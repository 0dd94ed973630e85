import Classification
import Core
import Foundation
import GRDB
import Ledger
import Reports

/// The study report's values (docs/report.md): Table 1 through the same `table1` function the
/// `table1` command uses — so people's decisions show the same way in both — and each figure's
/// series from the study's tables. Reports only lays these out.
public struct StudyReportResult: Sendable {
    public var report: StudyReport
    public var rejected: [InputError]
    public var warnings: [String]
}

extension Study {

    public func studyReport() throws -> StudyReportResult {
        let threshold = file.figures.outlierThreshold
        var rejected: [InputError] = []
        var warnings: [String] = []
        let plain = try table1()
        let trimmed = try table1(trimOutliers: threshold)
        rejected += plain.rejected
        warnings += plain.warnings
        var figures: [StudyReport.Figure] = []
        figures.append(try acquiredPerYear())
        figures.append(try acquiredPerDecade())
        let classification = try? classificationSummary()
        figures.append(articlesPerCategory(classification))
        figures.append(publishedPerCategoryAndYear(classification))
        figures += try publishedPerDecade()
        figures.append(try lostPerYear())
        let report = StudyReport(name: file.name, period: file.period, inputs: try reportInputs(), table1: plain.table,
                                 table1Trimmed: trimmed.table, outlierThreshold: threshold, figures: figures)
        return StudyReportResult(report: report, rejected: rejected, warnings: warnings)
    }

    // MARK: Inputs

    func relativePath(_ path: String) -> String {
        let base = directory.standardizedFileURL.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    static func sha256(of path: String) -> (String, Int) {
        guard let data = FileManager.default.contents(atPath: path) else { return ("(missing)", 0) }
        return (SHA256.hex(data), data.count)
    }

    func reportInputs() throws -> [StudyReport.Input] {
        try database.read { db in
            var out: [StudyReport.Input] = []
            if try db.tableExists("archiveDirectory") {
                for row in try Row.fetchAll(db, sql: """
                    SELECT d.root, COUNT(i.id) FROM archiveDirectory d LEFT JOIN archiveImage i ON i.directory = d.id
                    GROUP BY d.root ORDER BY d.root
                    """) {
                    let root: String = row[0]
                    // A folder has no checksum of its own: the SHA-256 of the scan's digest of
                    // every directory listing (names, sizes, times) below it stands in for one.
                    var listing = SHA256()
                    let digests = try Row.fetchCursor(db, sql: "SELECT path, digest FROM archiveDirectory WHERE root = ? ORDER BY path", arguments: [root])
                    while let d = try digests.next() {
                        // Paths relative to the root: the same archive elsewhere gives the same sum.
                        let path: String = d[0]
                        listing.update(Array("\(path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path) \(d[1] as Int64)\n".utf8))
                    }
                    let sha = listing.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
                    out.append(.init(stage: "archive", path: relativePath(root), sha256: sha, bytes: 0,
                                     read: row[1], kept: row[1]))
                }
            }
            if try db.tableExists("bibFile") {
                for row in try Row.fetchAll(db, sql: """
                    SELECT f.path, f.records, f.rejected,
                           (SELECT COUNT(*) FROM articleSource s WHERE s.fileId = f.id AND s.rank = 0)
                    FROM bibFile f ORDER BY f.path
                    """) {
                    let path: String = row[0]
                    let (sha, bytes) = Self.sha256(of: path)
                    let read: Int = row[1], rejected: Int = row[2], kept: Int = row[3]
                    out.append(.init(stage: "bibliography", path: relativePath(path), sha256: sha, bytes: bytes, read: read, kept: kept,
                                     merged: read - rejected - kept, rejected: rejected))
                }
            }
            if try db.tableExists("figureCount") {
                for row in try Row.fetchAll(db, sql: "SELECT file, baseline, COUNT(*) FROM figureCount GROUP BY file, baseline ORDER BY baseline IS NOT NULL, baseline, file") {
                    let path: String = row[0]
                    let (sha, bytes) = Self.sha256(of: path)
                    let baseline: String? = row[1]
                    out.append(.init(stage: baseline.map { "figures (\($0))" } ?? "figures", path: relativePath(path), sha256: sha,
                                     bytes: bytes, read: row[2], kept: row[2]))
                }
            }
            return out
        } + rulesInput()
    }

    /// The rules file as `classificationRules()` would choose it, without loading it: compiling
    /// the rules' patterns cost a third of a report.
    func rulesInput() -> [StudyReport.Input] {
        let local = directory.appendingPathComponent(ShippedRules.fileName).path
        guard let path = file.classification.rules.map({ resolve($0).path })
                ?? (FileManager.default.fileExists(atPath: local) ? local : nil) else { return [] }
        let (sha, bytes) = Self.sha256(of: path)
        return [.init(stage: "classification rules", path: relativePath(path), sha256: sha, bytes: bytes)]
    }

    // MARK: Figure 2 (the archive)

    func acquiredPerYear() throws -> StudyReport.Figure {
        var perYear: ArchiveFigures.Cells<Int> = [:]
        var unknown = 0
        for b in try hasArchive() ? archiveGroupBy([.year, .technique]) : [] {
            guard case .integer(let y) = b.values[0].value, case .text(let t) = b.values[1].value, let tech = Technique(name: t) else {
                unknown += b.images; continue
            }
            perYear[y, default: [:]][tech, default: 0] += b.images
        }
        return ArchiveFigures.acquiredPerYear(perYear, unknown: unknown, missing:
            "No archive index: declare the archive's folders under archive.roots in study.yaml and run `lostdata run` to chart the images acquired per year.")
    }

    func acquiredPerDecade() throws -> StudyReport.Figure {
        var perDecade: ArchiveFigures.Cells<Double> = [:]
        var without = 0
        for b in try hasArchive() ? archiveGroupBy([.decade, .technique]) : [] {
            guard case .number(let d) = b.values[0].value, case .text(let t) = b.values[1].value, let tech = Technique(name: t) else {
                without += b.images; continue
            }
            perDecade[d, default: [:]][tech, default: 0] += b.images
        }
        return ArchiveFigures.acquiredPerDecade(perDecade, without: without, missing:
            "No image in the archive index has a scale bar: an archive whose metadata gives the pixel size (declared under archive.roots) would produce this chart.")
    }

    func hasArchive() throws -> Bool {
        try database.read { db in try db.tableExists("archiveImage") && (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archiveImage") ?? 0) > 0 }
    }

    // MARK: Figure 3 (the articles)

    func articlesPerCategory(_ summary: ClassificationSummary?) -> StudyReport.Figure {
        let title = "Fig 3A. Articles per category and subcategory"
        guard let summary, summary.articles > 0 else {
            return .missing(id: "fig3a-articles-per-category", title: title,
                            sentence: "No classified articles: declare literature exports under inputs.exports in study.yaml and run `lostdata run` to chart the articles per category.")
        }
        let shown = summary.categories.filter { $0.articles > 0 }
        let assignments = shown.filter { $0.parent == nil }.reduce(0) { $0 + $1.articles }
        let categories = shown.map { c in (c.parent == nil ? "" : "↳ ") + c.name + String(format: " (%.1f %%)", c.percent) }
        return .chart(BarChart(id: "fig3a-articles-per-category", title: title, xLabel: "category (share of classified articles)",
                               yLabel: "articles (articles)", categories: categories,
                               series: [.init(name: "articles", values: shown.map(\.articles))],
                               note: "\(summary.articles) classified article(s); an article in several categories counts in each "
                                   + "(\(assignments) top-level assignments), so the shares add up to more than 100 %. "
                                   + "\(summary.reviewed) article(s) carry a person's decision."))
    }

    func publishedPerCategoryAndYear(_ summary: ClassificationSummary?) -> StudyReport.Figure {
        let title = "Fig 3B. Published images per category and publication year"
        guard let cells = summary?.imagesByCategoryAndYear, !cells.isEmpty else {
            return .missing(id: "fig3b-published-per-category-year", title: title,
                            sentence: "No published images of classified articles: declare the articles' JATS under inputs.articles and their exports under inputs.exports, then run `lostdata run`.")
        }
        let years = Array(Set(cells.map { $0.year.map(String.init) ?? "unknown" })).sorted()
        var order: [String] = []
        for c in cells where !order.contains(c.category) { order.append(c.category) }
        let series = order.map { cat in
            BarChart.Series(name: cat, values: years.map { y in
                cells.filter { $0.category == cat && ($0.year.map(String.init) ?? "unknown") == y }.reduce(0) { $0 + $1.images }
            })
        }
        return .chart(BarChart(id: "fig3b-published-per-category-year", title: title, xLabel: "publication year",
                               yLabel: "published EM images (images)", categories: years, series: series,
                               note: "Each article counts under the top-level category of its primary category."))
    }

    /// Fig 3C (SEM, with STEM) and 3D (TEM): EM panels per stated scale-bar decade, of exactly the
    /// articles Table 1 counts (`countedArticles`): an excluded article's panels, or a second
    /// file of the same article, are not shown. Where a person entered an article's counts, its
    /// caption panels no longer stand for them: its images count as stating no scale bar. So each
    /// chart's bars plus its "no scale bar" number equal Table 1's published images.
    func publishedPerDecade() throws -> [StudyReport.Figure] {
        let (rows, decided): ([(String, Double?)], [Technique: Int]) = try database.read { db in
            guard try db.tableExists("figurePanel") else { return ([], [:]) }
            let counted = try Self.countedArticles(db, baseline: nil).articles
            let files = Set(counted.filter { !$0.decided }.compactMap(\.file))
            var decided: [Technique: Int] = [:]
            for a in counted where a.decided { for (t, n) in a.images { decided[t, default: 0] += n } }
            let panels = try Row.fetchAll(db, sql: "SELECT file, technique, scaleBarNm FROM figurePanel WHERE baseline IS NULL")
                .filter { files.contains($0[0]) }.map { ($0[1] as String, $0[2] as Double?) }
            return (panels, decided)
        }
        let groups: [(String, String, Set<String>)] = [
            ("fig3c-published-sem-per-decade", "Fig 3C. Published SEM and STEM images per scale-bar decade", ["SEM", "STEM"]),
            ("fig3d-published-tem-per-decade", "Fig 3D. Published TEM images per scale-bar decade", ["TEM"]),
        ]
        return groups.map { id, title, techs in
            var perDecade: [Double: [Technique: Int]] = [:]
            var without = decided.filter { techs.contains($0.key.description.uppercased()) }.values.reduce(0, +)
            for (t, nm) in rows where techs.contains(t.uppercased()) {
                guard let nm, nm > 0, let tech = Technique(name: t) else { without += 1; continue }
                perDecade[pow(10, floor(log10(nm) + 1e-9)), default: [:]][tech, default: 0] += 1
            }
            guard !perDecade.isEmpty else {
                return .missing(id: id, title: title, sentence: without > 0
                    ? "None of the \(without) published image(s) of this technique states a scale bar in its caption."
                    : "No published images of this technique: declare the facility's articles' JATS under inputs.articles and run `lostdata run`.")
            }
            let (categories, labelled) = ArchiveFigures.labelledDecades(perDecade)
            return .chart(BarChart(id: id, title: title, xLabel: "scale-bar decade stated in the caption (lower bound)",
                                   yLabel: "published images (images)", categories: categories,
                                   series: ArchiveFigures.techniqueSeries(labelled, categories: categories),
                                   note: "\(without) published image(s) of \(techs.sorted().joined(separator: " and ")) state no scale bar and are not shown."))
        }
    }

    // MARK: Lost data per year

    func lostPerYear() throws -> StudyReport.Figure {
        var acquired: [Int: [Technique: Int]] = [:]
        if try hasArchive() {
            for b in try archiveGroupBy([.year, .technique]) {
                guard case .integer(let y) = b.values[0].value, case .text(let t) = b.values[1].value, let tech = Technique(name: t) else { continue }
                acquired[y, default: [:]][tech, default: 0] += b.images
            }
        }
        // Published: the articles Table 1 counts (`countedArticles`), by their record's year.
        let published: [Int: [Technique: Int]] = try database.read { db in
            guard try db.tableExists("figureCount"), try db.tableExists("article") else { return [:] }
            var years: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT id, year FROM article WHERE year IS NOT NULL AND id IS NOT NULL") { years[r[0]] = r[1] }
            var out: [Int: [Technique: Int]] = [:]
            for a in try Self.countedArticles(db, baseline: nil).articles {
                guard let y = a.articleID.flatMap({ years[$0] }) else { continue }
                for (t, n) in a.images { out[y, default: [:]][t, default: 0] += n }
            }
            return out
        }
        return ArchiveFigures.lostPerYear(acquired: acquired, published: published, missing:
            "This chart needs both an archive index (archive.roots) and published images linked to dated bibliography records (inputs.articles and inputs.exports).")
    }
}

extension Study {
    /// The report's folder: `report/` in the study unless another is given.
    public func reportDirectory(_ given: String? = nil) -> URL {
        given.map { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL } ?? directory.appendingPathComponent("report", isDirectory: true)
    }

    /// Computes the report and writes its files below `out`. A file whose bytes would not change
    /// is left alone (its modification time too); the returned paths are those written.
    @discardableResult
    public func writeReport(to out: URL) throws -> (result: StudyReportResult, written: [String]) {
        let result = try studyReport()
        do {
            return (result, try FolderWriter.writeChanged(StudyReportRenderer.files(result.report), below: out))
        } catch let f as FolderWriter.Failure {
            throw InputError("cannot write the report: \(f.reason)", file: f.path)
        }
    }
}
