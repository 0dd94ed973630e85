import CSQLiteSettings
import GRDBSQLite

/// Turns off SQLite's memory statistics for the process (`sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0)`).
///
/// Why: the system SQLite (Debian's 3.40) is built with `SQLITE_OMIT_LOOKASIDE` and the default
/// `MEMSTATUS = 1`, so every allocation SQLite makes — several per inserted row — takes and
/// releases a global mutex to keep its statistics. lostdata reads none of them
/// (`sqlite3_memory_used`, `sqlite3_soft_heap_limit64`); in a full archive scan the writer's
/// `pthread_mutex_lock`/`unlock` pair was ~1.2 % of all samples, gone with this (writer thread
/// ~315 → ~300 ms of CPU, see docs/performance-archive.md, round 6).
///
/// `sqlite3_config` only works before SQLite is initialised (the first connection opened in the
/// process); later it returns `SQLITE_MISUSE` and changes nothing — harmless either way: the
/// statistics only cost time. It is variadic, so it is called through a C wrapper
/// (`Sources/CSQLiteSettings`).
enum SQLiteMemoryStatistics {
    /// Whether SQLite accepted the setting (false when it was already initialised).
    static let disabled: Bool = lostdata_sqlite_disable_memory_statistics() == SQLITE_OK
}
