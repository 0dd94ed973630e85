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

    /// The Ledger's input per facility (names in `facilities`, or all, by name) plus the network.
    public static func inputs(_ c: CatalogueConnection, facilities: [String] = []) async throws -> [SourceInput] {
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
        let names = declared.map(\.name)

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
            SELECT facility, technique, count(*), sum(images)::bigint FROM lostdata.article_images
            WHERE facility = ANY(\(names)::text[]) AND images > 0
            GROUP BY facility, technique
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
            GROUP BY a.facility
            """) {
            let (facility, articles, images) = try row.decode((String, Int, Int).self)
            totals[facility] = Tally(articles: articles, images: images)
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
        return sources
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

    public static func table(_ c: CatalogueConnection, facilities: [String] = []) async throws -> Table1 {
        Ledger.table1(try await inputs(c, facilities: facilities))
    }
}
