import Core

/// Joins records that describe the same article, in tiers (`MergeRule`), never comparing all
/// pairs: exact keys go through hash maps, fuzzy titles are compared only inside small blocks
/// (same title prefix, same title suffix). Records carrying two different DOIs are never joined
/// by title — they are different works (a conference paper and its journal version, an erratum).
public struct Deduplicator: Sendable {
    public var precedence: [SourceDatabase]
    /// Minimum title similarity (1 − edit distance / longer length) for the fuzzy tier.
    public var fuzzyThreshold: Double
    /// Titles shorter than this (normalised) are too generic ("Editorial", "Preface") to join on.
    public var minimumTitleKeyLength: Int
    /// A block larger than this is compared only between neighbours in sorted order.
    public var maximumBlockSize: Int

    public init(precedence: [SourceDatabase] = SourceDatabase.defaultPrecedence, fuzzyThreshold: Double = 0.95,
                minimumTitleKeyLength: Int = 20, maximumBlockSize: Int = 64) {
        self.precedence = precedence
        self.fuzzyThreshold = fuzzyThreshold
        self.minimumTitleKeyLength = minimumTitleKeyLength
        self.maximumBlockSize = maximumBlockSize
    }

    /// One article: its members (indices into the input), the survivor first.
    public struct Cluster: Hashable, Sendable {
        public var members: [Int]
        public var survivor: Int { members[0] }
    }

    public struct Result: Sendable {
        public var clusters: [Cluster]
        /// Input index → index of its cluster.
        public var clusterOf: [Int]
        public var events: [MergeEvent]
    }

    typealias Keys = DedupKeys

    public func run(_ records: [BibRecord]) -> Result {
        run(keys: Self.keys(records))
    }

    /// Deduplicates records given by their keys alone — what a caller that cannot hold every
    /// record in memory (the Study's rebuild of a large list) passes; the same result as
    /// `run(records)`.
    public func run(keys: [DedupKeys]) -> Result {
        let count = keys.count
        var sets = UnionFind(count: count, dois: keys.map(\.doi))
        var events: [MergeEvent] = []

        // The tiers' hash maps do not depend on each other's joins, only the joins do: the maps
        // are built first — the exact tiers' on one core, the title tiers' on the other, for a
        // large list — and the joins are then made one by one, in the same order as ever.
        // (Building the maps was most of deduplicating, on one core.)
        let parts = ParallelPair(sequential: count < 4096) { k -> MapParts in
            k == 0 ? MapParts(exact: Self.exactPairs(keys)) : MapParts(titles: titleMaps(keys))
        }
        let exact = parts.first.exact!
        let (byTitle, blocks) = parts.second.titles!

        // Tier 1: same database id.
        for (j, i) in exact.sameID {
            if sets.union(j, i, force: true) { events.append(MergeEvent(merged: i, into: j, rule: .sameSourceID, detail: keys[i].sourceID!)) }
        }
        // Tier 2: same DOI.
        for (j, i) in exact.sameDOI {
            if sets.union(j, i, force: true) { events.append(MergeEvent(merged: i, into: j, rule: .doi, detail: keys[i].doi!)) }
        }
        // Tier 3: same title key and first author, years ±1.
        for group in byTitle.values where group.count > 1 && group.contains(where: { keys[$0].doi == nil }) {
            for a in 0..<group.count {
                for b in (a + 1)..<group.count where (keys[group[a]].doi == nil || keys[group[b]].doi == nil)
                    && yearsClose(keys[group[a]].year, keys[group[b]].year) {
                    if sets.conflict(group[a], group[b]) { continue }
                    if sets.union(group[a], group[b], force: false) {
                        events.append(MergeEvent(merged: group[b], into: group[a], rule: .titleAuthorYear,
                                                 detail: String(decoding: keys[group[a]].title.prefix(60), as: UTF8.self)))
                    }
                }
            }
        }
        // Tier 4: fuzzy titles inside blocks sharing a 12-byte title prefix or suffix (`titleMaps`).
        for block in blocks.values where block.count > 1 && block.contains(where: { keys[$0].doi == nil }) {
            let window = maximumBlockSize
            let ordered = block.count > window ? block.sorted { keys[$0].title.lexicographicallyPrecedes(keys[$1].title) } : block
            for a in 0..<ordered.count {
                let upper = min(ordered.count, a + 1 + window)
                for b in (a + 1)..<upper {
                    let i = ordered[a], j = ordered[b]
                    guard keys[i].doi == nil || keys[j].doi == nil, yearsClose(keys[i].year, keys[j].year), sets.find(i) != sets.find(j), !sets.conflict(i, j) else { continue }
                    let longer = max(keys[i].title.count, keys[j].title.count)
                    let limit = Int((1 - fuzzyThreshold) * Double(longer) + 1e-9)
                    guard let d = EditDistance.bounded(keys[i].title, keys[j].title, limit: limit) else { continue }
                    let similarity = 1 - Double(d) / Double(longer)
                    guard similarity >= fuzzyThreshold else { continue }
                    if sets.union(i, j, force: false) {
                        let (into, merged) = i < j ? (i, j) : (j, i)
                        events.append(MergeEvent(merged: merged, into: into, rule: .fuzzyTitle,
                                                 detail: "similarity \(Int((similarity * 1000).rounded()) / 10)%"))
                    }
                }
            }
        }

        // Clusters in order of their first record; survivor first by precedence, then input order.
        let rank = Dictionary(uniqueKeysWithValues: precedence.enumerated().map { ($1, $0) })
        var clusterOfRoot = [Int](repeating: -1, count: count)
        var clusters: [Cluster] = []
        var clusterOf = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let root = sets.find(i)
            if clusterOfRoot[root] < 0 {
                clusterOfRoot[root] = clusters.count
                clusters.append(Cluster(members: []))
            }
            clusterOf[i] = clusterOfRoot[root]
            clusters[clusterOfRoot[root]].members.append(i)
        }
        for c in clusters.indices where clusters[c].members.count > 1 {
            clusters[c].members.sort {
                let ra = rank[keys[$0].database] ?? precedence.count, rb = rank[keys[$1].database] ?? precedence.count
                return ra != rb ? ra < rb : $0 < $1
            }
        }
        return Result(clusters: clusters, clusterOf: clusterOf, events: events)
    }

    /// The exact tiers' candidate joins, in input order: (first record with the key, record).
    struct ExactPairs: Sendable {
        var sameID: [(Int, Int)] = []
        var sameDOI: [(Int, Int)] = []
    }

    /// What each core built for `run`.
    struct MapParts: @unchecked Sendable {
        var exact: ExactPairs?
        var titles: (byTitle: [TitleAuthor: [Int]], blocks: [BlockKey: [Int]])?
        init(exact: ExactPairs) { self.exact = exact }
        init(titles: (byTitle: [TitleAuthor: [Int]], blocks: [BlockKey: [Int]])) { self.titles = titles }
    }

    /// Tiers 1 and 2: each record whose database id, or DOI, an earlier record already had —
    /// paired with that earlier record. Which pairs join is decided later, in this order.
    /// (Indices, not `enumerated()` over the records: that copied every record, retaining each
    /// of its fields.)
    static func exactPairs(_ keys: [Keys]) -> ExactPairs {
        var pairs = ExactPairs()
        var byID: [SourceKey: Int] = [:]
        byID.reserveCapacity(keys.count)
        for i in keys.indices {
            guard let id = keys[i].sourceID else { continue }
            let key = SourceKey(database: keys[i].database, id: id)
            if let j = byID[key] { pairs.sameID.append((j, i)) } else { byID[key] = i }
        }
        var byDOI: [String: Int] = [:]
        byDOI.reserveCapacity(keys.count)
        for (i, k) in keys.enumerated() {
            guard let doi = k.doi else { continue }
            if let j = byDOI[doi] { pairs.sameDOI.append((j, i)) } else { byDOI[doi] = i }
        }
        return pairs
    }

    /// Tier 3's groups (same title key and first author) and tier 4's blocks (same 12-byte title
    /// prefix or suffix: one edit can touch only one end of a long title, so a near-duplicate
    /// lands in a common block).
    func titleMaps(_ keys: [Keys]) -> (byTitle: [TitleAuthor: [Int]], blocks: [BlockKey: [Int]]) {
        var byTitle: [TitleAuthor: [Int]] = [:]
        for (i, k) in keys.enumerated() where k.title.count >= minimumTitleKeyLength {
            byTitle[TitleAuthor(title: k.title, family: k.family), default: []].append(i)
        }
        var blocks: [BlockKey: [Int]] = [:]
        for (i, k) in keys.enumerated() where k.title.count >= minimumTitleKeyLength {
            blocks[BlockKey(0x70, k.title.prefix(12)), default: []].append(i)
            blocks[BlockKey(0x73, k.title.suffix(12)), default: []].append(i)
        }
        return (byTitle, blocks)
    }

    /// Every record's keys; a large list is split over both cores (the tiers themselves are
    /// sequential, the keys are not).
    static func keys(_ records: [BibRecord]) -> [Keys] {
        @Sendable func make(_ range: Range<Int>) -> [Keys] {
            range.map { i in DedupKeys(records[i]) }
        }
        guard records.count >= 4096 else { return make(records.indices) }
        let mid = records.count / 2
        let halves = ParallelPair { k in k == 0 ? make(0..<mid) : make(mid..<records.count) }
        return halves.first + halves.second
    }

    func yearsClose(_ a: Int?, _ b: Int?) -> Bool {
        switch (a, b) {
        case let (x?, y?): return abs(x - y) <= 1
        case (nil, nil): return true
        default: return false
        }
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

    /// A fuzzy-tier block: "p" or "s" and the title key's first or last 12 bytes, packed into
    /// two words (the key of every record goes in twice; arrays cost an allocation and a
    /// byte-by-byte hash each).
    struct BlockKey: Hashable {
        var high: UInt64
        var low: UInt64

        /// `bytes` holds at most 12 bytes: tag, length and the first 6 in one word, the rest in
        /// the other — so two keys are equal exactly when tag and bytes are.
        init(_ tag: UInt8, _ bytes: ArraySlice<UInt8>) {
            var h = UInt64(tag) << 8 | UInt64(bytes.count), l: UInt64 = 0
            for (n, b) in bytes.enumerated() {
                if n < 6 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
            }
            high = h
            low = l
        }
    }
}

/// Disjoint sets with path halving; each root remembers a DOI so that two sets carrying
/// different DOIs are not joined unless the rule is authoritative (`force`).
struct UnionFind {
    var parent: [Int]
    var doi: [String?]

    init(count: Int, dois: [String?]) {
        parent = Array(0..<count)
        doi = dois
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
        return x
    }

    /// True when the sets of `a` and `b` carry different DOIs: they cannot be the same work.
    mutating func conflict(_ a: Int, _ b: Int) -> Bool {
        guard let da = doi[find(a)], let db = doi[find(b)] else { return false }
        return da != db
    }

    /// Joins the sets of `a` and `b` (a's root stays root). False when already joined or refused.
    mutating func union(_ a: Int, _ b: Int, force: Bool) -> Bool {
        let ra = find(a), rb = find(b)
        if ra == rb { return false }
        if !force, let da = doi[ra], let db = doi[rb], da != db { return false }
        parent[rb] = ra
        if doi[ra] == nil { doi[ra] = doi[rb] }
        return true
    }
}
