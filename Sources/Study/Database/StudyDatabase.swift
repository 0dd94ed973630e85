import Core
import Foundation
import GRDB

/// Opens `study.sqlite` and brings it to the current schema.
enum StudyDatabase {
    static let fileName = "study.sqlite"

    /// How long a command waits for another command's write on the same study, in seconds:
    /// 60, or `LOSTDATA_BUSY_TIMEOUT` (0 to 86,400: SQLite takes whole milliseconds in an Int32,
    /// and "inf" or 1e20 trapped in the conversion; other values are ignored).
    static let busyTimeout: TimeInterval = {
        if let v = ProcessInfo.processInfo.environment["LOSTDATA_BUSY_TIMEOUT"], let s = Double(v), s >= 0, s <= 86_400 { return s }
        return 60
    }()

    static func open(at url: URL) throws -> DatabaseQueue {
        // Before the first connection of the process (see there).
        _ = SQLiteMemoryStatistics.disabled
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "lostdata.study"
        // Two processes on one study (a review page and a command, or two review pages) wait for
        // each other's short write transactions instead of failing at once.
        config.busyMode = .timeout(5)
        // 32 KiB pages for new studies (SQLite ignores this once the file has tables; older studies
        // keep theirs): the archive index is ~270 bytes a row, ~41 MB for a paper-sized archive,
        // written as one bulk insert, and bigger pages mean fewer page writes and splits and
        // shallower B-trees. 16 → 32 KiB: full scan −20 ms CPU, −15 ms wall (14 interleaved
        // runs, two sets; docs/performance-archive.md, round 6); 64 KiB gained nothing more.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = 32768") }
        // Two commands on one study: the second waits for the first's transaction to end
        // instead of failing at once with "database is locked" (SQLite's busy handler); after
        // `busyTimeout` it gives up with a plain message (`StudyDatabaseFailure`) and changes nothing.
        config.busyMode = .timeout(busyTimeout)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: url.path, configuration: config)
            try StudySchema.migrator.migrate(queue)
        } catch let e as DatabaseError {
            if let plain = StudyDatabaseFailure.message(for: e, study: url.deletingLastPathComponent().path) { throw InputError(plain, file: url.path) }
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
