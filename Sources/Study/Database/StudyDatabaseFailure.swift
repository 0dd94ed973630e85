import Foundation
import GRDB

/// What a user should read when the study's database refuses a write: SQLite's own words
/// ("database or disk is full - while executing `INSERT …`") name neither the study nor what is
/// safe to do next. Every write of a stage is one transaction (`Study.runStage`; the archive
/// index one transaction per batch of folders), so after any of these the study holds what it
/// held before the command, or the folders already committed.
public enum StudyDatabaseFailure {
    /// A plain message for a database error, or nil when `error` is not one.
    public static func message(for error: Error, study: String? = nil) -> String? {
        guard let e = error as? DatabaseError else { return nil }
        let which = study.map { "the study \($0)" } ?? "the study"
        switch e.resultCode {
        case .SQLITE_FULL:
            return "\(which) could not be written: the disk (or the file-size limit) is full. Nothing of this command was kept; the study is as it was before it. Free some space and run the command again."
        case .SQLITE_IOERR:
            return "\(which) could not be written (input/output error: \(e.message ?? "unknown"); a full disk or a file-size limit shows this way too). Nothing of this command was kept; free space or check the disk and run it again."
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "\(which) is in use by another lostdata command and stayed busy for \(Int(StudyDatabase.busyTimeout)) s; nothing was changed. Run this command again when the other one has finished (or raise LOSTDATA_BUSY_TIMEOUT, in seconds)."
        case .SQLITE_READONLY:
            return "\(which) is read-only here (\(e.message ?? "")); nothing was changed."
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return "\(which)'s database is damaged (\(e.message ?? "")). Restore study.sqlite from a backup; `sqlite3 study.sqlite 'PRAGMA integrity_check'` says what is wrong."
        default:
            return nil
        }
    }
}
