import GRDB

/// Every migration of the study database, registered in one place and applied in this order.
///
/// Rules for the schema (docs/architecture.md):
/// - Machine output of a stage lives in that stage's tables and is replaced whole, in one
///   transaction, when the stage runs again.
/// - What a person decided lives in `decision`, keyed by stable subject ids (a record id derived
///   from DOI/EID/UT, an image path), never by row ids a re-run would renumber — so no re-run
///   can overwrite it.
/// - A migration, once released, is never edited: add a new one.
enum StudySchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-core") { db in
            // One row per stage run: what ran, when, and a JSON summary of what it did.
            try db.create(table: "stageRun") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("stage", .text).notNull().indexed()
                t.column("startedAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
                t.column("summary", .text)
            }
            // A person's decisions. `subject` is "article:<id>", "image:<path>", …; `kind` says what
            // is decided ("category", "exclusion", …); the newest row per (subject, kind) holds.
            try db.create(table: "decision") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("subject", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("value", .text).notNull()
                t.column("author", .text).notNull()
                t.column("decidedAt", .datetime).notNull()
                t.column("note", .text)
            }
            try db.create(index: "decisionBySubject", on: "decision", columns: ["subject", "kind", "decidedAt"])
        }
        // Stage migrations follow, each registered by its stage's schema file.
        BibliographySchema.register(in: &m)
        ArchiveSchema.register(in: &m)
        FiguresSchema.register(in: &m)
        ClassificationSchema.register(in: &m)
        RunSchema.register(in: &m)
        // v2: a decision row says what it replaced and which decision it undoes, so the review
        // page can undo a decision by appending one (the history is never rewritten). An empty
        // `value` withdraws a decision: the machine's value holds again.
        m.registerMigration("v2-decision-history") { db in
            try db.alter(table: "decision") { t in
                t.add(column: "previousValue", .text)
                t.add(column: "undoes", .integer)
            }
        }
        LiteratureSchema.register(in: &m)
        BibliographySchema.registerAffiliations(in: &m)
        RunSchema.registerFileHashes(in: &m)
        // What the study last pushed to each catalogue (issue 17): lets an unchanged re-push
        // skip rendering its rows. Not study data: no stage reads it and the marker ignores it.
        m.registerMigration("v1-catalogue-push-memory") { db in
            try db.create(table: "cataloguePush") { t in
                t.column("catalogue", .text).notNull()
                t.column("facility", .text).notNull()
                t.column("marker", .text).notNull()
                t.column("contentHash", .text).notNull()
                t.column("pushedAt", .datetime).notNull()
                t.primaryKey(["catalogue", "facility"])
            }
        }
        BibliographySchema.registerDedupKeys(in: &m)
        return m
    }
}
