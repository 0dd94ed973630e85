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

    public func run(_ records: [BibRecord]) -> Result {
        run(keys: Self.keys(records))
    }

    /// Deduplicates records given by their keys alone; the same result as `run(records)`.
    public func run(keys: [DedupKeys]) -> Result {
        let candidates = KeyedCandidates(keys, minimumTitleLength: minimumTitleKeyLength, window: maximumBlockSize)
        var joins = join(candidates)
        let databases = candidates.databases()
        var clusters: [Cluster] = []
        var clusterOf = [Int](repeating: 0, count: keys.count)
        joins.forEachCluster(databases: databases, precedence: precedence) { members in
            for m in members { clusterOf[m] = clusters.count }
            clusters.append(Cluster(members: members))
        }
        return Result(clusters: clusters, clusterOf: clusterOf, events: joins.events)
    }

    /// The four tiers over any source of candidates (`DedupCandidates`): which records join, and
    /// the merge log. Tiers run in order; each later tier joins only what the earlier left apart.
    public func join<C: DedupCandidates>(_ candidates: C) throws(C.Failure) -> Joins {
        let groups = try candidates.doiGroups()
        let years = try candidates.years()
        var sets = UnionFind(doiGroups: groups)
        var events: [MergeEvent] = []
        // Tier 1: same database id.
        for p in try candidates.sameSourceIDPairs() where sets.union(p.first, p.record, force: true) {
            events.append(MergeEvent(merged: p.record, into: p.first, rule: .sameSourceID, detail: p.detail))
        }
        // Tier 2: same DOI.
        for p in try candidates.sameDOIPairs() where sets.union(p.first, p.record, force: true) {
            events.append(MergeEvent(merged: p.record, into: p.first, rule: .doi, detail: p.detail))
        }
        // Tier 3: same title key and first author, years ±1.
        try candidates.forEachTitleGroup { (group: TitleGroup) in
            let m = group.members
            for a in 0..<m.count {
                for b in (a + 1)..<m.count where (groups[m[a]] < 0 || groups[m[b]] < 0) && yearsClose(years[m[a]], years[m[b]]) {
                    if sets.conflict(m[a], m[b]) { continue }
                    if sets.union(m[a], m[b], force: false) {
                        events.append(MergeEvent(merged: m[b], into: m[a], rule: .titleAuthorYear,
                                                 detail: String(decoding: group.title.prefix(60), as: UTF8.self)))
                    }
                }
            }
        }
        // Tier 4: fuzzy titles inside blocks sharing a 12-byte title prefix or suffix (one edit
        // can touch only one end of a long title, so a near-duplicate lands in a common block).
        // Each member is compared with the `maximumBlockSize` members before it in its block.
        var recent: [BlockMember] = []
        try candidates.forEachBlockMember { (b: BlockMember) in
            if b.startsBlock { recent.removeAll(keepingCapacity: true) }
            let j = b.index
            for a in recent {
                let i = a.index
                guard groups[i] < 0 || groups[j] < 0, yearsClose(years[i], years[j]), sets.find(i) != sets.find(j), !sets.conflict(i, j) else { continue }
                let longer = max(a.title.count, b.title.count)
                let limit = Int((1 - fuzzyThreshold) * Double(longer) + 1e-9)
                guard let d = EditDistance.bounded(a.title, b.title, limit: limit) else { continue }
                let similarity = 1 - Double(d) / Double(longer)
                guard similarity >= fuzzyThreshold else { continue }
                if sets.union(i, j, force: false) {
                    let (into, merged) = i < j ? (i, j) : (j, i)
                    events.append(MergeEvent(merged: merged, into: into, rule: .fuzzyTitle,
                                             detail: "similarity \(Int((similarity * 1000).rounded()) / 10)%"))
                }
            }
            if recent.count == maximumBlockSize { recent.removeFirst() }
            recent.append(b)
        }
        return Joins(sets: sets, events: events)
    }

    /// Which records joined (`join`), before they become clusters.
    public struct Joins: Sendable {
        var sets: UnionFind
        /// The merge log, in the order the joins were made.
        public var events: [MergeEvent]

        /// Calls `body` with each cluster's members, clusters in order of their first record,
        /// the survivor first (by database precedence, then input order). Holds two integers per
        /// record, not a list per cluster.
        public mutating func forEachCluster(databases: [SourceDatabase], precedence: [SourceDatabase],
                                            _ body: ([Int]) throws -> Void) rethrows {
            let count = sets.parent.count
            let rank = Dictionary(uniqueKeysWithValues: precedence.enumerated().map { ($1, $0) })
            // next[i]: the following member of i's cluster; tail[root]: its last member so far.
            var next = [Int32](repeating: -1, count: count)
            var tail = [Int32](repeating: -1, count: count)
            for i in 0..<count {
                let r = sets.find(i)
                if tail[r] >= 0 { next[Int(tail[r])] = Int32(i) }
                tail[r] = Int32(i)
            }
            // A record heads its cluster when it is its root's first member: tail is reused to
            // mark the roots already met.
            for i in 0..<count { tail[i] = -1 }
            var members: [Int] = []
            for i in 0..<count {
                let r = sets.find(i)
                guard tail[r] < 0 else { continue }
                tail[r] = 0
                members.removeAll(keepingCapacity: true)
                var m = Int32(i)
                while m >= 0 { members.append(Int(m)); m = next[Int(m)] }
                if members.count > 1 {
                    members.sort {
                        let ra = rank[databases[$0]] ?? precedence.count, rb = rank[databases[$1]] ?? precedence.count
                        return ra != rb ? ra < rb : $0 < $1
                    }
                }
                try body(members)
            }
        }
    }

    /// Every record's keys; a large list is split over both cores (the tiers themselves are
    /// sequential, the keys are not).
    static func keys(_ records: [BibRecord]) -> [DedupKeys] {
        @Sendable func make(_ range: Range<Int>) -> [DedupKeys] {
            range.map { i in DedupKeys(records[i]) }
        }
        guard records.count >= 4096 else { return make(records.indices) }
        let mid = records.count / 2
        let halves = ParallelPair { k in k == 0 ? make(0..<mid) : make(mid..<records.count) }
        return halves.first + halves.second
    }

    func yearsClose(_ a: Int32, _ b: Int32) -> Bool {
        if a == DedupKeys.noYear || b == DedupKeys.noYear { return a == b }
        return abs(Int64(a) - Int64(b)) <= 1
    }
}

/// Disjoint sets with path halving; each root remembers a DOI (as the index of the first record
/// carrying it) so that two sets carrying different DOIs are not joined unless the rule is
/// authoritative (`force`). Two 32-bit integers per record.
struct UnionFind: Sendable {
    var parent: [Int32]
    var doi: [Int32]

    init(doiGroups: [Int32]) {
        parent = (0..<Int32(doiGroups.count)).map { $0 }
        doi = doiGroups
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while Int(parent[x]) != x { parent[x] = parent[Int(parent[x])]; x = Int(parent[x]) }
        return x
    }

    /// True when the sets of `a` and `b` carry different DOIs: they cannot be the same work.
    mutating func conflict(_ a: Int, _ b: Int) -> Bool {
        let da = doi[find(a)], db = doi[find(b)]
        return da >= 0 && db >= 0 && da != db
    }

    /// Joins the sets of `a` and `b` (a's root stays root). False when already joined or refused.
    mutating func union(_ a: Int, _ b: Int, force: Bool) -> Bool {
        let ra = find(a), rb = find(b)
        if ra == rb { return false }
        if !force, doi[ra] >= 0, doi[rb] >= 0, doi[ra] != doi[rb] { return false }
        parent[rb] = Int32(ra)
        if doi[ra] < 0 { doi[ra] = doi[rb] }
        return true
    }
}
