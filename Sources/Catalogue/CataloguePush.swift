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
    }
}

/// One table a push replaces for a facility: its key and value columns (SQL names, the
/// project's constants) and the rows rendered as COPY text.
struct PushTable {
    var name: String
    var keys: [String]
    var values: [String]
    var copy: CopyText
    var duplicates = 0
    var columns: [String] { keys + values }
}

public enum CataloguePush {
    /// Pushes a study's values for one facility: COPY into temporary staging tables, then one
    /// transaction that inserts, updates and deletes by stable id. The transaction holds an
    /// advisory lock for the facility, so two pushes of one facility run one after the other
    /// (`onWait` is told when this one has to wait) while different facilities push at once. A
    /// push that dies before COMMIT — killed, disconnected — leaves the catalogue as it was: the
    /// server rolls the transaction back and the lock goes with the session.
    public static func push(_ export: CatalogueExport, to c: CatalogueConnection, toolVersion: String = LostData.version,
                            onWait: @Sendable (String) -> Void = { _ in }) async throws -> PushResult {
        let migrations = try await CatalogueSchema.migrate(c, toolVersion: toolVersion)
        let tables = render(export)
        var hash = ContentHash()
        hash.add(export.facility)
        hash.add(export.techniques.map(\.rawValue).joined(separator: ","))
        hash.add(export.acquiredMode.rawValue)
        for t in tables { hash.add(t.name); hash.add(t.copy.bytes) }
        let contentHash = hash.hex
        var duplicates: [String: Int] = [:]
        for t in tables where t.duplicates > 0 { duplicates[t.name] = t.duplicates }

        try await c.run("BEGIN")
        do {
            let got = try await c.rows("SELECT pg_try_advisory_xact_lock(\(CatalogueSchema.lockClass), hashtext(\(export.facility)))")
            if try got.first?.decode(Bool.self) != true {
                onWait("another push of facility '\(export.facility)' is running; waiting for it to finish")
                try await c.run("SELECT pg_advisory_xact_lock(\(CatalogueSchema.lockClass), hashtext(\(export.facility)))")
            }
            let stored = try await c.rows("SELECT content_hash FROM lostdata.facility WHERE name = \(export.facility)")
            if let previous = try stored.first?.decode(String.self), previous == contentHash {
                try await c.run("ROLLBACK")
                return PushResult(facility: export.facility, unchanged: true,
                                  tables: tables.map { .init(table: $0.name, rows: $0.copy.rows, inserted: 0, updated: 0, deleted: 0) },
                                  migrations: migrations, duplicates: duplicates, contentHash: contentHash)
            }
            var changes: [PushResult.TableChange] = []
            for table in tables { changes.append(try await replace(table, facility: export.facility, c)) }
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

    /// Stages one table with COPY and applies it: delete the facility's rows whose key is gone,
    /// insert new keys, update only rows whose values differ (an unchanged row is not rewritten).
    static func replace(_ t: PushTable, facility: String, _ c: CatalogueConnection) async throws -> PushResult.TableChange {
        let stage = "stage_" + t.name
        let cols = t.columns.joined(separator: ", ")
        try await c.run(PostgresQuery(unsafeSQL: "CREATE TEMP TABLE \(stage) ON COMMIT DROP AS SELECT \(cols) FROM lostdata.\(t.name) WITH NO DATA"))
        if t.copy.rows > 0 {
            do {
                try await c.connection.copyFrom(table: stage, columns: t.columns, logger: c.logger) { writer in
                    // 1 MiB messages: few round trips, bounded buffers.
                    let chunk = 1 << 20
                    var start = 0
                    let bytes = t.copy.bytes
                    while start < bytes.count {
                        let end = min(start + chunk, bytes.count)
                        try await writer.write(ByteBuffer(bytes: bytes[start..<end]))
                        start = end
                    }
                }
            } catch { throw c.wrap(error) }
            try await c.run(PostgresQuery(unsafeSQL: "ANALYZE \(stage)"))
        }
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
        return .init(table: t.name, rows: t.copy.rows, inserted: inserted, updated: updated,
                     deleted: try deleted[0].decode(Int.self))
    }

    static func binds(_ facility: String) -> PostgresBindings {
        var b = PostgresBindings()
        b.append(facility)
        return b
    }

    /// The export as COPY text, table by table, rows in key order (so the content hash does not
    /// depend on the order the study stored them in), duplicate keys dropped and counted.
    static func render(_ e: CatalogueExport) -> [PushTable] {
        var tables: [PushTable] = []

        var images = PushTable(name: "image", keys: ["id"], values: [
            "year", "acquired_on", "instrument", "technique", "counted_as", "detector_class",
            "magnification", "fov_nm", "scale_bar_decade_nm", "size_bytes"], copy: CopyText(reservingCapacity: e.images.count * 110))
        var last: String?
        for i in e.images.sorted(by: { $0.id < $1.id }) {
            if i.id == last { images.duplicates += 1; continue }
            last = i.id
            images.copy.text(i.id); images.copy.int(i.year); images.copy.text(i.date); images.copy.text(i.instrument)
            images.copy.text(i.technique); images.copy.text(i.countedAs); images.copy.text(i.detectorClass)
            images.copy.double(i.magnification); images.copy.double(i.fovNm); images.copy.double(i.scaleBarDecadeNm)
            images.copy.int(i.sizeBytes); images.copy.endRow()
        }
        tables.append(images)

        var articles = PushTable(name: "article", keys: ["id"], values: ["doi", "title", "year", "journal", "categories", "exclusion"], copy: CopyText())
        last = nil
        for a in e.articles.sorted(by: { $0.id < $1.id }) {
            if a.id == last { articles.duplicates += 1; continue }
            last = a.id
            articles.copy.text(a.id); articles.copy.text(a.doi); articles.copy.text(a.title); articles.copy.int(a.year)
            articles.copy.text(a.journal); articles.copy.textArray(a.categories); articles.copy.text(a.exclusion); articles.copy.endRow()
        }
        tables.append(articles)

        var counts = PushTable(name: "article_images", keys: ["article_id", "technique"], values: ["images"], copy: CopyText())
        var seen = Set<String>()
        for a in e.articleImages.sorted(by: { $0.id < $1.id }) {
            guard seen.insert(a.id).inserted else { counts.duplicates += 1; continue }
            for (t, n) in a.images.sorted(by: { $0.key < $1.key }) {
                counts.copy.text(a.id); counts.copy.text(t.rawValue); counts.copy.int(n); counts.copy.endRow()
            }
        }
        tables.append(counts)

        var declared = PushTable(name: "declared_acquired", keys: ["technique"], values: ["images"], copy: CopyText())
        for (t, n) in e.declaredAcquired.sorted(by: { $0.key < $1.key }) {
            declared.copy.text(t.rawValue); declared.copy.int(n); declared.copy.endRow()
        }
        tables.append(declared)

        var baselines = PushTable(name: "baseline_column", keys: ["source", "position"], values: ["column_key", "acquired", "articles", "images"], copy: CopyText())
        var seenSources = Set<String>()
        for s in e.baselines {
            guard seenSources.insert(s.name).inserted else { baselines.duplicates += 1; continue }
            for (position, col) in s.columns.enumerated() {
                baselines.copy.text(s.name); baselines.copy.int(position); baselines.copy.text(col.key.description)
                baselines.copy.int(col.acquired); baselines.copy.int(col.articles); baselines.copy.int(col.images); baselines.copy.endRow()
            }
        }
        tables.append(baselines)

        var decisions = PushTable(name: "decision", keys: ["position"], values: ["subject", "kind", "value", "author", "decided_at", "note"], copy: CopyText())
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for (position, d) in e.decisions.enumerated() {
            decisions.copy.int(position); decisions.copy.text(d.subject); decisions.copy.text(d.kind); decisions.copy.text(d.value)
            decisions.copy.text(d.author); decisions.copy.text(iso.string(from: d.decidedAt)); decisions.copy.text(d.note); decisions.copy.endRow()
        }
        tables.append(decisions)
        return tables
    }
}
