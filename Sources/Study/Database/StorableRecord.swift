import Bibliography
import Foundation

/// A record made ready for its `bibRecord` row: its two encodings (the record without its raw
/// tags, and the raw tags) and its deduplication keys, computed before the database is touched.
///
/// Why apart from the insert: in a cursor walk the thread that stores pages bounds the walk (it
/// was busy ~85 % of it, the fetching thread ~55 %; per-thread CPU from /proc, bench/acquisition,
/// docs/performance.md "Round 7"), so the fetching thread makes these and the storing thread
/// only binds bytes. `bib import` makes them just before storing, the same way.
struct StorableRecord: Sendable {
    var database: String
    var sourceID: String?
    var line: Int
    var endLine: Int
    /// `StoredRecordJSON` of the record without its raw tags (what the rebuild reads).
    var json: [UInt8]
    /// `StoredRecordJSON` of the raw tags (the evidence `bib show` prints).
    var raw: [UInt8]
    var keys: DedupKeys

    /// `lean` is the record without its raw tags, as the row's `json` holds it.
    init(_ record: BibRecord, lean: BibRecord) {
        database = record.source.database.rawValue
        sourceID = record.source.id
        line = record.source.line
        endLine = record.source.endLine
        json = StoredRecordJSON.encode(lean)
        raw = StoredRecordJSON.encode(record.raw.tags)
        keys = DedupKeys(record)
    }

    init(_ record: BibRecord) {
        var lean = record
        lean.raw.tags = []
        self.init(record, lean: lean)
    }
}
