import PostgresNIO

/// The catalogue's tables, owned by the project as numbered migrations in schema `lostdata`.
/// A migration is never edited once released: append one. `schema_version` records each applied
/// version; a catalogue whose newest version is above `CatalogueSchema.version` was written by a
/// newer lostdata and is refused (this tool could misread or damage it).
///
/// No foreign keys between the facility's rows: every row carries its facility, a push replaces a
/// facility's rows inside one transaction, and per-row key checks would cost the 152,097-image push
/// more than they protect. (Partitioning by facility is in docs/scaling.md.)
public enum CatalogueSchema {
    /// The newest schema this tool knows.
    public static let version = 1

    static let migrations: [(version: Int, statements: [String])] = [
        (1, [
            "CREATE SCHEMA IF NOT EXISTS lostdata",
            """
            CREATE TABLE lostdata.schema_version (
              version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), tool_version text NOT NULL)
            """,
            // One row per facility: what its last push declared and the hash of what it sent.
            """
            CREATE TABLE lostdata.facility (
              name text PRIMARY KEY, techniques text[] NOT NULL, acquired_mode text NOT NULL,
              content_hash text NOT NULL, pushed_at timestamptz NOT NULL, pushed_by text NOT NULL,
              tool_version text NOT NULL)
            """,
            """
            CREATE TABLE lostdata.declared_acquired (
              facility text NOT NULL, technique text NOT NULL, images bigint NOT NULL,
              PRIMARY KEY (facility, technique))
            """,
            """
            CREATE TABLE lostdata.image (
              facility text NOT NULL, id text NOT NULL, year int NOT NULL, acquired_on text NOT NULL,
              instrument text, technique text, counted_as text, detector_class text,
              magnification double precision, fov_nm double precision, scale_bar_decade_nm double precision,
              size_bytes bigint NOT NULL,
              PRIMARY KEY (facility, id))
            """,
            """
            CREATE TABLE lostdata.article (
              facility text NOT NULL, id text NOT NULL, doi text, title text, year int, journal text,
              categories text[] NOT NULL, exclusion text,
              PRIMARY KEY (facility, id))
            """,
            """
            CREATE TABLE lostdata.article_images (
              facility text NOT NULL, article_id text NOT NULL, technique text NOT NULL, images int NOT NULL,
              PRIMARY KEY (facility, article_id, technique))
            """,
            """
            CREATE TABLE lostdata.baseline_column (
              facility text NOT NULL, source text NOT NULL, position int NOT NULL, column_key text NOT NULL,
              acquired bigint, articles int NOT NULL, images bigint NOT NULL,
              PRIMARY KEY (facility, source, position))
            """,
            """
            CREATE TABLE lostdata.decision (
              facility text NOT NULL, position int NOT NULL, subject text NOT NULL, kind text NOT NULL,
              value text NOT NULL, author text NOT NULL, decided_at timestamptz NOT NULL, note text,
              PRIMARY KEY (facility, position))
            """,
            // Which role may write which facility's rows (`catalogue init --roles`), and the test
            // the row-level-security policies apply. Membership counts, so a person's login role
            // granted the writer role may push.
            "CREATE TABLE lostdata.facility_writer (role name PRIMARY KEY, facility text NOT NULL)",
            """
            CREATE FUNCTION lostdata.may_write(f text) RETURNS boolean LANGUAGE sql STABLE AS $$
              SELECT EXISTS (SELECT 1 FROM lostdata.facility_writer w
                             WHERE w.facility = f AND pg_has_role(current_user, w.role, 'MEMBER'))
            $$
            """,
        ]),
    ]

    /// The newest version applied to the catalogue; 0 for an empty database.
    static func currentVersion(_ c: CatalogueConnection) async throws -> Int {
        let exists = try await c.rows("SELECT to_regclass('lostdata.schema_version') IS NOT NULL")
        guard let row = exists.first, try row.decode(Bool.self) else { return 0 }
        let rows = try await c.rows("SELECT coalesce(max(version), 0) FROM lostdata.schema_version")
        return try rows.first.map { try $0.decode(Int.self) } ?? 0
    }

    /// Applies the missing migrations, each in its own transaction, under a lock that serialises
    /// concurrent first pushes. Refuses a catalogue newer than this tool. Returns the versions applied.
    @discardableResult
    public static func migrate(_ c: CatalogueConnection, toolVersion: String) async throws -> [Int] {
        // Fast path for the common case (already current), without taking the lock.
        let seen = try await currentVersion(c)
        try refuseNewer(seen, c)
        if seen == version { return [] }
        try await c.run("SELECT pg_advisory_lock(\(lockClass), 0)")
        var applied: [Int] = []
        do {
            let current = try await currentVersion(c)
            try refuseNewer(current, c)
            for migration in migrations where migration.version > current {
                try await c.run("BEGIN")
                do {
                    for statement in migration.statements { try await c.run(PostgresQuery(unsafeSQL: statement)) }
                    try await c.run("INSERT INTO lostdata.schema_version (version, tool_version) VALUES (\(migration.version), \(toolVersion))")
                    try await c.run("COMMIT")
                } catch {
                    try? await c.run("ROLLBACK")
                    throw error
                }
                applied.append(migration.version)
            }
        } catch {
            try? await c.run("SELECT pg_advisory_unlock(\(lockClass), 0)")
            throw error
        }
        try await c.run("SELECT pg_advisory_unlock(\(lockClass), 0)")
        return applied
    }

    /// Checks the catalogue can be read by this tool without changing it.
    public static func check(_ c: CatalogueConnection) async throws {
        let v = try await currentVersion(c)
        try refuseNewer(v, c)
        if v < version {
            throw CatalogueError("the catalogue \(c.address) has schema version \(v); run `lostdata catalogue init` (or a push) to bring it to version \(version)")
        }
    }

    static func refuseNewer(_ found: Int, _ c: CatalogueConnection) throws {
        if found > version {
            throw CatalogueError("the catalogue \(c.address) has schema version \(found), newer than this lostdata knows (\(version)); nothing was changed — use a newer lostdata")
        }
    }

    /// The first key of the project's advisory locks ("ldat"), so they do not collide with other
    /// applications' locks on the same server.
    static let lockClass: Int32 = 0x6C64_6174
}
