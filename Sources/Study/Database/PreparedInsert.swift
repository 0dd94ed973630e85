import GRDB
import GRDBSQLite

/// A statement prepared on GRDB's connection and driven with `sqlite3_bind_*` directly.
///
/// Why not GRDB's `Statement.execute(arguments:)`: the archive index writes ~150,000 rows of 29
/// columns per scan, and building `StatementArguments` (an array of enum-boxed values per row,
/// then a second pass to bind them) was the largest single cost of a full scan — more than
/// SQLite's own work. Binding each value straight from the record removes that layer. Used only
/// inside a GRDB write transaction (`Database` is borrowed, never stored past it), so GRDB's
/// transaction handling and error reporting are unchanged.
struct PreparedInsert: ~Copyable {
    private let connection: OpaquePointer
    private let statement: OpaquePointer
    private let sql: String
    /// How many `?` the statement has: `execute` runs it only when each one was bound for this row.
    private let parameterCount: Int32
    /// 1-based index of the next parameter `bind` fills.
    private var next: Int32 = 1
    /// The text of the row being bound, copied here and bound with `SQLITE_STATIC`: SQLite then
    /// reads it in place instead of allocating a copy of each value (a malloc, a lock and a copy
    /// per text column — ~2 million per scan). Valid until `execute` has stepped the statement.
    private let arena: UnsafeMutableRawBufferPointer
    private var used = 0

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database connection is closed", sql: sql)
        }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.connection = connection
        self.statement = statement
        self.sql = sql
        self.parameterCount = sqlite3_bind_parameter_count(statement)
        self.arena = .allocate(byteCount: 64 << 10, alignment: 1)
    }

    deinit {
        sqlite3_finalize(statement)
        arena.deallocate()
    }

    mutating func bind(_ value: Int64) { sqlite3_bind_int64(statement, next, value); next += 1 }
    mutating func bind(_ value: Int) { bind(Int64(value)) }
    mutating func bind(_ value: Double) { sqlite3_bind_double(statement, next, value); next += 1 }
    mutating func bindNull() { sqlite3_bind_null(statement, next); next += 1 }

    /// Text is bound as UTF-8 and copied by SQLite (`SQLITE_TRANSIENT`): the Swift string's
    /// storage is only borrowed for the call.
    mutating func bind(_ value: String) {
        var value = value
        value.withUTF8 { bindText($0) }
    }

    mutating func bindText(_ bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count > 0, bytes.count <= arena.count - used, let base = arena.baseAddress {
            let start = base + used
            start.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            used += bytes.count
            sqlite3_bind_text(statement, next, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.static)
        } else if let base = bytes.baseAddress {
            // A row too large for the arena: SQLite copies this value.
            sqlite3_bind_text(statement, next, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
        } else {
            // A nil pointer would bind NULL, not the empty string.
            sqlite3_bind_text(statement, next, "", 0, Self.transient)
        }
        next += 1
    }

    /// Text of `byteCount` bytes that `fill` writes straight into the arena (no intermediate
    /// buffer); `fill` must write all of them.
    mutating func bindText(byteCount: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Void) {
        if byteCount > 0, byteCount <= arena.count - used, let base = arena.baseAddress {
            let start = (base + used).assumingMemoryBound(to: UInt8.self)
            fill(start)
            used += byteCount
            sqlite3_bind_text(statement, next, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(byteCount), Self.static)
            next += 1
        } else {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(byteCount, 1)) { buffer in
                fill(buffer.baseAddress!)
                bindText(UnsafeBufferPointer(rebasing: buffer[..<byteCount]))
            }
        }
    }

    /// A blob, copied into the arena when it fits (bound in place, like text), else by SQLite.
    mutating func bindBlob(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { b in
            if b.count > 0, b.count <= arena.count - used, let base = arena.baseAddress {
                let start = base + used
                start.copyMemory(from: b.baseAddress!, byteCount: b.count)
                used += b.count
                sqlite3_bind_blob(statement, next, start, Int32(b.count), Self.static)
            } else {
                // An empty blob needs a pointer that is not nil: nil would bind NULL.
                sqlite3_bind_blob(statement, next, b.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(bitPattern: 1), Int32(b.count), Self.transient)
            }
        }
        next += 1
    }

    mutating func bind(_ value: Int64?) { if let value { bind(value) } else { bindNull() } }
    mutating func bind(_ value: Int?) { if let value { bind(Int64(value)) } else { bindNull() } }
    mutating func bind(_ value: Double?) { if let value { bind(value) } else { bindNull() } }
    mutating func bind(_ value: String?) { if let value { bind(value) } else { bindNull() } }

    /// A value made ahead as GRDB's `DatabaseValue` (the bounded rebuild's row values are made
    /// on another thread: `ClusterPipeline`).
    mutating func bind(_ value: DatabaseValue) {
        switch value.storage {
        case .null: bindNull()
        case .int64(let v): bind(v)
        case .double(let v): bind(v)
        case .string(let v): bind(v)
        case .blob(let v):
            v.withUnsafeBytes { b in
                sqlite3_bind_blob(statement, next, b.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(b.count), Self.transient)
            }
            next += 1
        }
    }

    /// Runs the statement with the values bound since the last run.
    ///
    /// The bindings are not cleared afterwards (`sqlite3_clear_bindings` per row was ~0.4 % of a
    /// full scan, and each row binds every parameter anyway): the statement runs only when every
    /// parameter was bound for this row, so a value left over from the previous row — possibly
    /// pointing into arena bytes since overwritten — is never read. Otherwise the bindings are
    /// cleared and the row is refused.
    mutating func execute() throws {
        guard next == parameterCount + 1 else {
            let bound = next - 1
            next = 1
            used = 0
            sqlite3_clear_bindings(statement)
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(bound) of \(parameterCount) parameters bound", sql: sql)
        }
        let code = sqlite3_step(statement)
        next = 1
        sqlite3_reset(statement)
        used = 0
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
    }

    /// The rowid of the row the last `execute` inserted.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    /// `SQLITE_TRANSIENT` (the C macro `((sqlite3_destructor_type)-1)` is not imported into Swift).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    /// `SQLITE_STATIC` (`((sqlite3_destructor_type)0)`): the bytes stay valid while bound.
    private static let `static`: sqlite3_destructor_type? = nil
}
