import Classification
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Study

/// The study's queue held in memory with what filtering needs precomputed (category sets,
/// flags, a lower-cased search text) and the page's totals (progress, agreement). Built once
/// per change of the study, not per request: at 10,000 articles reading the queue takes far
/// longer than filtering it (docs/performance.md, "Review page").
final class QueueSnapshot: Sendable {
    struct Entry: Sendable {
        let categories: Set<String>
        let flags: [String]
        let exclusionKeys: [String]
        let state: ReviewState
        /// Title, DOI, authors and id, lower-cased UTF-8, for the search box (searched byte-wise;
        /// with String.contains a search page took ~18 ms more than the plain queue, bench/review).
        let searchBytes: [UInt8]
        let titleKey: String
        let reviewed: Bool
        let decided: Bool

        init(_ item: ReviewQueueItem) {
            reviewed = item.reviewed
            decided = item.decided != nil
            categories = Set(item.effectiveCategories)
            flags = QueueQuery.flags(of: item)
            exclusionKeys = QueueQuery.exclusionKeys(of: item)
            state = item.state
            titleKey = item.title.lowercased()
            searchBytes = Array([titleKey, (item.doi ?? "").lowercased(), (item.authors ?? "").lowercased(), item.articleID.lowercased()]
                .joined(separator: "\u{1F}").utf8)
        }
    }

    struct CategoryProgress: Sendable {
        let category: Category
        let total: Int
        let reviewed: Int
    }

    /// One article: its queue item and what filtering needs, boxed so that copying the list
    /// (a patch after a save) retains 10,000 boxes instead of every field of every item.
    final class Row: Sendable {
        let item: ReviewQueueItem
        let entry: Entry
        init(_ item: ReviewQueueItem) {
            self.item = item
            entry = Entry(item)
        }
    }

    let rows: [Row]

    /// Whether `haystack` holds `needle` (bytes; both lower-cased).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                guard n.count <= h.count, let first = n.first else { return n.isEmpty }
                var i = 0
                while i + n.count <= h.count {
                    if h[i] == first && memcmp(h.baseAddress! + i, n.baseAddress!, n.count) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }
    let position: [String: Int]
    let reviewed: Int
    let progress: [CategoryProgress]
    let agreement: [CategoryAgreement]

    convenience init(items: [ReviewQueueItem], taxonomy: Taxonomy) {
        self.init(rows: items.map(Row.init), position: nil, taxonomy: taxonomy)
    }

    /// Articles and reviewed articles per category (what `progress` lists).
    let perCategory: [String: (total: Int, reviewed: Int)]

    init(rows: [Row], position: [String: Int]?, taxonomy: Taxonomy,
         reviewed: Int? = nil, perCategory: [String: (total: Int, reviewed: Int)]? = nil) {
        self.rows = rows
        if let position {
            self.position = position
        } else {
            var p: [String: Int] = [:]
            p.reserveCapacity(rows.count)
            for (i, row) in rows.enumerated() { p[row.item.articleID] = i }
            self.position = p
        }
        if let reviewed, let perCategory {
            self.reviewed = reviewed
            self.perCategory = perCategory
        } else {
            var count = 0
            var per: [String: (total: Int, reviewed: Int)] = [:]
            for row in rows {
                Self.add(row, sign: 1, to: &per, reviewed: &count)
            }
            self.reviewed = count
            self.perCategory = per
        }
        let per = self.perCategory
        progress = taxonomy.categories.compactMap { c in
            guard let n = per[c.id], n.total > 0 else { return nil }
            return CategoryProgress(category: c, total: n.total, reviewed: n.reviewed)
        }
        agreement = Study.categoryAgreement(rows.filter { $0.entry.decided }.map(\.item), taxonomy: taxonomy)
    }

    static func add(_ row: Row, sign: Int, to per: inout [String: (total: Int, reviewed: Int)], reviewed: inout Int) {
        let r = row.entry.reviewed ? sign : 0
        reviewed += r
        for c in row.entry.categories {
            per[c, default: (0, 0)].total += sign
            per[c, default: (0, 0)].reviewed += r
        }
    }

    /// The same snapshot with one article's row replaced (after this server's own write); the
    /// totals are updated by the difference (recounting 10,000 rows was most of a save's time).
    func replacing(_ item: ReviewQueueItem, taxonomy: Taxonomy) -> QueueSnapshot {
        guard let i = position[item.articleID] else { return self }
        var rows = self.rows
        var per = perCategory, count = reviewed
        Self.add(rows[i], sign: -1, to: &per, reviewed: &count)
        rows[i] = Row(item)
        Self.add(rows[i], sign: 1, to: &per, reviewed: &count)
        return QueueSnapshot(rows: rows, position: position, taxonomy: taxonomy, reviewed: count, perCategory: per)
    }
}

/// The current snapshot, re-read when the study's change token moves (another server or a
/// `lostdata` command wrote), patched in place after this server's own writes.
final class QueueCache: @unchecked Sendable {
    private let lock = NSLock()
    private var snapshot: QueueSnapshot?
    private var token: String?

    func current(_ study: Study, taxonomy: Taxonomy) throws -> QueueSnapshot {
        let now = try study.changeToken()
        lock.lock()
        if let snapshot, token == now { lock.unlock(); return snapshot }
        lock.unlock()
        let fresh = QueueSnapshot(items: try study.reviewQueue(), taxonomy: taxonomy)
        lock.lock()
        snapshot = fresh
        token = now
        lock.unlock()
        return fresh
    }

    /// After a write of ours: when the cache was current just before it, patch the one row and
    /// call the cache current just after it; otherwise forget it (the next page re-reads).
    func written(_ write: ReviewWrite, articleID: String, study: Study, taxonomy: Taxonomy) throws {
        let item = try study.reviewQueueItem(articleID)
        lock.lock()
        defer { lock.unlock() }
        if let snapshot, let item, token == write.changeTokenBefore {
            self.snapshot = snapshot.replacing(item, taxonomy: taxonomy)
            token = write.changeTokenAfter
        } else {
            snapshot = nil
            token = nil
        }
    }
}
