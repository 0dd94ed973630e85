import Bibliography
import GRDB

/// Which current article a person's decision is about.
///
/// Decisions are keyed by the article id of the day (`article:<id>`), and an id is the survivor
/// record's stable id — DOI, else EID, else UT, … So when a later import merges a record with a
/// DOI into an article known until then by its EID, the article's id changes. Every record keeps
/// its own stable id, and `articleAlias` maps each of them (and the article's id) to the article
/// that now holds the record, so the decision follows the record. An alias that now points to two
/// articles (which can only happen for title-hash ids) resolves to none: such decisions are
/// reported as orphaned rather than applied to a guess.
struct ArticleAliases {
    /// alias → current article id, for aliases with exactly one target.
    private var target: [String: String] = [:]
    /// Current article ids.
    private var current: Set<String> = []

    init(_ db: Database) throws {
        // While the list is rebuilt, `article` is empty and the new ids are the self-aliases; in a
        // study imported before aliases existed, `articleAlias` is empty and `article` has them.
        current = try Set(String.fetchAll(db, sql: "SELECT id FROM article UNION SELECT articleId FROM articleAlias WHERE alias = articleId"))
        let rows = try Row.fetchCursor(db, sql: """
            SELECT alias, MIN(articleId) FROM articleAlias GROUP BY alias HAVING COUNT(DISTINCT articleId) = 1
            """)
        while let row = try rows.next() { target[row[0]] = row[1] }
    }

    /// The current article a decision about `id` belongs to, or nil when none holds it any more.
    func resolve(_ id: String) -> String? {
        if current.contains(id) { return id }
        return target[id]
    }

    /// `resolve` for one id, asking the tables instead of holding every alias and id: for a
    /// caller that resolves a few ids (people's decisions) against a list of any size — loading
    /// the aliases of 230,000 articles took 41 MB at the end of a `literature search`.
    static func resolve(_ id: String, in db: Database) throws -> String? {
        let current = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM article WHERE id = ?1) OR EXISTS (SELECT 1 FROM articleAlias WHERE alias = ?1 AND articleId = ?1)
            """, arguments: [id]) ?? false
        if current { return id }
        guard let row = try Row.fetchOne(db, sql: "SELECT MIN(articleId), COUNT(DISTINCT articleId) FROM articleAlias WHERE alias = ?", arguments: [id]),
              (row[1] as Int) == 1 else { return nil }
        return row[0]
    }

    /// Every alias of a current article that is not itself a current id, with that article.
    var formerIDs: [(alias: String, article: String)] {
        target.filter { !current.contains($0.key) }.map { ($0.key, $0.value) }
    }
}
