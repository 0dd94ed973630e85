/// What the tiers of `Deduplicator` read, in a fixed order, so that every source gives the same
/// joins: per record its DOI group, year and database; the exact tiers' pairs; the title tiers'
/// groups and blocks.
///
/// Why a protocol: a list of a few thousand records is deduplicated from `DedupKeys` in memory
/// (`KeyedCandidates`), but `literature search` stores hundreds of thousands, and holding every
/// record's keys and the tiers' hash maps grew the process by ~0.6 KB a record. The Study answers
/// the same questions from its database instead (sorted queries over the keys it stored with
/// each record), so deduplicating holds only a few integers per record.
///
/// The order, which both sources follow:
/// - pairs ascending by `record` (the later record of the two);
/// - title groups ascending by (title key bytes, family name bytes), members ascending;
/// - blocks: every prefix block, then every suffix block, each kind ascending by its 12 key
///   bytes; members ascending by input index, or by (title, index) in a block larger than the
///   comparison window.
public protocol DedupCandidates {
    /// What reading the candidates can fail with (`Never` in memory; a database error for the Study).
    associatedtype Failure: Error
    /// Per record: the index of the first record with the same DOI, or -1 for none.
    func doiGroups() throws(Failure) -> [Int32]
    /// Per record: the publication year, or `DedupKeys.noYear`.
    func years() throws(Failure) -> [Int32]
    /// Per record: the database it came from (the survivor's precedence).
    func databases() throws(Failure) -> [SourceDatabase]
    /// Tier 1: each record whose database id an earlier record had, with the first such record.
    func sameSourceIDPairs() throws(Failure) -> [CandidatePair]
    /// Tier 2: each record whose DOI an earlier record had, with the first such record.
    func sameDOIPairs() throws(Failure) -> [CandidatePair]
    /// Tier 3: groups of two or more records with the same title key (of at least the
    /// deduplicator's minimum length) and first author, at least one of them without a DOI.
    func forEachTitleGroup(_ body: (TitleGroup) -> Void) throws(Failure)
    /// Tier 4: the members of each block (same first or last 12 title-key bytes, title of at
    /// least the minimum length) that holds a record without a DOI, block after block.
    func forEachBlockMember(_ body: (BlockMember) -> Void) throws(Failure)
}

public struct CandidatePair: Hashable, Sendable {
    public var first: Int
    public var record: Int
    /// What they share (the id or the DOI), for the merge log.
    public var detail: String
    public init(first: Int, record: Int, detail: String) { self.first = first; self.record = record; self.detail = detail }
}

public struct TitleGroup: Sendable {
    /// The title key the members share (the merge log shows its start).
    public var title: [UInt8]
    public var members: [Int]
    public init(title: [UInt8], members: [Int]) { self.title = title; self.members = members }
}

public struct BlockMember: Sendable {
    /// True for the first member of each block.
    public var startsBlock: Bool
    public var index: Int
    public var title: [UInt8]
    public init(startsBlock: Bool, index: Int, title: [UInt8]) {
        self.startsBlock = startsBlock
        self.index = index
        self.title = title
    }
}

/// The candidates of records held in memory, from their `DedupKeys`: every map built at once —
/// the exact tiers' on one core, the title tiers' on the other, for a large list (building the
/// maps was most of deduplicating, on one core).
public struct KeyedCandidates: DedupCandidates, @unchecked Sendable {
    public typealias Failure = Never
    let keys: [DedupKeys]
    let groups: [Int32]
    let idPairs: [CandidatePair]
    let titleGroups: [TitleGroup]
    /// Block members in delivery order, as (starts block, index).
    let blockMembers: [(Bool, Int)]

    public init(_ keys: [DedupKeys], minimumTitleLength: Int, window: Int) {
        self.keys = keys
        struct Parts: @unchecked Sendable {
            var exact: ([Int32], [CandidatePair])?
            var titles: ([TitleGroup], [(Bool, Int)])?
        }
        let parts = ParallelPair(sequential: keys.count < 4096) { k -> Parts in
            k == 0 ? Parts(exact: (Self.doiGroups(keys), Self.sameIDPairs(keys)))
                : Parts(titles: (Self.titleGroups(keys, minimumTitleLength), Self.blockMembers(keys, minimumTitleLength, window)))
        }
        (groups, idPairs) = parts.first.exact!
        (titleGroups, blockMembers) = parts.second.titles!
    }

    public func doiGroups() -> [Int32] { groups }
    public func years() -> [Int32] { keys.map { DedupKeys.compactYear($0.year) } }
    public func databases() -> [SourceDatabase] { keys.map(\.database) }
    public func sameSourceIDPairs() -> [CandidatePair] { idPairs }

    public func sameDOIPairs() -> [CandidatePair] {
        groups.indices.compactMap { i in groups[i] >= 0 && Int(groups[i]) != i ? CandidatePair(first: Int(groups[i]), record: i, detail: keys[i].doi!) : nil }
    }

    public func forEachTitleGroup(_ body: (TitleGroup) -> Void) {
        for g in titleGroups { body(g) }
    }

    public func forEachBlockMember(_ body: (BlockMember) -> Void) {
        for (starts, i) in blockMembers { body(BlockMember(startsBlock: starts, index: i, title: keys[i].title)) }
    }

    static func doiGroups(_ keys: [DedupKeys]) -> [Int32] {
        var first: [String: Int32] = [:]
        first.reserveCapacity(keys.count)
        return keys.indices.map { i in
            guard let doi = keys[i].doi else { return -1 }
            if let f = first[doi] { return f }
            first[doi] = Int32(i)
            return Int32(i)
        }
    }

    /// (Indices, not `enumerated()` over the keys: that copied every key, retaining each field.)
    static func sameIDPairs(_ keys: [DedupKeys]) -> [CandidatePair] {
        var pairs: [CandidatePair] = []
        var byID: [SourceKey: Int] = [:]
        byID.reserveCapacity(keys.count)
        for i in keys.indices {
            guard let id = keys[i].sourceID else { continue }
            let key = SourceKey(database: keys[i].database, id: id)
            if let j = byID[key] { pairs.append(CandidatePair(first: j, record: i, detail: id)) } else { byID[key] = i }
        }
        return pairs
    }

    static func titleGroups(_ keys: [DedupKeys], _ minimumTitleLength: Int) -> [TitleGroup] {
        var byTitle: [TitleAuthor: [Int]] = [:]
        for i in keys.indices where keys[i].title.count >= minimumTitleLength {
            byTitle[TitleAuthor(title: keys[i].title, family: keys[i].family), default: []].append(i)
        }
        return byTitle.filter { $0.value.count > 1 && $0.value.contains { keys[$0].doi == nil } }
            .sorted { a, b in
                a.key.title != b.key.title ? a.key.title.lexicographicallyPrecedes(b.key.title)
                    : a.key.family.utf8.lexicographicallyPrecedes(b.key.family.utf8)
            }
            .map { TitleGroup(title: $0.key.title, members: $0.value) }
    }

    /// Blocks keyed by their 12 bytes packed in two words (an array key cost an allocation and a
    /// byte-by-byte hash per record, and every record goes in twice).
    static func blockMembers(_ keys: [DedupKeys], _ minimumTitleLength: Int, _ window: Int) -> [(Bool, Int)] {
        var out: [(Bool, Int)] = []
        for suffix in [false, true] {
            var blocks: [BlockKey: [Int]] = [:]
            for i in keys.indices where keys[i].title.count >= minimumTitleLength {
                blocks[BlockKey(suffix ? keys[i].title.suffix(12) : keys[i].title.prefix(12)), default: []].append(i)
            }
            let kept = blocks.filter { $0.value.contains { keys[$0].doi == nil } }.sorted { $0.key < $1.key }
            for (_, block) in kept {
                let ordered = block.count > window
                    ? block.sorted { a, b in keys[a].title != keys[b].title ? keys[a].title.lexicographicallyPrecedes(keys[b].title) : a < b }
                    : block
                for (n, i) in ordered.enumerated() { out.append((n == 0, i)) }
            }
        }
        return out
    }

    /// Database and its id, as a key without building a joined string per record.
    struct SourceKey: Hashable {
        var database: SourceDatabase
        var id: String
    }

    struct TitleAuthor: Hashable {
        var title: [UInt8]
        var family: String

        /// The title's bytes hashed in one call: the synthesised hash fed them one by one.
        func hash(into hasher: inout Hasher) {
            hasher.combine(title.count)
            title.withUnsafeBytes { hasher.combine(bytes: $0) }
            hasher.combine(family)
        }
    }

    /// At most 12 bytes in two words, big-endian and zero-padded, the length in the last byte:
    /// the words compare exactly as the bytes do (SQLite's `memcmp` order, which the Study's
    /// source of the same blocks uses).
    struct BlockKey: Hashable, Comparable {
        var high: UInt64
        var low: UInt64

        init(_ bytes: ArraySlice<UInt8>) {
            var h: UInt64 = 0, l: UInt64 = 0
            for (n, b) in bytes.enumerated() {
                if n < 8 { h |= UInt64(b) << (8 * (7 - n)) } else { l |= UInt64(b) << (8 * (15 - n)) }
            }
            high = h
            low = l | UInt64(bytes.count)
        }

        static func < (a: Self, b: Self) -> Bool { a.high != b.high ? a.high < b.high : a.low < b.low }
    }
}
