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
    /// Forgets the counts of every (file, baseline) that `declared` does not name — baseline nil
    /// for the study's own articles — and returns the files forgotten, in order.
    ///
    /// Why: `run` imports the JATS `study.yaml` declares, and rows are replaced file by file, so
    /// the rows of a file no longer declared (removed from `inputs.articles`, or left behind at
    /// its old path when the study folder moved) stayed and were listed as inputs. Only rows
    /// go; no file is touched, and `figures import` adds a file back.
    public func forgetFigureFiles(except declared: [(baseline: String?, files: [String])]) throws -> [String] {
        var keep = Set<String>()
        for (baseline, files) in declared { for f in files { keep.insert((baseline ?? "") + "\u{0}" + f) } }
        return try database.write { db in
            guard try db.tableExists("figureCount") else { return [] }
            var gone: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT file, baseline FROM figureCount ORDER BY file, baseline") {
                let file: String = row[0], baseline: String? = row[1]
                guard !keep.contains((baseline ?? "") + "\u{0}" + file) else { continue }
                try db.execute(sql: "DELETE FROM figureCount WHERE file = ? AND baseline IS ?", arguments: [file, baseline])
                try db.execute(sql: "DELETE FROM figurePanel WHERE file = ? AND baseline IS ?", arguments: [file, baseline])
                gone.append(file)
            }
            return gone
        }
    }

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
    /// `articles: figures` whose name is not a baseline name. The rule of which articles count,
    /// and with which counts, is `countedArticles` — shared with the report's charts.
    func publishedFromFigures(source: String) throws -> (articles: [ArticleImages], excluded: [String]) {
        try database.read { db in
            guard try db.tableExists("figureCount") else { return ([], []) }
            let baselines = Set(try String.fetchAll(db, sql: "SELECT DISTINCT baseline FROM figureCount WHERE baseline IS NOT NULL"))
            let counted = try Self.countedArticles(db, baseline: baselines.contains(source) ? source : nil)
            return (counted.articles.map { ArticleImages(id: $0.id, images: $0.images) }, counted.excluded)
        }
    }

    /// The published articles of the study's own facility (`baseline` nil) or of a baseline
    /// source, as Table 1 counts them — the one rule every published-image number of the study
    /// follows (Table 1, the report's Fig 3B, 3C/3D and lost data per year):
    ///
    /// - an article imported from two files (same bibliography record or DOI) counts once, from
    ///   the first file by name;
    /// - an article the bibliography sets aside (review, translation, … — `article.exclusion`,
    ///   which already holds people's exclusion decisions) counts not at all: the paper excludes
    ///   them, they publish no images of their own;
    /// - for the study's own articles, image counts a person entered on the review page (decision
    ///   kind `images`) replace the Figures stage's, and count for articles without stored counts.
    static func countedArticles(_ db: Database, baseline: String?) throws -> CountedArticles {
        guard try db.tableExists("figureCount") else { return CountedArticles(articles: [], excluded: []) }
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM figureCount WHERE baseline IS ? ORDER BY file, position", arguments: [baseline])
        // The record is found by the id stored at import or, when the bibliography came later, by DOI.
        var exclusionByID: [String: String] = [:], exclusionByDOI: [String: String] = [:]
        var articleByDOI: [String: String] = [:]
        let hasArticles = try db.tableExists("article")
        if hasArticles {
            for r in try Row.fetchAll(db, sql: "SELECT id, doi, exclusion FROM article WHERE exclusion IS NOT NULL") {
                exclusionByID[r["id"]] = r["exclusion"]
                if let doi: String = r["doi"] { exclusionByDOI[doi] = r["exclusion"] }
            }
        }
        // Counts a person entered on the review page replace the Figures stage's for the study's
        // own articles (a miscounted figure, or no readable full text: the paper's ImageJ case).
        var decidedImages: [String: [Technique: Int]] = [:]
        var decidedExclusion: [String: String] = [:]
        if baseline == nil, hasArticles {
            let aliases = try ArticleAliases(db)
            decidedImages = try Self.latestImageDecisions(db, aliases: aliases)
            for id in decidedImages.keys {
                if let reason = try String.fetchOne(db, sql: "SELECT exclusion FROM article WHERE id = ?", arguments: [id]) {
                    decidedExclusion[id] = reason
                }
            }
        }
        if hasArticles {
            for r in try Row.fetchAll(db, sql: "SELECT id, doi FROM article WHERE doi IS NOT NULL") {
                articleByDOI[r["doi"]] = r["id"]
            }
        }
        var seen = Set<String>()
        var out: [CountedArticle] = []
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
                out.append(CountedArticle(id: id, articleID: current, file: file, images: decided, decided: true))
                continue
            }
            out.append(CountedArticle(id: id, articleID: current, file: file,
                                      images: [.sem: row["semImages"], .stem: row["stemImages"], .tem: row["temImages"]], decided: false))
        }
        // Articles counted only by hand (no figure counts stored), in id order.
        for (id, images) in decidedImages.sorted(by: { $0.key < $1.key }) where !seen.contains(id) {
            if let reason = decidedExclusion[id] { excluded.append("\(id) (\(reason))"); continue }
            seen.insert(id)
            out.append(CountedArticle(id: id, articleID: id, file: nil, images: images, decided: true))
        }
        return CountedArticles(articles: out, excluded: excluded)
    }
}

/// One published article as Table 1 counts it (`Study.countedArticles`).
struct CountedArticle: Sendable {
    /// The id Table 1 knows it by (record id, else `doi:…`, else `file:…`).
    var id: String
    /// The current bibliography record, when there is one (for its year and category).
    var articleID: String?
    /// The full-text file whose counts and caption panels are used; nil for an article counted
    /// only by hand.
    var file: String?
    var images: [Technique: Int]
    /// The counts are a person's (review page), not the Figures stage's: the caption panels of
    /// `file` no longer stand for them.
    var decided: Bool
}

struct CountedArticles: Sendable {
    var articles: [CountedArticle]
    /// "id (reason)" of the articles left out because the bibliography excludes them.
    var excluded: [String]
}
