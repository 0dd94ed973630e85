import Bibliography
import Core
import Foundation
import GRDB
@testable import Study

extension Study {
    /// Rebuilds the article list from every stored record, held in memory and deduplicated by
    /// `Bibliography.analyse`, applies people's decisions, and returns the analysis, the excluded
    /// counts by reason and the orphaned decisions. What `bib import` ran until the bounded
    /// rebuild took its place; kept here as the reference the bounded one is held to.
    func rebuildArticleList(_ db: Database, deduplicator dedup: Deduplicator,
                            rules: ExclusionRules) throws -> (Analysis, [String: Int], [String]) {
        var records: [BibRecord] = []
        var keys: [(String, Int)] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT r.fileId, r.ordinal, r.json FROM bibRecord r JOIN bibFile f ON f.id = r.fileId ORDER BY f.importedAt, f.rowid, r.ordinal")
        while let row = try rows.next() {
            let fileId: String = row["fileId"], ordinal: Int = row["ordinal"]
            let json: Data = row["json"]
            records.append(try StoredRecordJSON.decode([UInt8](json)))
            keys.append((fileId, ordinal))
        }
        let analysis = Bibliography.analyse(records, deduplicator: dedup, rules: rules)
        try db.execute(sql: "DELETE FROM article; DELETE FROM articleSource; DELETE FROM bibMerge")
        try ArticleAliases.store(db, articles: analysis.articles, records: records)
        let (decisions, orphaned) = try Self.latestExclusionDecisions(db)
        let insertArticle = try db.makeStatement(sql: Self.insertArticleSQL)
        let insertSource = try db.makeStatement(sql: Self.insertArticleSourceSQL)
        var excluded: [String: Int] = [:]
        for a in analysis.articles {
            let machine = a.verdict.exclusion?.rawValue
            let effective = Self.effectiveExclusion(machine: machine, decision: decisions[a.id])
            if let e = effective { excluded[e, default: 0] += 1 }
            try insertArticle.execute(arguments: Self.articleArguments(a, exclusion: effective))
            for (rank, m) in a.members.enumerated() {
                let s = records[m].source
                try insertSource.execute(arguments: [a.id, rank, keys[m].0, keys[m].1, s.database.rawValue, s.id, s.file, s.line, s.endLine])
            }
        }
        for e in analysis.mergeLog {
            try db.execute(sql: "INSERT INTO bibMerge (articleId, rule, detail, mergedFileId, mergedOrdinal, intoFileId, intoOrdinal) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [analysis.articles[analysis.articleOf[e.merged]].id, e.rule.rawValue, e.detail,
                                       keys[e.merged].0, keys[e.merged].1, keys[e.into].0, keys[e.into].1])
        }
        return (analysis, excluded, orphaned)
    }

    /// An `article` row's values (`insertArticleSQL`), with `exclusion` the effective one.
    static func articleArguments(_ a: Article, exclusion effective: String?) -> StatementArguments {
        StatementArguments(articleValues(a, exclusion: effective))
    }
}

extension ArticleAliases {
    /// Stores the aliases of a freshly built article list: each article's id and the stable id of
    /// every record merged into it.
    static func store(_ db: Database, articles: [Article], records: [BibRecord]) throws {
        try db.execute(sql: "DELETE FROM articleAlias")
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO articleAlias (alias, articleId) VALUES (?, ?)")
        for a in articles {
            try insert.execute(arguments: [a.id, a.id])
            for m in a.members {
                let alias = records[m].stableID
                if alias != a.id { try insert.execute(arguments: [alias, a.id]) }
            }
        }
    }
}
