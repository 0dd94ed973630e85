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
            let merged = cluster.members.count == 1 ? records[cluster.members[0]] : RecordMerger.merge(cluster.members.map { records[$0] })
            return Article(id: merged.stableID, record: merged, members: cluster.members, verdict: rules.judge(merged))
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
        var seen: [String: Int] = [:]
        seen.reserveCapacity(articles.count)   // (growing it was 2 % of `bib inspect`)
        for a in articles.indices {
            // Ids must be unique; two distinct articles can share a title hash.
            let id = articles[a].id
            if let n = seen[id] { seen[id] = n + 1; articles[a].id += "~\(n + 1)" } else { seen[id] = 1 }
        }
        return Analysis(records: records, articles: articles, articleOf: result.clusterOf, mergeLog: result.events)
    }
}

/// The result buffer of `Bibliography.analyse`, shared by the two halves that judge clusters;
/// each writes only its own, disjoint range of slots.
private struct ArticleSlots: @unchecked Sendable { let base: UnsafeMutablePointer<Article>? }
