import Foundation
import PostgresNIO

/// `catalogue init --roles`: a writer role per facility, kept to its own rows by row-level
/// security, and a read-only analyst role. Roles are created without passwords (an administrator
/// sets them in psql, so no password passes through lostdata's arguments or files).
public enum CatalogueRoles {
    public static let analyst = "lostdata_analyst"

    /// The data tables and the column naming their facility.
    static let tables: [(table: String, facilityColumn: String)] = [
        ("facility", "name"), ("image", "facility"), ("article", "facility"), ("article_images", "facility"),
        ("declared_acquired", "facility"), ("baseline_column", "facility"), ("decision", "facility"),
    ]

    public struct Created: Sendable, Hashable {
        public var role: String
        /// Nil for the analyst.
        public var facility: String?
    }

    /// The writer role of a facility: `lostdata_writer_` + the name's letters and digits
    /// (lowercase, at most 24) + 8 hex digits of a hash of the exact name. Built only from those
    /// characters, so it can be spliced into CREATE ROLE safely whatever the facility is called,
    /// and two names that differ only in punctuation get different roles.
    public static func writerRole(_ facility: String) -> String {
        let slug = String(facility.lowercased().unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }
            .prefix(24).map(Character.init))
        var h: UInt32 = 2_166_136_261
        for b in facility.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return "lostdata_writer_" + slug + "_" + String(format: "%08x", h)
    }

    /// Creates what is missing (idempotent): roles, grants, policies. Needs a role that may
    /// create roles and owns the tables (the one that ran the first `init`).
    public static func setUp(_ c: CatalogueConnection, facilities: [String]) async throws -> [Created] {
        try await CatalogueSchema.migrate(c, toolVersion: "roles")
        var created: [Created] = []
        try await c.run("BEGIN")
        do {
            let database = try await c.rows("SELECT current_database()")[0].decode(String.self)
            if try await !roleExists(analyst, c) {
                try await c.run(PostgresQuery(unsafeSQL: "CREATE ROLE \(analyst) LOGIN"))
            }
            created.append(Created(role: analyst, facility: nil))
            try await c.run(PostgresQuery(unsafeSQL: "GRANT USAGE ON SCHEMA lostdata TO \(analyst)"))
            try await c.run(PostgresQuery(unsafeSQL: "GRANT SELECT ON ALL TABLES IN SCHEMA lostdata TO \(analyst)"))
            for (table, column) in tables {
                try await c.run(PostgresQuery(unsafeSQL: "ALTER TABLE lostdata.\(table) ENABLE ROW LEVEL SECURITY"))
                try await c.run(PostgresQuery(unsafeSQL: "DROP POLICY IF EXISTS read_all ON lostdata.\(table)"))
                try await c.run(PostgresQuery(unsafeSQL: "CREATE POLICY read_all ON lostdata.\(table) FOR SELECT USING (true)"))
                try await c.run(PostgresQuery(unsafeSQL: "DROP POLICY IF EXISTS writer_own ON lostdata.\(table)"))
                try await c.run(PostgresQuery(unsafeSQL: """
                    CREATE POLICY writer_own ON lostdata.\(table) FOR ALL
                    USING (lostdata.may_write(\(column))) WITH CHECK (lostdata.may_write(\(column)))
                    """))
            }
            for facility in facilities {
                let role = writerRole(facility)
                if try await !roleExists(role, c) {
                    try await c.run(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN"))
                }
                try await c.run("""
                    INSERT INTO lostdata.facility_writer (role, facility) VALUES (\(role), \(facility))
                    ON CONFLICT (role) DO UPDATE SET facility = EXCLUDED.facility
                    """)
                try await c.run(PostgresQuery(unsafeSQL: "GRANT USAGE ON SCHEMA lostdata TO \(role)"))
                try await c.run(PostgresQuery(unsafeSQL: "GRANT SELECT ON lostdata.schema_version, lostdata.facility_writer TO \(role)"))
                let data = tables.map { "lostdata.\($0.table)" }.joined(separator: ", ")
                try await c.run(PostgresQuery(unsafeSQL: "GRANT SELECT, INSERT, UPDATE, DELETE ON \(data) TO \(role)"))
                // Staging tables are temporary tables.
                try await c.run(PostgresQuery(unsafeSQL: "GRANT TEMPORARY ON DATABASE \"\(database.replacingOccurrences(of: "\"", with: "\"\""))\" TO \(role)"))
                created.append(Created(role: role, facility: facility))
            }
            try await c.run("COMMIT")
        } catch {
            try? await c.run("ROLLBACK")
            throw error
        }
        return created
    }

    static func roleExists(_ role: String, _ c: CatalogueConnection) async throws -> Bool {
        try await !c.rows("SELECT 1 FROM pg_roles WHERE rolname = \(role)").isEmpty
    }
}
