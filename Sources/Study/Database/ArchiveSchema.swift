import GRDB

/// The tables of the Archive stage. Registered by `StudySchema`, in order; never edit a
/// released migration — append a new one.
enum ArchiveSchema {
    static func register(in migrator: inout DatabaseMigrator) {
    }
}
