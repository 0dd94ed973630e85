#ifndef LOSTDATA_CSQLITESETTINGS_H
#define LOSTDATA_CSQLITESETTINGS_H

/// Turns off SQLite's memory statistics for the process; returns SQLite's result code
/// (SQLITE_OK, or SQLITE_MISUSE once SQLite is initialised). `sqlite3_config` is variadic,
/// which Swift cannot call: this is the one-line C wrapper that can.
int lostdata_sqlite_disable_memory_statistics(void);

#endif
