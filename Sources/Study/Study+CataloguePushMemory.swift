import Core
import Foundation
import GRDB

/// What the study remembers of its last push to each catalogue (issue 17): the content hash the
/// catalogue stored and a cheap marker of the study's data at that moment. Rendering and hashing
/// 150,000 image rows costs seconds; reading this marker costs milliseconds, so an unchanged
/// re-push only has to ask the catalogue whether it still holds the remembered hash.
public struct RememberedCataloguePush: Sendable, Hashable {
    public var marker: String
    public var contentHash: String
    public init(marker: String, contentHash: String) { self.marker = marker; self.contentHash = contentHash }
}

extension Study {
    /// A marker that moves whenever anything a push sends may have changed: every stage run
    /// (the archive scan, the bibliography, figures, classification all record one), the decision
    /// log (appended to, never rewritten), the row counts of the tables a push reads, the study
    /// file's bytes, the per-article count files its sources name, the facility name and the
    /// tool's version (a new version may render rows differently).
    public func catalogueChangeMarker(facility: String) throws -> String {
        var parts = ["facility \(facility)", "tool \(LostData.version)"]
        let studyFile = directory.appendingPathComponent(StudyFile.fileName).path
        parts.append(StageFingerprint.describe(studyFile, hashContent: true, hashes: nil))
        for source in file.sources {
            if case .articlesCSV(let path) = source.published {
                parts.append(StageFingerprint.describe(resolve(path).path, hashContent: true, hashes: nil))
            }
        }
        try database.read { db in
            parts.append("runs " + (try String.fetchOne(db, sql: """
                SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(group_concat(id || '=' || coalesce(fingerprint, '-'), ','), '')
                FROM stageRun
                """) ?? "-"))
            parts.append("decisions " + (try String.fetchOne(db, sql: "SELECT count(*) || ':' || coalesce(max(id), 0) FROM decision") ?? "-"))
            for table in ["archiveImage", "archiveDirectory", "article", "classification", "articleCategory", "figureCount"]
            where try db.tableExists(table) {
                parts.append("\(table) " + String(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0))
            }
        }
        return StageFingerprint(stage: "catalogue-push", parts: parts).value
    }

    /// What the last successful push of `facility` to `catalogue` (an address without password)
    /// left there; nil when this study never pushed it there.
    public func rememberedCataloguePush(catalogue: String, facility: String) throws -> RememberedCataloguePush? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT marker, contentHash FROM cataloguePush WHERE catalogue = ? AND facility = ?",
                                             arguments: [catalogue, facility]) else { return nil }
            return RememberedCataloguePush(marker: row["marker"], contentHash: row["contentHash"])
        }
    }

    /// Remembers a push that reached the catalogue (written, or confirmed unchanged).
    public func rememberCataloguePush(catalogue: String, facility: String, _ pushed: RememberedCataloguePush) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO cataloguePush (catalogue, facility, marker, contentHash, pushedAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (catalogue, facility) DO UPDATE SET marker = excluded.marker, contentHash = excluded.contentHash, pushedAt = excluded.pushedAt
                """, arguments: [catalogue, facility, pushed.marker, pushed.contentHash, Date()])
        }
    }
}
