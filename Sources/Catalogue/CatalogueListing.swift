import Foundation
import PostgresNIO

/// One facility as `catalogue list` shows it.
public struct FacilitySummary: Sendable, Hashable {
    public var name: String
    public var pushedAt: Date
    public var pushedBy: String
    public var toolVersion: String
    public var images: Int
    public var articles: Int
    public var decisions: Int
}

public enum CatalogueListing {
    /// Every facility with its last push and row counts (counted in the server).
    public static func facilities(_ c: CatalogueConnection) async throws -> [FacilitySummary] {
        try await CatalogueSchema.check(c)
        return try await c.rows("""
            SELECT f.name, f.pushed_at, f.pushed_by, f.tool_version,
                   coalesce(i.n, 0), coalesce(a.n, 0), coalesce(d.n, 0)
            FROM lostdata.facility f
            LEFT JOIN (SELECT facility, count(*) AS n FROM lostdata.image GROUP BY facility) i ON i.facility = f.name
            LEFT JOIN (SELECT facility, count(*) AS n FROM lostdata.article GROUP BY facility) a ON a.facility = f.name
            LEFT JOIN (SELECT facility, count(*) AS n FROM lostdata.decision GROUP BY facility) d ON d.facility = f.name
            ORDER BY f.name
            """).map { row in
            let (name, at, by, version, images, articles, decisions) = try row.decode((String, Date, String, String, Int, Int, Int).self)
            return FacilitySummary(name: name, pushedAt: at, pushedBy: by, toolVersion: version,
                                   images: images, articles: articles, decisions: decisions)
        }
    }
}
