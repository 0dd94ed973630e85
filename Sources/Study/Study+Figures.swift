import Core
import Figures
import Foundation
import GRDB
import Ledger

/// What `figures import` did.
public struct FiguresImportSummary: Sendable {
    /// Articles stored (new or replacing an earlier import of the same file).
    public var stored: Int
    /// Stored articles that no bibliography record matches by DOI: (file, DOI or nil).
    public var withoutRecord: [(file: String, doi: String?)]
    /// The outliers among the imported articles, by `figures.outlierThreshold`.
    public var outliers: OutlierTrim
}

extension Study {
    /// Stores per-article counts: for the study's own articles (`baseline` nil) or as the
    /// third-party baseline source `baseline`. Each article is linked to its bibliography record
    /// (`article.doi`) when that table exists. Rows of the same files and baseline are replaced;
    /// people's decisions are never touched.
    public func importFigures(_ articles: [ArticleFigures], baseline: String?) throws -> FiguresImportSummary {
        let threshold = file.figures.outlierThreshold
        return try runStage("figures") { db in
            let linking = try db.tableExists("article")
            var without: [(String, String?)] = []
            let now = Date()
            // Replace whatever an earlier import stored for these files (and this baseline).
            for path in Set(articles.map(\.file)) {
                try db.execute(sql: "DELETE FROM figureCount WHERE file = ? AND baseline IS ?", arguments: [path, baseline])
                try db.execute(sql: "DELETE FROM figurePanel WHERE file = ? AND baseline IS ?", arguments: [path, baseline])
            }
            var positions: [String: Int] = [:]
            for a in articles {
                let path = a.file
                let position = positions[path, default: 0]
                positions[path] = position + 1
                let doi = a.doi?.value
                var articleId: String?
                if linking, let doi {
                    articleId = try String.fetchOne(db, sql: "SELECT id FROM article WHERE doi = ? LIMIT 1", arguments: [doi])
                }
                if articleId == nil { without.append((path, doi)) }
                let total = a.total
                try db.execute(sql: """
                    INSERT INTO figureCount (file, position, doi, articleId, baseline, semImages, stemImages, temImages, figures,
                        emFigures, mainImages, supplementImages, supplementItems, uncountedSupplements, lowerBound,
                        reusedImages, flags, scaleBarsNm, importedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [path, position, doi, articleId, baseline, total.sem, total.stem, total.tem, a.mainFigures.count,
                                     a.emFigures, a.main.total, a.supplementary.total, a.supplements.count,
                                     a.uncountedSupplements, a.lowerBound, a.reusedPanels, a.flags.joined(separator: ","),
                                     a.scaleBarsNm.map { String($0) }.joined(separator: ","), now])
                for fig in a.figures {
                    for p in fig.emPanels {
                        try db.execute(sql: """
                            INSERT INTO figurePanel (file, baseline, figure, panel, technique, supplementary, reused, words, place, evidence, scaleBarNm)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [path, baseline, fig.label.isEmpty ? (fig.id ?? "") : fig.label, p.label,
                                             p.technique?.rawValue ?? "", fig.role != .main, p.reused, p.decidedBy,
                                             p.place?.rawValue, CaptionText.display(p.evidence),
                                             p.scaleBarsNm.min() ?? (fig.reading.figureScaleBarsNm.count == 1 ? fig.reading.figureScaleBarsNm[0] : nil)])
                    }
                }
            }
            let summary = "{\"articles\":\(articles.count),\"withoutRecord\":\(without.count),\"baseline\":\(baseline.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" } ?? "null")}"
            let result = FiguresImportSummary(stored: articles.count, withoutRecord: without,
                                              outliers: OutlierTrim(articles, threshold: threshold))
            return (result, summary: summary)
        }
    }

    /// Per-article EM image counts stored by `lostdata figures import` for a source.
    ///
    /// Rows imported with `--baseline NAME` belong to the source named NAME; rows imported
    /// without it are the study's own articles and serve every source declared
    /// `articles: figures` whose name is not a baseline name. An article imported from two files
    /// (same bibliography record or DOI) counts once, from the first file by name. Image counts
    /// a person decided on the review page (decision kind `images`) replace the stored counts of
    /// the study's own articles, and count for articles without stored counts.
    func publishedFromFigures(source: String) throws -> (articles: [ArticleImages], excluded: [String]) {
        try database.read { db in
            guard try db.tableExists("figureCount") else { return ([], []) }
            let baselines = Set(try String.fetchAll(db, sql: "SELECT DISTINCT baseline FROM figureCount WHERE baseline IS NOT NULL"))
            let rows: [Row]
            if baselines.contains(source) {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM figureCount WHERE baseline = ? ORDER BY file, position", arguments: [source])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM figureCount WHERE baseline IS NULL ORDER BY file, position")
            }
            // Articles the bibliography sets aside (reviews, translations, …) publish no images of
            // their own (the paper excludes them), so their figures do not count. The record is
            // found by the id stored at import or, when the bibliography came later, by DOI.
            var exclusionByID: [String: String] = [:], exclusionByDOI: [String: String] = [:]
            if try db.tableExists("article") {
                for r in try Row.fetchAll(db, sql: "SELECT id, doi, exclusion FROM article WHERE exclusion IS NOT NULL") {
                    exclusionByID[r["id"]] = r["exclusion"]
                    if let doi: String = r["doi"] { exclusionByDOI[doi] = r["exclusion"] }
                }
            }
            // Counts a person entered on the review page replace the Figures stage's for the study's
            // own articles (a miscounted figure, or no readable full text: the paper's ImageJ case).
            var decidedImages: [String: [Technique: Int]] = [:], articleByDOI: [String: String] = [:]
            var decidedExclusion: [String: String] = [:]
            if !baselines.contains(source), try db.tableExists("article") {
                let aliases = try ArticleAliases(db)
                decidedImages = try Self.latestImageDecisions(db, aliases: aliases)
                for r in try Row.fetchAll(db, sql: "SELECT id, doi, exclusion FROM article WHERE doi IS NOT NULL") {
                    articleByDOI[r["doi"]] = r["id"]
                }
                for id in decidedImages.keys {
                    if let reason = try String.fetchOne(db, sql: "SELECT exclusion FROM article WHERE id = ?", arguments: [id]) {
                        decidedExclusion[id] = reason
                    }
                }
            }
            var seen = Set<String>()
            var out: [ArticleImages] = []
            var excluded: [String] = []
            for row in rows {
                let file: String = row["file"]
                let articleID: String? = row["articleId"], doi: String? = row["doi"]
                let id = articleID ?? doi.map { "doi:\($0)" } ?? "file:\(file)"
                guard seen.insert(id).inserted else { continue }
                if let reason = articleID.flatMap({ exclusionByID[$0] }) ?? doi.flatMap({ exclusionByDOI[$0] }) {
                    excluded.append("\(id) (\(reason))")
                    continue
                }
                let current = articleID ?? doi.flatMap { articleByDOI[$0] }
                if let current, let decided = decidedImages[current] {
                    seen.insert(current)
                    out.append(ArticleImages(id: id, images: decided))
                    continue
                }
                out.append(ArticleImages(id: id, images: [.sem: row["semImages"], .stem: row["stemImages"], .tem: row["temImages"]]))
            }
            // Articles counted only by hand (no figure counts stored), in id order.
            for (id, images) in decidedImages.sorted(by: { $0.key < $1.key }) where !seen.contains(id) {
                if let reason = decidedExclusion[id] { excluded.append("\(id) (\(reason))"); continue }
                seen.insert(id)
                out.append(ArticleImages(id: id, images: images))
            }
            return (out, excluded)
        }
    }
}
