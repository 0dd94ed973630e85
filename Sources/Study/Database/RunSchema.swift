import GRDB

/// What `lostdata run` needs to skip a stage whose inputs did not change: the fingerprint of
/// the inputs and settings a stage run saw, on that run's `stageRun` row. Registered last by
/// `StudySchema`; never edit a released migration — append a new one.
enum RunSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-run-fingerprint") { db in
            // NULL for runs started by a single command (`bib import`, …): the next `run` then
            // cannot tell what they saw and runs the stage again.
            try db.alter(table: "stageRun") { t in
                t.add(column: "fingerprint", .text)
                // The inputs that run rejected (JSON array of "file:line: reason"), listed again
                // by a later run that skips the stage, so its exit status still says 3.
                t.add(column: "rejections", .text)
            }
        }
    }

    /// v2: content hashes of `run`'s input files by their stat (FileHashCache), so a warm run
    /// reads no unchanged file. Registered after every other migration (StudySchema).
    static func registerFileHashes(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-run-file-hashes") { db in
            try db.create(table: "fileHash") { t in
                t.primaryKey("path", .text)
                t.column("size", .integer).notNull()
                t.column("mtimeNs", .integer).notNull()
                t.column("ctimeNs", .integer).notNull()
                t.column("inode", .integer).notNull()
                t.column("device", .integer).notNull()
                t.column("sha256", .text).notNull()
            }
        }
    }
}
