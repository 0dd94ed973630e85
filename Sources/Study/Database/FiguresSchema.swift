import GRDB

/// The tables of the Figures stage. Registered by `StudySchema`, in order; never edit a
/// released migration — append a new one.
enum FiguresSchema {
    static func register(in migrator: inout DatabaseMigrator) {
    }
}
