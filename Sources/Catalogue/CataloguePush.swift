import Core
import Foundation
import Ledger
import PostgresNIO
import Study

/// What one push did.
public struct PushResult: Sendable {
    public var facility: String
    /// True when the catalogue already held exactly these values: nothing was written.
    public var unchanged: Bool
    /// False when the study's change marker matched its memory of the last push and the
    /// catalogue confirmed it still holds that push's hash: no row was rendered or hashed.
    public var rendered = true
    /// Rows per table: inserted, updated (a value changed), deleted (gone from the study).
    public var tables: [TableChange]
    /// Schema migrations this push applied first (a first push creates the catalogue).
    public var migrations: [Int]
    /// Rows left out because an earlier row had the same key (e.g. two archive roots holding the
    /// same relative path): per table.
    public var duplicates: [String: Int]
    public var contentHash: String

    public struct TableChange: Sendable, Hashable {
        public var table: String
        public var rows: Int
        public var inserted: Int
        public var updated: Int
        public var deleted: Int
        /// True when the rows were COPYed straight into the catalogue table (the facility had
        /// none there yet), false when they went through a staging table.
        public var direct = false
    }
}

/// One table a push replaces for a facility: its key and value columns (SQL names, the
/// project's constants) and how its rows are written (`produce`, on the COPY's producer thread).
struct PushTable: Sendable {
    var name: String
    var keys: [String]
    var values: [String]
    var produce: @Sendable (CopyStream.Rows) throws -> Void
    var columns: [String] { keys + values }
}

public enum CataloguePush {
    /// Pushes a study's values for one facility in one transaction. The transaction holds an
    /// advisory lock for the facility, so two pushes of one facility run one after the other
    /// (`onWait` is told when this one has to wait) while different facilities push at once.
    /// Each table's rows stream into COPY while they are read from the study: into the table
    /// itself when the catalogue holds no row of that table for the facility (a first push; not
    /// under row-level security, which COPY does not apply), else into a temporary staging table
    /// from which the facility's rows are inserted, updated and deleted by stable id. The content
    /// hash, computed while the rows stream, is then compared with the one the last push stored:
    /// equal, the transaction is rolled back and nothing was written. A push that dies before
    /// COMMIT — killed, disconnected — leaves the catalogue as it was: the server rolls the
    /// transaction back and the lock goes with the session.
    public static func push(_ export: CatalogueExport, to c: CatalogueConnection, toolVersion: String = LostData.version,
                            onWait: @Sendable (String) -> Void = { _ in }) async throws -> PushResult {
        let migrations = try await CatalogueSchema.migrate(c, toolVersion: toolVersion)
        let tables = pushTables(export)

        try await c.run("BEGIN")
        do {
            let got = try await c.rows("SELECT pg_try_advisory_xact_lock(\(CatalogueSchema.lockClass), hashtext(\(export.facility)))")
            if try got.first?.decode(Bool.self) != true {
                onWait("another push of facility '\(export.facility)' is running; waiting for it to finish")
                try await c.run("SELECT pg_advisory_xact_lock(\(CatalogueSchema.lockClass), hashtext(\(export.facility)))")
            }
            let stored = try await c.rows("SELECT content_hash FROM lostdata.facility WHERE name = \(export.facility)")
            let previous = try stored.first?.decode(String.self)

            var hash = ContentHash()
            hash.add(export.facility)
            hash.add(export.techniques.map(\.rawValue).joined(separator: ","))
            hash.add(export.acquiredMode.rawValue)
            var loaded: [(PushTable, LoadedTable)] = []
            for table in tables {
                let l = try await load(table, facility: export.facility, c)
                hash.add(table.name)
                hash.add(l.summary.digest)
                loaded.append((table, l))
            }
            let contentHash = hash.hex
            var duplicates: [String: Int] = [:]
            for (t, l) in loaded where l.summary.duplicates > 0 { duplicates[t.name] = l.summary.duplicates }

            if previous == contentHash {
                try await c.run("ROLLBACK")
                return PushResult(facility: export.facility, unchanged: true,
                                  tables: loaded.map { .init(table: $0.0.name, rows: $0.1.summary.rows, inserted: 0, updated: 0, deleted: 0) },
                                  migrations: migrations, duplicates: duplicates, contentHash: contentHash)
            }
            var changes: [PushResult.TableChange] = []
            for (table, l) in loaded { changes.append(try await apply(table, l, facility: export.facility, c)) }
            try await c.run("""
                INSERT INTO lostdata.facility (name, techniques, acquired_mode, content_hash, pushed_at, pushed_by, tool_version)
                VALUES (\(export.facility), \(export.techniques.map(\.rawValue)), \(export.acquiredMode.rawValue), \(contentHash), now(), current_user, \(toolVersion))
                ON CONFLICT (name) DO UPDATE SET techniques = EXCLUDED.techniques, acquired_mode = EXCLUDED.acquired_mode,
                  content_hash = EXCLUDED.content_hash, pushed_at = EXCLUDED.pushed_at, pushed_by = EXCLUDED.pushed_by,
                  tool_version = EXCLUDED.tool_version
                """)
            try await c.run("COMMIT")
            return PushResult(facility: export.facility, unchanged: false, tables: changes, migrations: migrations,
                              duplicates: duplicates, contentHash: contentHash)
        } catch {
            try? await c.run("ROLLBACK")
            throw error
        }
    }

    /// The content hash the catalogue holds for `facility` (nil: never pushed, or deleted since).
    /// Applies pending migrations first, so a catalogue newer than the tool is refused here too.
    public static func storedHash(facility: String, _ c: CatalogueConnection, toolVersion: String = LostData.version) async throws -> String? {
        _ = try await CatalogueSchema.migrate(c, toolVersion: toolVersion)
        let stored = try await c.rows("SELECT content_hash FROM lostdata.facility WHERE name = \(facility)")
        return try stored.first?.decode(String.self)
    }

    /// A push that first asks whether it is needed: when the study says nothing changed since it
    /// last pushed (`remembered` is that push's hash, nil when the study changed or never pushed
    /// here) and the catalogue still holds that very hash — nobody pushed over it or deleted it
    /// meanwhile — nothing is rendered; otherwise `export` is gathered and pushed as usual.
    public static func push(facility: String, remembered: String?, export: () throws -> CatalogueExport,
                            to c: CatalogueConnection, toolVersion: String = LostData.version,
                            onWait: @Sendable (String) -> Void = { _ in }) async throws -> PushResult {
        if let remembered, try await storedHash(facility: facility, c, toolVersion: toolVersion) == remembered {
            return PushResult(facility: facility, unchanged: true, rendered: false, tables: [], migrations: [],
                              duplicates: [:], contentHash: remembered)
        }
        return try await push(try export(), to: c, toolVersion: toolVersion, onWait: onWait)
    }

    /// Where a table's rows went: straight into the catalogue table, or into a staging table.
    struct LoadedTable {
        var direct: Bool
        var summary: CopyStream.Summary
    }

    /// Streams one table's rows into COPY. Straight into `lostdata.<table>` when the facility has
    /// no row there yet and row-level security does not apply to this role (COPY FROM refuses
    /// tables under it): a first push then costs one COPY, as `psql \copy` does. Otherwise into a
    /// temporary staging table (dropped at COMMIT) for `apply`.
    static func load(_ t: PushTable, facility: String, _ c: CatalogueConnection) async throws -> LoadedTable {
        let probe = try await c.rows(PostgresQuery(unsafeSQL: """
            SELECT NOT row_security_active('lostdata.\(t.name)')
                   AND NOT EXISTS (SELECT 1 FROM lostdata.\(t.name) WHERE facility = $1)
            """, binds: binds(facility)))
        let direct = try probe.first?.decode(Bool.self) ?? false
        let target: String
        if direct {
            target = "lostdata.\(t.name)"
        } else {
            target = "stage_" + t.name
            try await c.run(PostgresQuery(unsafeSQL: """
                CREATE TEMP TABLE \(target) ON COMMIT DROP AS SELECT facility, \(t.columns.joined(separator: ", ")) FROM lostdata.\(t.name) WITH NO DATA
                """))
        }
        let summary = try await CopyStream.copy(into: target, columns: ["facility"] + t.columns, prefix: facility, c, produce: t.produce)
        if !direct && summary.rows > 0 { try await c.run(PostgresQuery(unsafeSQL: "ANALYZE \(target)")) }
        return LoadedTable(direct: direct, summary: summary)
    }

    /// Applies a staged table: delete the facility's rows whose key is gone, insert new keys,
    /// update only rows whose values differ (an unchanged row is not rewritten). A table COPYed
    /// straight in is already in place: all its rows are new.
    static func apply(_ t: PushTable, _ loaded: LoadedTable, facility: String, _ c: CatalogueConnection) async throws -> PushResult.TableChange {
        if loaded.direct {
            return .init(table: t.name, rows: loaded.summary.rows, inserted: loaded.summary.rows, updated: 0, deleted: 0, direct: true)
        }
        let stage = "stage_" + t.name
        let cols = t.columns.joined(separator: ", ")
        let keyMatch = t.keys.map { "s.\($0) = t.\($0)" }.joined(separator: " AND ")
        let deleted = try await c.rows(PostgresQuery(unsafeSQL: """
            WITH d AS (DELETE FROM lostdata.\(t.name) t WHERE t.facility = $1
                       AND NOT EXISTS (SELECT 1 FROM \(stage) s WHERE \(keyMatch)) RETURNING 1)
            SELECT count(*) FROM d
            """, binds: binds(facility)))
        let set = t.values.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        let differs = "(" + t.values.map { "lostdata.\(t.name).\($0)" }.joined(separator: ", ") + ") IS DISTINCT FROM ("
            + t.values.map { "EXCLUDED.\($0)" }.joined(separator: ", ") + ")"
        let onConflict = t.values.isEmpty ? "DO NOTHING" : "DO UPDATE SET \(set) WHERE \(differs)"
        let upserted = try await c.rows(PostgresQuery(unsafeSQL: """
            WITH u AS (INSERT INTO lostdata.\(t.name) (facility, \(cols)) SELECT $1, \(cols) FROM \(stage)
                       ON CONFLICT (facility, \(t.keys.joined(separator: ", "))) \(onConflict)
                       RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM u
            """, binds: binds(facility)))
        let (inserted, updated) = try upserted[0].decode((Int, Int).self)
        return .init(table: t.name, rows: loaded.summary.rows, inserted: inserted, updated: updated,
                     deleted: try deleted[0].decode(Int.self))
    }

    static func binds(_ facility: String) -> PostgresBindings {
        var b = PostgresBindings()
        b.append(facility)
        return b
    }

    /// The export's tables and how each one's rows are written. A row whose key was seen before
    /// in the same table is left out and counted (e.g. two archive roots holding the same
    /// relative path); the first one stays. Rows go out in the order the study gives them: the
    /// content hash does not depend on it (`RowDigest`).
    static func pushTables(_ e: CatalogueExport) -> [PushTable] {
        var tables: [PushTable] = []
        let images = e.images
        tables.append(PushTable(name: "image", keys: ["id"], values: [
            "year", "acquired_on", "instrument", "technique", "counted_as", "detector_class",
            "magnification", "fov_nm", "scale_bar_decade_nm", "size_bytes"]) { out in
            var seen = SeenIDs(capacity: images.count)
            try images.forEach { i in
                guard seen.insert(i.id) else { out.duplicate(); return }
                try out.row { r in
                    r.text(i.id); r.int(i.year); r.text(i.date); r.text(i.instrument)
                    r.text(i.technique); r.text(i.countedAs); r.text(i.detectorClass)
                    r.double(i.magnification); r.double(i.fovNm); r.double(i.scaleBarDecadeNm)
                    r.int(i.sizeBytes)
                }
            }
        })

        let articles = e.articles
        tables.append(PushTable(name: "article", keys: ["id"], values: ["doi", "title", "year", "journal", "categories", "exclusion"]) { out in
            var seen = Set<String>()
            for a in articles {
                guard seen.insert(a.id).inserted else { out.duplicate(); continue }
                try out.row { r in
                    r.text(a.id); r.text(a.doi); r.text(a.title); r.int(a.year)
                    r.text(a.journal); r.textArray(a.categories); r.text(a.exclusion)
                }
            }
        })

        let articleImages = e.articleImages
        tables.append(PushTable(name: "article_images", keys: ["article_id", "technique"], values: ["images"]) { out in
            var seen = Set<String>()
            for a in articleImages {
                guard seen.insert(a.id).inserted else { out.duplicate(); continue }
                for (t, n) in a.images.sorted(by: { $0.key < $1.key }) {
                    try out.row { r in r.text(a.id); r.text(t.rawValue); r.int(n) }
                }
            }
        })

        let declaredAcquired = e.declaredAcquired
        tables.append(PushTable(name: "declared_acquired", keys: ["technique"], values: ["images"]) { out in
            for (t, n) in declaredAcquired.sorted(by: { $0.key < $1.key }) {
                try out.row { r in r.text(t.rawValue); r.int(n) }
            }
        })

        let baselines = e.baselines
        tables.append(PushTable(name: "baseline_column", keys: ["source", "position"], values: ["column_key", "acquired", "articles", "images"]) { out in
            var seen = Set<String>()
            for s in baselines {
                guard seen.insert(s.name).inserted else { out.duplicate(); continue }
                for (position, col) in s.columns.enumerated() {
                    try out.row { r in
                        r.text(s.name); r.int(position); r.text(col.key.description)
                        r.int(col.acquired); r.int(col.articles); r.int(col.images)
                    }
                }
            }
        })

        let decisions = e.decisions
        tables.append(PushTable(name: "decision", keys: ["position"], values: ["subject", "kind", "value", "author", "decided_at", "note"]) { out in
            let iso = ISO8601DateFormatter()
            iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            for (position, d) in decisions.enumerated() {
                try out.row { r in
                    r.int(position); r.text(d.subject); r.text(d.kind); r.text(d.value)
                    r.text(d.author); r.text(iso.string(from: d.decidedAt)); r.text(d.note)
                }
            }
        })
        return tables
    }
}

/// The image ids a push has sent, to leave out a repeated one. An id is 32 hex digits (two
/// 64-bit hashes): kept as two integers, a tenth of the cost of hashing and storing 150,000
/// strings; any other id (a hand-made export) is kept as text.
struct SeenIDs {
    private struct Key: Hashable { var a: UInt64, b: UInt64 }
    private var keys: Set<Key>
    private var others = Set<String>()

    init(capacity: Int) { keys = Set(minimumCapacity: capacity) }

    /// True when `id` was not seen before.
    mutating func insert(_ id: String) -> Bool {
        var id = id
        let key: Key? = id.withUTF8 { utf8 in
            guard utf8.count == 32 else { return nil }
            var a: UInt64 = 0, b: UInt64 = 0
            for i in 0..<32 {
                let c = utf8[i]
                let v: UInt8
                switch c {
                case 0x30...0x39: v = c - 0x30
                case 0x61...0x66: v = c - 0x61 + 10
                default: return nil
                }
                if i < 16 { a = a << 4 | UInt64(v) } else { b = b << 4 | UInt64(v) }
            }
            return Key(a: a, b: b)
        }
        if let key { return keys.insert(key).inserted }
        return others.insert(id).inserted
    }
}
