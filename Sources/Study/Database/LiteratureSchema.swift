import GRDB

/// The tables of literature acquisition (`literature search`, `fetch`, `status`).
///
/// Pages are input, like imported files: each stored page is a `bibFile` (keyed by its content
/// fingerprint, so the same bytes are never stored twice) plus a `literaturePage` row saying
/// which query and which step of its cursor walk it was. A walk resumes after its last stored
/// page; a failed page stores nothing.
enum LiteratureSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-literature") { db in
            try db.create(table: "literatureQuery") { t in
                t.primaryKey("key", .text)               // source + parameters (LiteratureQuery.key)
                t.column("name", .text).notNull()
                t.column("source", .text).notNull()
                t.column("baseline", .text)
                t.column("state", .text).notNull()       // walking, complete, failed
                t.column("total", .integer)              // hit count announced by the first page
                t.column("startedAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
                t.column("lastError", .text)
            }
            try db.create(table: "literaturePage") { t in
                t.column("queryKey", .text).notNull().references("literatureQuery", onDelete: .cascade)
                t.column("number", .integer).notNull()   // 1, 2, … along the walk
                t.column("cursor", .text).notNull()      // the cursor sent
                t.column("nextCursor", .text)            // the cursor received
                t.column("url", .text).notNull()
                t.column("fileId", .text).notNull()      // bibFile holding the page's records
                t.column("items", .integer).notNull()
                t.column("kept", .integer).notNull()     // records stored (after the volume/issue check)
                t.column("total", .integer)
                t.column("fetchedAt", .datetime).notNull()
                t.primaryKey(["queryKey", "number"])
            }
            // One row per article `literature fetch` tried: the manifest of fulltext/.
            try db.create(table: "literatureFulltext") { t in
                t.primaryKey("articleId", .text)
                t.column("doi", .text)
                t.column("pmcid", .text)
                t.column("url", .text)
                t.column("file", .text)
                t.column("sha256", .text)
                t.column("licence", .text)
                t.column("status", .text).notNull()      // stored, missing, failed
                t.column("detail", .text)
                t.column("supplements", .text)           // file of the supplementary archive, when fetched
                t.column("fetchedAt", .datetime).notNull()
            }
        }
    }
}
