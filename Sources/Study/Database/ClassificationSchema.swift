import GRDB

/// The tables of the Classification stage. Registered by `StudySchema`, in order; never edit a
/// released migration — append a new one.
enum ClassificationSchema {
    static func register(in migrator: inout DatabaseMigrator) {
    }
}
