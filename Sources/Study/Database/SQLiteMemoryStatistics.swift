import Foundation
import GRDBSQLite

/// Turns off SQLite's memory statistics for the process (`sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0)`).
///
/// Why: the system SQLite (Debian's 3.40) is built with `SQLITE_OMIT_LOOKASIDE` and the default
/// `MEMSTATUS = 1`, so every allocation SQLite makes — several per inserted row — takes and
/// releases a global mutex to keep its statistics. lostdata reads none of them
/// (`sqlite3_memory_used`, `sqlite3_soft_heap_limit64`); in a full archive scan the writer's
/// `pthread_mutex_lock`/`unlock` pair was ~1.2 % of all samples, gone with this (writer thread
/// ~315 → ~300 ms of CPU, see the round-6 notes).
///
/// `sqlite3_config` only works before SQLite is initialised (the first connection opened in the
/// process); later it returns `SQLITE_MISUSE` and changes nothing — harmless either way: the
/// statistics only cost time. It is variadic, so Swift cannot import it: it is called through
/// its address with the two `int` arguments, which is the same call on the ABIs where a
/// variadic function takes its integer arguments in the same registers as a fixed one (SysV
/// x86-64, AArch64 on Linux). Elsewhere nothing is done.
enum SQLiteMemoryStatistics {
    /// Whether SQLite accepted the setting (false when it was already initialised).
    static let disabled: Bool = {
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        guard let handle = dlopen(nil, RTLD_NOW) else { return false }
        defer { dlclose(handle) }
        guard let symbol = dlsym(handle, "sqlite3_config") else { return false }
        typealias Config = @convention(c) (Int32, Int32) -> Int32
        let sqliteConfigMemStatus: Int32 = 9  // SQLITE_CONFIG_MEMSTATUS (a macro, not imported)
        return unsafeBitCast(symbol, to: Config.self)(sqliteConfigMemStatus, 0) == SQLITE_OK
        #else
        return false
        #endif
    }()
}
