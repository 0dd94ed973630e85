import Dispatch

/// One article of the deduplicated list: the merged record, the input records it stands for
/// (survivor first) and the machine's exclusion verdict.
public struct Article: Sendable {
    /// Stable id (`BibRecord.stableID` of the merged record), unique within the list.
    public var id: String
    public var record: BibRecord
    /// Indices into `Analysis.records`, survivor first.
    public var members: [Int]
    public var verdict: ExclusionRules.Verdict
}

/// The whole stage's output for a set of records.
public struct Analysis: Sendable {
    /// Every record read, in input order.
    public var records: [BibRecord]
    public var articles: [Article]
    /// Record index → article index.
    public var articleOf: [Int]
    public var mergeLog: [MergeEvent]

    /// Per file: records kept (survivors), merged into another record, and kept-but-excluded.
    public struct FileCounts: Hashable, Sendable {
        public var kept = 0
        public var merged = 0
        public var excluded = 0
        public init(kept: Int = 0, merged: Int = 0, excluded: Int = 0) {
            self.kept = kept
            self.merged = merged
            self.excluded = excluded
        }
    }

    public func counts(forFile file: String) -> FileCounts {
        var c = FileCounts()
        for (i, r) in records.enumerated() where r.source.file == file {
            let a = articles[articleOf[i]]
            if a.members[0] == i {
                c.kept += 1
                if a.verdict.exclusion != nil { c.excluded += 1 }
            } else {
                c.merged += 1
            }
        }
        return c
    }

    /// Articles per exclusion reason.
    public var excludedCounts: [ExclusionReason: Int] {
        var out: [ExclusionReason: Int] = [:]
        for a in articles { if let e = a.verdict.exclusion { out[e, default: 0] += 1 } }
        return out
    }
}

extension Bibliography {
    /// Deduplicates `records`, merges each cluster and judges it.
    public static func analyse(_ records: [BibRecord], deduplicator: Deduplicator = Deduplicator(),
                               rules: ExclusionRules = ExclusionRules()) -> Analysis {
        let result = deduplicator.run(records)
        // Merging and judging each cluster is independent of the others: a long list is done in
        // two halves on both cores; only making the ids unique below is sequential.
        let clusters = result.clusters
        @Sendable func judged(_ c: Int) -> Article {
            let cluster = clusters[c]
            return article(of: cluster.members.map { records[$0] }, members: cluster.members, rules: rules)
        }
        // Each half writes its articles straight into its own part of the one result array:
        // judging into two arrays and concatenating them copied every article (a retain of each of
        // its fields, and a release when the halves went) — 3 % of `bib inspect`.
        let n = clusters.count
        var articles = [Article](unsafeUninitializedCapacity: n) { buffer, count in
            let out = ArticleSlots(base: buffer.baseAddress)
            @Sendable func fill(_ range: Range<Int>) {
                for c in range { (out.base! + c).initialize(to: judged(c)) }
            }
            if n >= 4096 {
                let mid = n / 2
                DispatchQueue.concurrentPerform(iterations: 2) { k in fill(k == 0 ? 0..<mid : mid..<n) }
            } else {
                fill(0..<n)
            }
            count = n
        }
        var ids = UniqueArticleIDs(capacity: articles.count)
        for a in articles.indices { articles[a].id = ids.unique(articles[a].id) }
        return Analysis(records: records, articles: articles, articleOf: result.clusterOf, mergeLog: result.events)
    }
}

extension Bibliography {
    /// One cluster's article: its records (survivor first) merged and judged, with the merged
    /// record's stable id — what `analyse` does for each cluster, public for a caller that reads
    /// a large list's records back one cluster at a time (the Study's bounded rebuild).
    public static func article(of records: [BibRecord], members: [Int], rules: ExclusionRules) -> Article {
        let merged = records.count == 1 ? records[0] : RecordMerger.merge(records)
        return Article(id: merged.stableID, record: merged, members: members, verdict: rules.judge(merged))
    }
}

/// Makes article ids unique in list order: two distinct articles can share a title hash, and
/// the second becomes "id~2".
public struct UniqueArticleIDs {
    private var seen: [String: Int] = [:]

    public init(capacity: Int = 0) {
        seen.reserveCapacity(capacity)   // (growing it was 2 % of `bib inspect`)
    }

    public mutating func unique(_ id: String) -> String {
        if let n = seen[id] { seen[id] = n + 1; return id + "~\(n + 1)" }
        seen[id] = 1
        return id
    }
}

/// The result buffer of `Bibliography.analyse`, shared by the two halves that judge clusters;
/// each writes only its own, disjoint range of slots.
private struct ArticleSlots: @unchecked Sendable { let base: UnsafeMutablePointer<Article>? }
