import Bibliography
import Foundation
import GRDB

/// What `literature status` shows.
public struct LiteratureStatus: Sendable {
    public struct Query: Sendable {
        public var name: String
        public var key: String
        public var source: String
        /// The third-party baseline the query samples (`--baseline`), if any.
        public var baseline: String?
        public var state: String
        public var pages: Int
        public var records: Int
        public var total: Int?
        public var lastFetched: Date?
        /// Fetched within `literature.cacheHours`: a re-run answers from the cache.
        public var fresh: Bool
        public var error: String?
    }
    public struct Article: Sendable {
        public var articleId: String
        public var doi: String?
        public var pmcid: String?
        public var status: String
        public var detail: String?
        public var file: String?
    }
    public var queries: [Query]
    public var articles: [Article]
    /// Articles in the list that `literature fetch` has not tried yet.
    public var notTried: Int
}

extension Study {
    public func literatureStatus() throws -> LiteratureStatus {
        let hours = file.literature.cacheHours
        return try database.read { db in
            let queries = try Row.fetchAll(db, sql: """
                SELECT q.key, q.name, q.source, q.baseline, q.state, q.total, q.lastError, COUNT(p.number) AS pages, COALESCE(SUM(p.kept), 0) AS records,
                       MAX(p.fetchedAt) AS lastFetched
                FROM literatureQuery q LEFT JOIN literaturePage p ON p.queryKey = q.key GROUP BY q.key ORDER BY q.startedAt, q.key
                """).map { r -> LiteratureStatus.Query in
                let last: Date? = r["lastFetched"]
                return LiteratureStatus.Query(name: r["name"], key: r["key"], source: r["source"], baseline: r["baseline"], state: r["state"], pages: r["pages"],
                                              records: r["records"], total: r["total"], lastFetched: last,
                                              fresh: last.map { Date().timeIntervalSince($0) < hours * 3600 } ?? false, error: r["lastError"])
            }
            let directory = self.directory
            let articles = try Row.fetchAll(db, sql: "SELECT articleId, doi, pmcid, status, detail, file FROM literatureFulltext ORDER BY status, articleId").map { row in
                var a = LiteratureStatus.Article(articleId: row["articleId"], doi: row["doi"], pmcid: row["pmcid"], status: row["status"], detail: row["detail"], file: row["file"])
                // A stored file deleted since: said, and fetched again by the next `literature fetch`.
                if a.status == "stored", let f = a.file, !FileManager.default.fileExists(atPath: directory.appendingPathComponent(f).path) {
                    a.status = "deleted"
                    a.detail = "\(f) is gone; `lostdata literature fetch` fetches it again"
                }
                return a
            }
            let notTried = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article WHERE id NOT IN (SELECT articleId FROM literatureFulltext)") ?? 0
            return LiteratureStatus(queries: queries, articles: articles, notTried: notTried)
        }
    }
}
