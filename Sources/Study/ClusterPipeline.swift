import Bibliography
import Dispatch
import Foundation
import GRDB

/// The bounded rebuild's clusters, merged and judged on a second thread while the database
/// thread reads the next clusters' records and writes the previous clusters' articles.
///
/// Why: after `literature search` stored 229,578 records, writing their articles took 8.2 s of
/// the 10 s rebuild on one core — about two thirds decoding the stored records, merging, judging
/// and making each article's row values, one third SQLite. One SQLite connection can only be
/// used from one thread at a time, so the work is split where it does not touch the database:
/// batches of clusters go to a serial queue in order and come back in order, one batch ahead.
final class ClusterPipeline: @unchecked Sendable {
    /// A stored record as read: its JSON and where it is stored.
    struct StoredRow: Sendable {
        var json: Data
        var fileId: String
        var ordinal: Int
    }

    /// One cluster's records (survivor first) and their indices in the rebuild's order.
    struct Input: Sendable {
        var members: [Int]
        var rows: [StoredRow]
    }

    /// One cluster's article, ready to write except for its id, which only the database thread
    /// can make unique (it asks the `article` table).
    struct Output: Sendable {
        var members: [Int]
        var id: String
        /// `Study.insertArticleSQL`'s values; the first (the id) is filled in when written.
        var articleValues: [DatabaseValue]
        /// Each member's own stable id (its alias), in rank order.
        var memberIDs: [String]
        /// `Study.insertArticleSourceSQL`'s values per member, in rank order; the first (the
        /// article id) is filled in when written.
        var sourceValues: [[DatabaseValue]]
        /// Where each member is stored (file and ordinal), in rank order, for the merge log.
        var places: [(fileId: String, ordinal: Int)]
    }

    /// Clusters per batch: large enough that handing a batch over costs nothing next to its
    /// work, small enough that three batches in memory are a few megabytes.
    static let defaultBatchSize = 256
    private let batchSize: Int

    private let rules: ExclusionRules
    private let queue = DispatchQueue(label: "lostdata.rebuild.clusters", qos: .userInitiated)
    private var batch: [Input] = []
    private var pending: Slot?
    private typealias Slot = ResultSlot<[Output], any Error>

    /// `batchSize`: tests pass a small one, so that a small list crosses threads too.
    init(rules: ExclusionRules, batchSize: Int = ClusterPipeline.defaultBatchSize) {
        self.rules = rules
        self.batchSize = max(1, batchSize)
        batch.reserveCapacity(self.batchSize)
    }

    /// Queues a cluster; when a batch is full, hands it to the second thread and writes the
    /// batch before it (in order) with `write`.
    func add(_ input: Input, write: ([Output]) throws -> Void) throws {
        batch.append(input)
        guard batch.count == batchSize else { return }
        let next = submit(batch)
        batch = []
        batch.reserveCapacity(batchSize)
        if let previous = pending { pending = next; try write(previous.wait().get()) } else { pending = next }
    }

    /// Writes what is left, in order.
    func finish(write: ([Output]) throws -> Void) throws {
        if let previous = pending {
            let last = batch.isEmpty ? nil : submit(batch)
            pending = nil
            try write(previous.wait().get())
            if let last { try write(last.wait().get()) }
        } else if !batch.isEmpty {
            // A short list: one batch, on this thread.
            try write(batch.map { try Self.process($0, rules: rules) })
        }
        batch = []
    }

    private func submit(_ inputs: [Input]) -> Slot {
        let slot = Slot()
        let rules = rules
        queue.async { slot.fill(Result { try inputs.map { try Self.process($0, rules: rules) } }) }
        return slot
    }

    /// Decodes, merges and judges one cluster, and makes its rows' values.
    static func process(_ input: Input, rules: ExclusionRules) throws -> Output {
        let records = try input.rows.map { try Study.decodeStored($0.json, fileId: $0.fileId, ordinal: $0.ordinal) }
        let a = Bibliography.article(of: records, members: input.members, rules: rules)
        // The machine's verdict for now; people's decisions are applied after the whole list.
        let values = Study.articleValues(a, exclusion: a.verdict.exclusion?.rawValue)
        let sources = zip(records, input.rows).enumerated().map { rank, pair -> [DatabaseValue] in
            let (r, row) = pair, s = r.source
            return [DatabaseValue.null, rank.databaseValue, row.fileId.databaseValue, row.ordinal.databaseValue, s.database.rawValue.databaseValue,
                    s.id?.databaseValue ?? .null, s.file.databaseValue, s.line.databaseValue, s.endLine.databaseValue]
        }
        return Output(members: input.members, id: a.id, articleValues: values, memberIDs: records.map(\.stableID), sourceValues: sources,
                      places: input.rows.map { ($0.fileId, $0.ordinal) })
    }
}
