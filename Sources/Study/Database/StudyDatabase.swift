import Core
import Foundation
import GRDB

/// Opens `study.sqlite` and brings it to the current schema.
enum StudyDatabase {
    static let fileName = "study.sqlite"

    static func open(at url: URL) throws -> DatabaseQueue {
        // Before the first connection of the process (see there).
        _ = SQLiteMemoryStatistics.disabled
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "lostdata.study"
        // 16 KiB pages for new studies (SQLite ignores this once the file has tables): the archive
        // index is ~600 bytes a row and ~90 MB for a paper-sized archive; bigger pages mean a third
        // of the write calls and shallower B-trees for the scan's bulk insert.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = 16384") }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: url.path, configuration: config)
            try StudySchema.migrator.migrate(queue)
        } catch let e as DatabaseError {
            throw InputError("cannot open the study database: \(e.message ?? e.description)", file: url.path)
        }
        return queue
    }

    /// A database in memory, for tests and for commands that need no workspace.
    static func inMemory() throws -> DatabaseQueue {
        _ = SQLiteMemoryStatistics.disabled
        let queue = try DatabaseQueue()
        try StudySchema.migrator.migrate(queue)
        return queue
    }
}
