import Core
import GRDB

/// The tables of the Classification stage. Registered by `StudySchema`, in order; never edit a
/// released migration — append a new one.
///
/// - `classification`: the machine's proposal, one row per article, replaced whole on every
///   `lostdata classify`. Lists are JSON text so a review page can show them as they are.
/// - `articleCategory`: the proposal's assigned categories, one row each, for SQL summaries.
/// A person's choice never lives here: it is a `decision` row (subject "article:<id>", kind
/// "category", value = category ids joined by "; ", primary first), which no re-run touches.
enum ClassificationSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-classification") { db in
            try db.create(table: "classification") { t in
                t.primaryKey("articleId", .text)
                t.column("doi", .text)
                t.column("title", .text)
                t.column("year", .integer)
                t.column("primaryCategory", .text).notNull()
                t.column("categories", .text).notNull()
                t.column("scores", .text).notNull()
                t.column("ambiguous", .boolean).notNull()
                t.column("evidence", .text).notNull()
                t.column("rulesFile", .text).notNull()
                t.column("classifiedAt", .datetime).notNull()
            }
            try db.create(table: "articleCategory") { t in
                t.column("articleId", .text).notNull()
                t.column("category", .text).notNull()
                t.column("score", .double).notNull()
                t.primaryKey(["articleId", "category"])
            }
            try db.create(index: "articleCategoryByCategory", on: "articleCategory", columns: ["category"])
        }
    }
}
