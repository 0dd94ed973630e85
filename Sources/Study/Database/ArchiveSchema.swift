import GRDB

/// The tables of the Archive stage. Registered by `StudySchema`, in order; never edit a
/// released migration — append a new one.
///
/// Current shape (migration v2):
/// - `archiveDirectory`: one row per directory walked, with the digest of its listing (names,
///   sizes, mtimes, settings) — a rescan compares digests and re-reads nothing in an unchanged
///   directory.
/// - `archiveImage`: the acquisition index, keyed by (directory id, file name), with the file's
///   size and mtime (and its sidecar's) and everything derived from metadata. Rows die with their
///   directory.
/// - `archiveFinding`: what `lostdata archive check` reports, tied to a directory (listing-level
///   findings) and, for metadata findings, to the image they concern.
enum ArchiveSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-archive") { db in
            try db.create(table: "archiveDirectory") { t in
                t.primaryKey("path", .text)
                t.column("root", .text).notNull().indexed()
                t.column("digest", .integer).notNull()
                // Fingerprint of the scan settings the rows were derived with; when it changes,
                // every image of the directory is derived again.
                t.column("settings", .integer).notNull().defaults(to: 0)
                t.column("unreadable", .boolean).notNull().defaults(to: false)
                // Files the directory held (images, sidecars, others), for progress estimates.
                t.column("fileCount", .integer).notNull().defaults(to: 0)
                t.column("scannedAt", .datetime).notNull()
            }
            try db.create(table: "archiveImage") { t in
                t.primaryKey("path", .text)
                t.column("directory", .text).notNull().indexed()
                    .references("archiveDirectory", column: "path", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("extension", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("mtimeNs", .integer).notNull()
                t.column("sidecar", .text)
                t.column("sidecarSize", .integer)
                t.column("sidecarMtimeNs", .integer)
                t.column("metadataFormat", .text)
                t.column("metadataOrigin", .text)
                t.column("instrument", .text)
                t.column("instrumentOrigin", .text)
                t.column("technique", .text)
                t.column("detector", .text)
                t.column("detectorClass", .text)
                t.column("acquiredAt", .text)          // metadata date, local wall-clock, ISO
                t.column("date", .text).notNull()      // metadata date, else mtime (UTC)
                t.column("dateOrigin", .text).notNull()
                t.column("year", .integer).notNull()
                t.column("magnification", .double)
                t.column("pixelSizeNm", .double)
                t.column("widthPx", .integer)
                t.column("heightPx", .integer)
                t.column("fovNm", .double)
                t.column("fovOrigin", .text)
                t.column("scaleBarNm", .double)
                t.column("decadeNm", .double)
                t.column("acceleratingVoltageV", .double)
            }
            try db.create(table: "archiveFinding") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("directory", .text).notNull().indexed()
                    .references("archiveDirectory", column: "path", onDelete: .cascade)
                // The image a metadata finding belongs to; NULL for listing-level findings.
                t.column("image", .text).indexed()
                    .references("archiveImage", column: "path", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("path", .text).notNull()
                t.column("line", .integer)
                t.column("message", .text).notNull()
            }
        }
        // v2: integer keys. The text `path` key and the text `directory` reference made three
        // copies of every path per image (the row, the primary-key index, the directory index):
        // ~45 % of the file and most of SQLite's work in a full scan. Images are now keyed by
        // (directory id, name); their path is the directory's path + "/" + name
        // (`archiveImageFile` gives it back for queries by hand). The index is derived data —
        // the tables are rebuilt empty and the next `archive scan` reads the archive again.
        migrator.registerMigration("v2-archive-integer-keys") { db in
            try db.drop(table: "archiveFinding")
            try db.drop(table: "archiveImage")
            try db.drop(table: "archiveDirectory")
            try createTables(db)
        }
    }

    /// The tables of migration v2 (see `register`).
    static func createTables(_ db: Database) throws {
        try db.create(table: "archiveDirectory") { t in
            t.primaryKey("id", .integer)
            t.column("path", .text).notNull().unique()
            t.column("root", .text).notNull().indexed()
            t.column("digest", .integer).notNull()
            t.column("settings", .integer).notNull().defaults(to: 0)
            t.column("unreadable", .boolean).notNull().defaults(to: false)
            t.column("fileCount", .integer).notNull().defaults(to: 0)
            t.column("scannedAt", .datetime).notNull()
        }
        try db.create(table: "archiveImage") { t in
            t.primaryKey("id", .integer)
            // Not indexed on its own: the unique (directory, name) index serves lookups by directory.
            t.column("directory", .integer).notNull().references("archiveDirectory", onDelete: .cascade)
            t.column("name", .text).notNull()
            t.uniqueKey(["directory", "name"])
            t.column("extension", .text).notNull()
            t.column("size", .integer).notNull()
            t.column("mtimeNs", .integer).notNull()
            t.column("sidecar", .text)
            t.column("sidecarSize", .integer)
            t.column("sidecarMtimeNs", .integer)
            t.column("metadataFormat", .text)
            t.column("metadataOrigin", .text)
            t.column("instrument", .text)
            t.column("instrumentOrigin", .text)
            t.column("technique", .text)
            t.column("detector", .text)
            t.column("detectorClass", .text)
            t.column("acquiredAt", .text)          // metadata date, local wall-clock, ISO
            t.column("date", .text).notNull()      // metadata date, else mtime (UTC)
            t.column("dateOrigin", .text).notNull()
            t.column("year", .integer).notNull()
            t.column("magnification", .double)
            t.column("pixelSizeNm", .double)
            t.column("widthPx", .integer)
            t.column("heightPx", .integer)
            t.column("fovNm", .double)
            t.column("fovOrigin", .text)
            t.column("scaleBarNm", .double)
            t.column("decadeNm", .double)
            t.column("acceleratingVoltageV", .double)
        }
        try db.create(table: "archiveFinding") { t in
            t.primaryKey("id", .integer)
            t.column("directory", .integer).notNull().indexed().references("archiveDirectory", onDelete: .cascade)
            // The image a metadata finding belongs to; NULL for listing-level findings.
            t.column("image", .integer).indexed().references("archiveImage", onDelete: .cascade)
            t.column("kind", .text).notNull()
            t.column("path", .text).notNull()
            t.column("line", .integer)
            t.column("message", .text).notNull()
        }
        // Every image with its path, for queries written by hand (`sqlite3 study.sqlite`).
        try db.execute(sql: """
            CREATE VIEW archiveImageFile AS
              SELECT CASE d.path WHEN '/' THEN '/' || i.name ELSE d.path || '/' || i.name END AS path,
                     d.path AS directoryPath, i.*
              FROM archiveImage i JOIN archiveDirectory d ON d.id = i.directory
            """)
    }
}
