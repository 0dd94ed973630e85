import Core
import Ledger
import PostgresNIO

/// Table 1 across facilities. The server aggregates (GROUP BY facility and technique over the
/// image and per-article rows); only a few numbers per facility come back, and the Ledger turns
/// them into columns exactly as it does for one study — so each facility's columns equal that
/// study's own `table1`, and the network total is their sum.
public enum CatalogueTable1 {
    /// The name of the last source.
    public static let networkName = "All facilities"
    /// The network's trim report's key: not a name a facility can have (a facility may be called "All facilities").
    static let networkTrimKey = "\u{0}network"

    /// The Ledger's input per facility (names in `facilities`, or all, by name) plus the network.
    ///
    /// With `trimOutliers: N`, every article showing more than N images (all techniques together,
    /// as `table1 --trim-outliers`) is left out of the published counts, in the server;
    /// `trimmed` then holds what was left out, per facility.
    public static func inputs(_ c: CatalogueConnection, facilities: [String] = [], trimOutliers: Int? = nil) async throws -> [SourceInput] {
        try await inputsAndTrim(c, facilities: facilities, trimOutliers: trimOutliers).sources
    }

    /// The facilities' names (those asked for, in that order, or all by name); refuses unknown ones.
    public static func facilityNames(_ c: CatalogueConnection, facilities: [String] = []) async throws -> [String] {
        try await declared(c, facilities: facilities).map(\.name)
    }

    static func declared(_ c: CatalogueConnection, facilities: [String]) async throws -> [(name: String, techniques: [Technique], mode: String)] {
        try await CatalogueSchema.check(c)
        var declared: [(name: String, techniques: [Technique], mode: String)] = []
        for row in try await c.rows("""
            SELECT name, techniques, acquired_mode FROM lostdata.facility
            WHERE cardinality(\(facilities)::text[]) = 0 OR name = ANY(\(facilities)::text[]) ORDER BY name
            """) {
            let (name, techniques, mode) = try row.decode((String, [String], String).self)
            declared.append((name, techniques.compactMap(Technique.init(name:)), mode))
        }
        let missing = facilities.filter { f in !declared.contains { $0.name == f } }
        if !missing.isEmpty {
            throw CatalogueError("no such facility in the catalogue: " + missing.map { "'\($0)'" }.joined(separator: ", "))
        }
        if !facilities.isEmpty {
            // The order asked for on the command line.
            declared.sort { facilities.firstIndex(of: $0.name)! < facilities.firstIndex(of: $1.name)! }
        }
        return declared
    }

    static func inputsAndTrim(_ c: CatalogueConnection, facilities: [String], trimOutliers: Int?) async throws
        -> (sources: [SourceInput], trims: [String: TrimReport]) {
        let declared = try await declared(c, facilities: facilities)
        let names = declared.map(\.name)
        // The articles kept: all, or those at or under the threshold (the sum over techniques of
        // the folded counts, as the Ledger's `ArticleImages.total`). Bound as NULL when not trimming.
        let threshold = trimOutliers.map(Int64.init)

        var acquired: [String: [Technique: Int]] = [:]
        for row in try await c.rows("""
            SELECT i.facility, i.counted_as, count(*) FROM lostdata.image i
            JOIN lostdata.facility f ON f.name = i.facility AND f.acquired_mode = 'archive'
            WHERE i.facility = ANY(\(names)::text[]) AND i.counted_as IS NOT NULL
            GROUP BY i.facility, i.counted_as
            UNION ALL
            SELECT d.facility, d.technique, d.images FROM lostdata.declared_acquired d
            JOIN lostdata.facility f ON f.name = d.facility AND f.acquired_mode = 'declared'
            WHERE d.facility = ANY(\(names)::text[])
            """) {
            let (facility, technique, n) = try row.decode((String, String, Int).self)
            if let t = Technique(name: technique) { acquired[facility, default: [:]][t, default: 0] += n }
        }

        var byTechnique: [String: [Technique: Tally]] = [:]
        for row in try await c.rows("""
            SELECT a.facility, a.technique, count(*), sum(a.images)::bigint FROM lostdata.article_images a
            WHERE a.facility = ANY(\(names)::text[]) AND a.images > 0
              AND (\(threshold)::bigint IS NULL OR (a.facility, a.article_id) NOT IN (
                   SELECT o.facility, o.article_id FROM lostdata.article_images o WHERE o.facility = ANY(\(names)::text[])
                   GROUP BY o.facility, o.article_id HAVING sum(o.images) > \(threshold)::bigint))
            GROUP BY a.facility, a.technique
            """) {
            let (facility, technique, articles, images) = try row.decode((String, String, Int, Int).self)
            if let t = Technique(name: technique) { byTechnique[facility, default: [:]][t] = Tally(articles: articles, images: images) }
        }

        // TOTAL: each article once, however many techniques, counting the declared techniques only.
        var totals: [String: Tally] = [:]
        for row in try await c.rows("""
            SELECT a.facility, count(DISTINCT a.article_id), coalesce(sum(a.images), 0)::bigint FROM lostdata.article_images a
            JOIN lostdata.facility f ON f.name = a.facility
            WHERE a.facility = ANY(\(names)::text[]) AND a.images > 0 AND a.technique = ANY(f.techniques)
              AND (\(threshold)::bigint IS NULL OR (a.facility, a.article_id) NOT IN (
                   SELECT o.facility, o.article_id FROM lostdata.article_images o WHERE o.facility = ANY(\(names)::text[])
                   GROUP BY o.facility, o.article_id HAVING sum(o.images) > \(threshold)::bigint))
            GROUP BY a.facility
            """) {
            let (facility, articles, images) = try row.decode((String, Int, Int).self)
            totals[facility] = Tally(articles: articles, images: images)
        }

        // What trimming did, per facility: the articles left out (few, by construction) and the
        // totals over all of an article's techniques before and after, as the Ledger reports them.
        var trims: [String: TrimReport] = [:]
        if let threshold {
            var trimmed: [String: [TrimmedArticle]] = [:]
            var before: [String: Tally] = [:], after: [String: Tally] = [:]
            for row in try await c.rows("""
                SELECT facility, article_id, sum(images)::bigint FROM lostdata.article_images
                WHERE facility = ANY(\(names)::text[]) GROUP BY facility, article_id HAVING sum(images) > \(threshold)
                """) {
                let (facility, id, n) = try row.decode((String, String, Int).self)
                trimmed[facility, default: []].append(TrimmedArticle(id: id, images: n))
            }
            for row in try await c.rows("""
                SELECT facility, count(*) FILTER (WHERE total > 0), coalesce(sum(total), 0)::bigint,
                       count(*) FILTER (WHERE total > 0 AND total <= \(threshold)), coalesce(sum(total) FILTER (WHERE total <= \(threshold)), 0)::bigint
                FROM (SELECT facility, article_id, sum(images) AS total FROM lostdata.article_images
                      WHERE facility = ANY(\(names)::text[]) GROUP BY facility, article_id) t
                GROUP BY facility
                """) {
                let (facility, a0, i0, a1, i1) = try row.decode((String, Int, Int, Int, Int).self)
                before[facility] = Tally(articles: a0, images: i0)
                after[facility] = Tally(articles: a1, images: i1)
            }
            for name in names {
                trims[name] = TrimReport(threshold: Int(threshold), applicable: true,
                                         trimmed: (trimmed[name] ?? []).sorted { ($0.images, $1.id) > ($1.images, $0.id) },
                                         before: before[name] ?? Tally(articles: 0, images: 0), after: after[name] ?? Tally(articles: 0, images: 0))
            }
            let zero = Tally(articles: 0, images: 0)
            func add(_ a: Tally, _ b: Tally) -> Tally { Tally(articles: a.articles + b.articles, images: a.images + b.images) }
            trims[networkTrimKey] = TrimReport(
                threshold: Int(threshold), applicable: true,
                trimmed: names.flatMap { n in (trims[n]?.trimmed ?? []).map { TrimmedArticle(id: n + ": " + $0.id, images: $0.images) } },
                before: names.reduce(zero) { add($0, trims[$1]?.before ?? zero) }, after: names.reduce(zero) { add($0, trims[$1]?.after ?? zero) })
        }

        var sources: [SourceInput] = declared.map { f in
            let total = totals[f.name] ?? Tally(articles: 0, images: 0)
            return SourceInput(
                name: f.name, techniques: f.techniques,
                acquired: f.mode == "none" ? nil : (acquired[f.name] ?? [:]),
                published: .aggregates(PublishedAggregates(byTechnique: byTechnique[f.name] ?? [:],
                                                           distinctArticles: total.articles, totalImages: total.images)))
        }
        sources.append(network(sources))
        return (sources, trims)
    }

    /// The network total: every facility's numbers added, technique by technique. A technique
    /// some facility declares without acquisition data has none in the total either ("No data"):
    /// a sum over part of the network would understate what was acquired.
    static func network(_ facilities: [SourceInput]) -> SourceInput {
        let techniques = Technique.allCases.filter { t in facilities.contains { $0.techniques.contains(t) } }
        var acquired: [Technique: Int] = [:]
        var byTechnique: [Technique: Tally] = [:]
        var articles = 0, images = 0
        for t in techniques {
            var sum = 0, known = true
            for f in facilities where f.techniques.contains(t) {
                if let n = f.acquired?[t] { sum += n } else { known = false }
            }
            if known { acquired[t] = sum }
        }
        for f in facilities {
            guard case .aggregates(let agg) = f.published else { continue }
            for (t, tally) in agg.byTechnique where f.techniques.contains(t) {
                byTechnique[t, default: Tally(articles: 0, images: 0)].articles += tally.articles
                byTechnique[t, default: Tally(articles: 0, images: 0)].images += tally.images
            }
            articles += agg.distinctArticles
            images += agg.totalImages ?? 0
        }
        let anyAcquired = facilities.contains { $0.acquired != nil }
        return SourceInput(name: networkName, techniques: techniques, acquired: anyAcquired ? acquired : nil,
                           published: .aggregates(PublishedAggregates(byTechnique: byTechnique, distinctArticles: articles, totalImages: images)))
    }

    /// Table 1; with `trimOutliers`, trimmed in the server and each source's `trim` saying how.
    public static func table(_ c: CatalogueConnection, facilities: [String] = [], trimOutliers: Int? = nil) async throws -> Table1 {
        let (sources, trims) = try await inputsAndTrim(c, facilities: facilities, trimOutliers: trimOutliers)
        var table = Ledger.table1(sources)
        for i in table.sources.indices {
            table.sources[i].trim = trims[i == table.sources.count - 1 ? networkTrimKey : table.sources[i].name]
        }
        return table
    }
}
