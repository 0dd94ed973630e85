import GRDB

/// The tables of the Bibliography stage. Registered by `StudySchema`, in order; never edit a
/// released migration — append a new one.
enum BibliographySchema {
    static func register(in migrator: inout DatabaseMigrator) {
    }
}
