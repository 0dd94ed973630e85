import GRDB

/// The tables of the Figures stage. Registered by `StudySchema`, in order; never edit a
/// released migration — append a new one.
///
/// `figureCount` is the contract Table 1 and other stages rely on (one row per counted article;
/// `semImages`/`stemImages`/`temImages` are main-text + supplementary EM images). `figurePanel`
/// keeps the evidence behind each counted panel. Both are machine output: `figures import`
/// replaces the rows of the files it imports (per baseline) and never touches `decision`.
enum FiguresSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-figures") { db in
            try db.create(table: "figureCount") { t in
                t.column("file", .text).notNull()
                // Position of the article in its file (a <pmc-articleset> holds several).
                t.column("position", .integer).notNull()
                t.column("doi", .text).indexed()
                t.column("articleId", .text).indexed()
                t.column("baseline", .text)
                t.column("semImages", .integer).notNull()
                t.column("stemImages", .integer).notNull()
                t.column("temImages", .integer).notNull()
                // Beyond the contract: what `figures count --json` reports.
                t.column("figures", .integer).notNull()
                t.column("emFigures", .integer).notNull()
                t.column("mainImages", .integer).notNull()
                t.column("supplementImages", .integer).notNull()
                t.column("supplementItems", .integer).notNull()
                t.column("uncountedSupplements", .integer).notNull()
                t.column("lowerBound", .boolean).notNull()
                t.column("reusedImages", .integer).notNull()
                t.column("flags", .text).notNull()
                t.column("scaleBarsNm", .text).notNull()
                t.column("importedAt", .datetime).notNull()
            }
            // One row per article of a file, per baseline (NULL baseline = the study's own articles).
            try db.execute(sql: "CREATE UNIQUE INDEX figureCountByFile ON figureCount(coalesce(baseline, ''), file, position)")
            try db.create(table: "figurePanel") { t in
                t.column("file", .text).notNull()
                t.column("baseline", .text)
                t.column("figure", .text).notNull()
                t.column("panel", .text).notNull()
                t.column("technique", .text).notNull()
                t.column("supplementary", .boolean).notNull()
                t.column("reused", .boolean).notNull()
                t.column("words", .text)
                t.column("place", .text)
                t.column("evidence", .text).notNull()
            }
            try db.execute(sql: "CREATE INDEX figurePanelByFile ON figurePanel(coalesce(baseline, ''), file)")
        }
        // The scale bar a panel's caption states (nm; the panel's own, else the figure's when it
        // states one), for the report's Fig 3C/3D; NULL when none is stated.
        migrator.registerMigration("v2-figures-panel-scale-bar") { db in
            try db.alter(table: "figurePanel") { t in t.add(column: "scaleBarNm", .double) }
        }
    }
}
