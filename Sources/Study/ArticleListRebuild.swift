import Bibliography
import Core
import Foundation
import GRDB

/// What a bounded rebuild of the article list did (`rebuildArticleListBounded`).
struct ArticleListSummary {
    var records = 0
    var articles = 0
    /// Articles per effective exclusion (after people's decisions).
    var excluded: [String: Int] = [:]
    var orphanedDecisions: [String] = []
}

extension Study {
    /// Rebuilds the article list from every stored record — the same tables, row for row, as
    /// `rebuildArticleList` — without holding the records in memory.
    ///
    /// Why: `literature search` stores hundreds of thousands of records (bench/acquisition walks
    /// 2,000 pages, 230,000 records), and decoding them all into `BibRecord`s for
    /// `Bibliography.analyse` took 663 MB. Here each stored record is decoded once to its
    /// deduplication keys (`DedupKeys`, a few hundred bytes) and dropped; the clusters come from
    /// those keys alone; then each cluster's records are read back by rowid, merged, judged and
    /// written, one cluster at a time. People's decisions are applied afterwards, to the few
    /// articles they name. The price is a second decode of every record. (Test:
    /// `ArticleListRebuildTests`, bounded == full on a list with duplicates across pages and
    /// sources and decisions.)
    func rebuildArticleListBounded(_ db: Database, deduplicator dedup: Deduplicator, rules: ExclusionRules) throws -> ArticleListSummary {
        // 1. Keys of every record, in the order of the full rebuild.
        var keys: [DedupKeys] = []
        var rowids: [Int64] = []
        var fileOf: [Int32] = []
        var ordinals: [Int32] = []
        var fileIDs: [String] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT r.rowid, r.fileId, r.ordinal, r.json FROM bibRecord r JOIN bibFile f ON f.id = r.fileId ORDER BY f.importedAt, f.rowid, r.ordinal")
        while let row = try rows.next() {
            let fileId: String = row[1], ordinal: Int = row[2]
            if fileIDs.last != fileId { fileIDs.append(fileId) }
            let record = try Self.decodeStored(row[3] as Data, fileId: fileId, ordinal: ordinal)
            keys.append(DedupKeys(record))
            rowids.append(row[0])
            fileOf.append(Int32(fileIDs.count - 1))
            ordinals.append(Int32(ordinal))
        }
        let result = dedup.run(keys: keys)
        keys = []

        // 2. Each cluster's records read back, merged, judged and written with its aliases.
        try db.execute(sql: "DELETE FROM article; DELETE FROM articleSource; DELETE FROM bibMerge; DELETE FROM articleAlias")
        let read = try db.makeStatement(sql: "SELECT json, fileId, ordinal FROM bibRecord WHERE rowid = ?")
        let insertArticle = try db.makeStatement(sql: Self.insertArticleSQL)
        let insertSource = try db.makeStatement(sql: Self.insertArticleSourceSQL)
        let insertAlias = try db.makeStatement(sql: "INSERT OR IGNORE INTO articleAlias (alias, articleId) VALUES (?, ?)")
        var ids = UniqueArticleIDs(capacity: result.clusters.count)
        var articleIDs: [String] = []
        articleIDs.reserveCapacity(result.clusters.count)
        for cluster in result.clusters {
            var members: [BibRecord] = []
            members.reserveCapacity(cluster.members.count)
            for m in cluster.members {
                guard let row = try Row.fetchOne(read, arguments: [rowids[m]]) else {
                    throw InputError("stored record \(ordinals[m]) of \(fileIDs[Int(fileOf[m])]) vanished during the rebuild", file: "study.sqlite")
                }
                members.append(try Self.decodeStored(row[0] as Data, fileId: row[1], ordinal: row[2]))
            }
            var a = Bibliography.article(of: members, members: cluster.members, rules: rules)
            a.id = ids.unique(a.id)
            articleIDs.append(a.id)
            // Aliases in the order `ArticleAliases.store` writes them.
            try insertAlias.execute(arguments: [a.id, a.id])
            for r in members where r.stableID != a.id { try insertAlias.execute(arguments: [r.stableID, a.id]) }
            // The machine's verdict for now; decisions are applied below.
            try insertArticle.execute(arguments: Self.articleArguments(a, exclusion: a.verdict.exclusion?.rawValue))
            for (rank, m) in cluster.members.enumerated() {
                let s = members[rank].source
                try insertSource.execute(arguments: [a.id, rank, fileIDs[Int(fileOf[m])], Int(ordinals[m]), s.database.rawValue, s.id, s.file, s.line, s.endLine])
            }
        }
        let insertMerge = try db.makeStatement(sql: "INSERT INTO bibMerge (articleId, rule, detail, mergedFileId, mergedOrdinal, intoFileId, intoOrdinal) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for e in result.events {
            try insertMerge.execute(arguments: [articleIDs[result.clusterOf[e.merged]], e.rule.rawValue, e.detail,
                                                fileIDs[Int(fileOf[e.merged])], Int(ordinals[e.merged]), fileIDs[Int(fileOf[e.into])], Int(ordinals[e.into])])
        }

        // 3. People's decisions, on top of the machine's verdicts.
        let (decisions, orphaned) = try Self.latestExclusionDecisions(db)
        let decide = try db.makeStatement(sql: "UPDATE article SET exclusion = ? WHERE id = ?")
        for (id, value) in decisions {
            let machine = try String.fetchOne(db, sql: "SELECT machineExclusion FROM article WHERE id = ?", arguments: [id])
            try decide.execute(arguments: [Self.effectiveExclusion(machine: machine, decision: value), id])
        }
        var summary = ArticleListSummary(records: rowids.count, articles: result.clusters.count, orphanedDecisions: orphaned)
        for row in try Row.fetchAll(db, sql: "SELECT exclusion, COUNT(*) FROM article WHERE exclusion IS NOT NULL GROUP BY exclusion") {
            summary.excluded[row[0]] = row[1]
        }
        return summary
    }

    static func decodeStored(_ json: Data, fileId: String, ordinal: Int) throws -> BibRecord {
        do { return try StoredRecordJSON.decode([UInt8](json)) } catch {
            throw InputError("stored record \(ordinal) of \(fileId) is unreadable (\(error.what)); import its file again", file: "study.sqlite")
        }
    }
}
