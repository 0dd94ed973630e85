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
    /// Rebuilds the article list from every stored record — the same tables, row for row, as the
    /// in-memory rebuild it replaced (the test target's `rebuildArticleList`) — holding a few
    /// integers per record, not the records.
    ///
    /// Why: `literature search` stores hundreds of thousands of records (bench/acquisition walks
    /// 2,000 pages, 230,000 records); decoding them all into `BibRecord`s for
    /// `Bibliography.analyse` took 663 MB, and holding their deduplication keys and maps 211 MB.
    /// Here deduplication reads the keys stored beside each record through sorted queries
    /// (`StoredDedupCandidates`); then the records are read once, in order, and each cluster is
    /// merged, judged and written when its first record comes by (its other members, usually
    /// none, are read by rowid). People's decisions are applied afterwards, to the few articles
    /// they name. (Test: `ArticleListRebuildTests`, bounded == full on a list with duplicates
    /// across pages and sources and decisions.)
    func rebuildArticleListBounded(_ db: Database, deduplicator dedup: Deduplicator, rules: ExclusionRules,
                                   clusterBatch: Int = ClusterPipeline.defaultBatchSize) throws -> ArticleListSummary {
        try Self.keyStoredRecords(db)
        let candidates = try StoredDedupCandidates(db, minimumTitleLength: dedup.minimumTitleKeyLength, window: dedup.maximumBlockSize)
        var joins = try dedup.join(candidates)
        let databases = try candidates.databases()

        try db.execute(sql: "DELETE FROM article; DELETE FROM articleSource; DELETE FROM bibMerge; DELETE FROM articleAlias")
        // The statements reading `dedupOrder` live in this block: SQLite cannot drop a table that
        // a statement still reads.
        var clusters = 0
        do {
            // Values bound straight from the rows made ahead (`PreparedInsert`): GRDB's
            // `StatementArguments` per row was most of the database thread's time here.
            var insertArticle = try PreparedInsert(db, sql: Self.insertArticleSQL)
            var insertSource = try PreparedInsert(db, sql: Self.insertArticleSourceSQL)
            var insertAlias = try PreparedInsert(db, sql: "INSERT OR IGNORE INTO articleAlias (alias, articleId) VALUES (?, ?)")
            let readOne = try db.makeStatement(sql: "SELECT r.json, r.fileId, r.ordinal FROM dedupOrder d JOIN bibRecord r ON r.rowid = d.rid WHERE d.idx = ?")
            let inOrder = try Row.fetchCursor(db, sql: "SELECT d.idx, r.json, r.fileId, r.ordinal FROM dedupOrder d JOIN bibRecord r ON r.rowid = d.rid ORDER BY d.idx")
            func stored(_ row: Row, from column: Int) -> ClusterPipeline.StoredRow {
                ClusterPipeline.StoredRow(json: row[column], fileId: row[column + 1], ordinal: row[column + 2])
            }
            var ids = HashedUniqueArticleIDs()
            // The article of each record the merge log names (few: only merged records).
            let named = Set(joins.events.flatMap { [$0.merged, $0.into] })
            var articleOfNamed: [Int: String] = [:]
            var sourceOfNamed: [Int: (String, Int)] = [:]
            func write(_ outputs: [ClusterPipeline.Output]) throws {
                for o in outputs {
                    let id = try ids.unique(o.id, db: db)
                    // Aliases in the order the in-memory rebuild wrote them (tests).
                    insertAlias.bind(id); insertAlias.bind(id)
                    try insertAlias.execute()
                    for alias in o.memberIDs where alias != id {
                        insertAlias.bind(alias); insertAlias.bind(id)
                        try insertAlias.execute()
                    }
                    insertArticle.bind(id)
                    for v in o.articleValues.dropFirst() { insertArticle.bind(v) }
                    try insertArticle.execute()
                    for (rank, values) in o.sourceValues.enumerated() {
                        insertSource.bind(id)
                        for v in values.dropFirst() { insertSource.bind(v) }
                        try insertSource.execute()
                        if named.contains(o.members[rank]) {
                            articleOfNamed[o.members[rank]] = id
                            sourceOfNamed[o.members[rank]] = o.places[rank]
                        }
                    }
                }
            }
            let pipeline = ClusterPipeline(rules: rules, batchSize: clusterBatch)
            try joins.forEachCluster(databases: databases, precedence: dedup.precedence) { cluster in
                clusters += 1
                let head = cluster.min()!
                var headRow: ClusterPipeline.StoredRow?
                // Advance the in-order read to the cluster's first record; records passed on the way
                // belong to clusters already read.
                while let row = try inOrder.next() {
                    if (row[0] as Int) == head { headRow = stored(row, from: 1); break }
                }
                var rows: [ClusterPipeline.StoredRow] = []
                rows.reserveCapacity(cluster.count)
                for m in cluster {
                    if m == head, let h = headRow { rows.append(h); continue }
                    guard let row = try Row.fetchOne(readOne, arguments: [m]) else {
                        throw InputError("stored record \(m) vanished during the rebuild of the article list", file: "study.sqlite")
                    }
                    rows.append(stored(row, from: 0))
                }
                try pipeline.add(ClusterPipeline.Input(members: cluster, rows: rows), write: write)
            }
            try pipeline.finish(write: write)
            let insertMerge = try db.makeStatement(sql: "INSERT INTO bibMerge (articleId, rule, detail, mergedFileId, mergedOrdinal, intoFileId, intoOrdinal) VALUES (?, ?, ?, ?, ?, ?, ?)")
            for e in joins.events {
                let merged = sourceOfNamed[e.merged]!, into = sourceOfNamed[e.into]!
                try insertMerge.execute(arguments: [articleOfNamed[e.merged]!, e.rule.rawValue, e.detail, merged.0, merged.1, into.0, into.1])
            }
        }

        try candidates.drop()

        // People's decisions, on top of the machine's verdicts.
        let (decisions, orphaned) = try Self.latestExclusionDecisions(db)
        let decide = try db.makeStatement(sql: "UPDATE article SET exclusion = ? WHERE id = ?")
        for (id, value) in decisions {
            let machine = try String.fetchOne(db, sql: "SELECT machineExclusion FROM article WHERE id = ?", arguments: [id])
            try decide.execute(arguments: [Self.effectiveExclusion(machine: machine, decision: value), id])
        }
        var summary = ArticleListSummary(records: candidates.count, articles: clusters, orphanedDecisions: orphaned)
        for row in try Row.fetchAll(db, sql: "SELECT exclusion, COUNT(*) FROM article WHERE exclusion IS NOT NULL GROUP BY exclusion") {
            summary.excluded[row[0]] = row[1]
        }
        return summary
    }

    /// Makes the deduplication keys of stored records that have none, or keys of an older
    /// `DedupKeys.version` (a study stored before the keys were kept), in batches by rowid.
    static func keyStoredRecords(_ db: Database) throws {
        let update = try db.makeStatement(sql: "UPDATE bibRecord SET dedupTitle = ?, dedupFamily = ?, dedupYear = ?, dedupDOI = ?, dedupVersion = ? WHERE rowid = ?")
        var after: Int64 = -1
        while true {
            let rows = try Row.fetchAll(db, sql: "SELECT rowid, json, fileId, ordinal FROM bibRecord WHERE dedupVersion != ? AND rowid > ? ORDER BY rowid LIMIT 1000",
                                        arguments: [DedupKeys.version, after])
            guard let last = rows.last else { return }
            for row in rows {
                let k = DedupKeys(try decodeStored(row[1] as Data, fileId: row[2], ordinal: row[3]))
                try update.execute(arguments: [Data(k.title), k.family, k.year, k.doi, DedupKeys.version, row[0] as Int64])
            }
            after = last[0]
        }
    }

    static func decodeStored(_ json: Data, fileId: String, ordinal: Int) throws -> BibRecord {
        do { return try StoredRecordJSON.decode(json) } catch {
            throw InputError("stored record \(ordinal) of \(fileId) is unreadable (\(error.what)); import its file again", file: "study.sqlite")
        }
    }
}

/// `UniqueArticleIDs` for a list written one article at a time, without holding every id: the
/// hashes of the ids met, and the `article` table itself asked when a hash comes again (two
/// distinct articles can share a title-hash id; the second becomes "id~2").
struct HashedUniqueArticleIDs {
    private var hashes = Set<Int>()
    private var repeats: [String: Int] = [:]

    mutating func unique(_ id: String, db: Database) throws -> String {
        if hashes.insert(id.hashValue).inserted { return id }
        if let n = repeats[id] { repeats[id] = n + 1; return id + "~\(n + 1)" }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM article WHERE id = ?", arguments: [id]) == true else { return id }
        repeats[id] = 2
        return id + "~2"
    }
}
