import GRDBSQLite
@testable import Study
import XCTest

final class SQLiteSettingsTests: XCTestCase {
    /// The C wrapper really reaches `sqlite3_config`: with the statistics off, SQLite stops counting
    /// its memory (`sqlite3_memory_used` reports 0 however much it holds).
    func testMemoryStatisticsAreOffOnceAStudyDatabaseIsOpen() throws {
        let queue = try StudyDatabase.inMemory()  // evaluates the switch before its first connection
        guard SQLiteMemoryStatistics.disabled else {
            throw XCTSkip("SQLite was already initialised in this test process, so the setting could not apply")
        }
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (x TEXT)")
            for i in 0..<1000 { try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [String(repeating: "x", count: i)]) }
        }
        XCTAssertEqual(sqlite3_memory_used(), 0)
    }
}
