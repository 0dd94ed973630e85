import Core
import Foundation
import GRDB

/// Opens `study.sqlite` and brings it to the current schema.
enum StudyDatabase {
    static let fileName = "study.sqlite"

    static func open(at url: URL) throws -> DatabaseQueue {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "lostdata.study"
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
        let queue = try DatabaseQueue()
        try StudySchema.migrator.migrate(queue)
        return queue
    }
}
