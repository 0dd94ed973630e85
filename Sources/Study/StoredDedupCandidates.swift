import Bibliography
import Foundation
import GRDB

/// The deduplication candidates of every stored record, answered by sorted queries over the
/// keys stored beside each record (`bibRecord.dedup*`, `BibliographySchema.registerDedupKeys`)
/// — what `KeyedCandidates` answers from memory, in the same order (`DedupCandidates`).
///
/// Why: `literature search` stores hundreds of thousands of records. Holding each one's keys and
/// the tiers' hash maps grew the process by ~0.6 KB a record (211 MB over 229,578 records);
/// SQLite sorts within its own bounded cache (spilling to a temporary file), so here the process
/// holds a few integers per record. Only groups and blocks that hold a record without a DOI are
/// read at all — the tiers compare nothing else.
///
/// The records are numbered from 0 in the rebuild's order (file import order, then position) in
/// the temporary table `dedupOrder`, made by `init` and dropped by `drop()`. The numbers are the
/// rowids SQLite gives rows inserted in that order after a placeholder row -1 (a `ROW_NUMBER()`
/// window sorted the wide rows a second time: 1.1 s → 0.37 s for 229,578 records, sqlite3 CLI).
struct StoredDedupCandidates: DedupCandidates {
    typealias Failure = any Error
    let db: Database
    let count: Int
    let minimumTitleLength: Int
    let window: Int

    init(_ db: Database, minimumTitleLength: Int, window: Int) throws {
        self.db = db
        self.minimumTitleLength = minimumTitleLength
        self.window = window
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.dedupOrder;
            CREATE TEMP TABLE dedupOrder (idx INTEGER PRIMARY KEY, rid INTEGER NOT NULL, database TEXT NOT NULL, sourceId TEXT,
                                          doi TEXT, title BLOB NOT NULL, family TEXT NOT NULL, year INTEGER);
            INSERT INTO dedupOrder VALUES (-1, 0, '', NULL, NULL, x'', '', NULL);
            INSERT INTO dedupOrder (rid, database, sourceId, doi, title, family, year)
              SELECT r.rowid, r.database, r.sourceId, r.dedupDOI, COALESCE(r.dedupTitle, x''), COALESCE(r.dedupFamily, ''), r.dedupYear
              FROM bibFile f JOIN bibRecord r ON r.fileId = f.id ORDER BY f.importedAt, f.rowid, r.ordinal;
            DELETE FROM dedupOrder WHERE idx = -1;
            """)
        count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dedupOrder") ?? 0
    }

    func drop() throws {
        try db.execute(sql: "DROP TABLE IF EXISTS temp.dedupOrder")
    }

    /// Per record, the first record with its DOI — and tier 2's pairs, from the same sorted
    /// read (one sort of the DOIs, not one per question).
    func doiGroups() throws -> [Int32] {
        let (groups, pairs) = try doiGroupsAndPairs()
        memo.doiPairs = pairs
        return groups
    }

    private func doiGroupsAndPairs() throws -> (groups: [Int32], pairs: [CandidatePair]) {
        var groups = [Int32](repeating: -1, count: count)
        var pairs: [CandidatePair] = []
        var first = -1
        var doi = ""
        let rows = try Row.fetchCursor(db, sql: "SELECT idx, doi FROM dedupOrder WHERE doi IS NOT NULL ORDER BY doi, idx")
        while let row = try rows.next() {
            let i: Int = row[0], d: String = row[1]
            if first < 0 || d != doi { first = i; doi = d } else { pairs.append(CandidatePair(first: first, record: i, detail: d)) }
            groups[i] = Int32(first)
        }
        pairs.sort { $0.record < $1.record }
        return (groups, pairs)
    }

    func years() throws -> [Int32] {
        var years: [Int32] = []
        years.reserveCapacity(count)
        let rows = try Int64?.fetchCursor(db, sql: "SELECT year FROM dedupOrder ORDER BY idx")
        while let y = try rows.next() { years.append(DedupKeys.compactYear(y.map { Int(clamping: $0) })) }
        return years
    }

    func databases() throws -> [SourceDatabase] {
        var out: [SourceDatabase] = []
        out.reserveCapacity(count)
        let rows = try String.fetchCursor(db, sql: "SELECT database FROM dedupOrder ORDER BY idx")
        while let d = try rows.next() { out.append(SourceDatabase(rawValue: d) ?? .other) }
        return out
    }

    /// Each record whose (database, source id) an earlier record had, with the first such record,
    /// by record: one sorted read, like the DOIs' (a `MIN() OVER (PARTITION BY …)` window took
    /// 0.57 s for 229,578 records, sqlite3 CLI; this read 0.16 s). Ids are compared byte for
    /// byte, as SQLite sorted them.
    func sameSourceIDPairs() throws -> [CandidatePair] {
        var pairs: [CandidatePair] = []
        var first = -1
        var database = "", sourceId = ""
        let rows = try Row.fetchCursor(db, sql: "SELECT idx, database, sourceId FROM dedupOrder WHERE sourceId IS NOT NULL ORDER BY database, sourceId, idx")
        while let row = try rows.next() {
            let i: Int = row[0], d: String = row[1], s: String = row[2]
            if first >= 0, d.utf8.elementsEqual(database.utf8), s.utf8.elementsEqual(sourceId.utf8) {
                pairs.append(CandidatePair(first: first, record: i, detail: s))
            } else {
                (first, database, sourceId) = (i, d, s)
            }
        }
        pairs.sort { $0.record < $1.record }
        return pairs
    }

    func sameDOIPairs() throws -> [CandidatePair] {
        if let pairs = memo.doiPairs { return pairs }
        return try doiGroupsAndPairs().pairs
    }

    /// Tier 2's pairs, kept from the read that made the DOI groups (`join` asks for the groups
    /// first).
    private final class Memo { var doiPairs: [CandidatePair]? }
    private let memo = Memo()

    func forEachTitleGroup(_ body: (TitleGroup) -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT idx, title, family FROM dedupOrder
            WHERE length(title) >= ?1 AND (title, family) IN (SELECT title, family FROM dedupOrder WHERE doi IS NULL AND length(title) >= ?1)
            ORDER BY title, family, idx
            """, arguments: [minimumTitleLength])
        var group = TitleGroup(title: [], members: [])
        var family = ""
        func flush() { if group.members.count > 1 { body(group) } }
        while let row = try rows.next() {
            let title = [UInt8](row[1] as Data), f: String = row[2]
            if group.members.isEmpty || title != group.title || f != family {
                flush()
                group = TitleGroup(title: title, members: [])
                family = f
            }
            group.members.append(row[0])
        }
        flush()
    }

    func forEachBlockMember(_ body: (BlockMember) -> Void) throws {
        for key in ["substr(title, 1, 12)", "substr(title, -12)"] {
            let rows = try Row.fetchCursor(db, sql: """
                SELECT idx, title, k FROM (
                  SELECT idx, title, \(key) AS k, COUNT(*) OVER (PARTITION BY \(key)) AS n FROM dedupOrder
                  WHERE length(title) >= ?1 AND \(key) IN (SELECT \(key) FROM dedupOrder WHERE doi IS NULL AND length(title) >= ?1))
                ORDER BY k, CASE WHEN n > ?2 THEN title END, idx
                """, arguments: [minimumTitleLength, window])
            var block: Data?
            while let row = try rows.next() {
                let k: Data = row[2]
                body(BlockMember(startsBlock: k != block, index: row[0], title: [UInt8](row[1] as Data)))
                block = k
            }
        }
    }
}
