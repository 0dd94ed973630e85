import Archive
import Core
import Foundation
import GRDB

/// The paper's sequential filtering (Figure 1B): each given criterion narrows the set.
public struct ArchiveFilter: Hashable, Sendable {
    public var year: Int?
    public var instrument: String?
    public var technique: Technique?
    /// A detector class (`SE`, `LA-BSE`, …) or a raw detector name (`SE(U)`).
    public var detector: String?
    /// The lower bound of a scale-bar decade, in nm (1, 10, 100, 1000, …).
    public var decadeNm: Double?

    public init(year: Int? = nil, instrument: String? = nil, technique: Technique? = nil, detector: String? = nil, decadeNm: Double? = nil) {
        (self.year, self.instrument, self.technique, self.detector, self.decadeNm) = (year, instrument, technique, detector, decadeNm)
    }

    var sql: (String, StatementArguments) {
        var clauses: [String] = []
        var args = StatementArguments()
        if let year { clauses.append("year = ?"); args += [year] }
        if let instrument { clauses.append("instrument = ? COLLATE NOCASE"); args += [instrument] }
        if let technique { clauses.append("technique = ?"); args += [technique.rawValue] }
        if let detector { clauses.append("(detectorClass = ? COLLATE NOCASE OR detector = ?)"); args += [detector, detector] }
        if let decadeNm { clauses.append("ABS(decadeNm - ?) <= ? * 1e-9"); args += [decadeNm, decadeNm] }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), args)
    }
}

/// The paper's sorting into bins (Figure 1C): the fields `archive group-by` accepts.
public enum ArchiveField: String, CaseIterable, Sendable {
    case year, instrument, technique, detector, decade, magnification, `extension`

    var column: String {
        switch self {
        case .year: return "year"
        case .instrument: return "instrument"
        case .technique: return "technique"
        case .detector: return "detectorClass"
        case .decade: return "decadeNm"
        case .magnification: return "magnification"
        case .extension: return "extension"
        }
    }
}

/// One bin: the value of each field (nil when unknown) and its image count.
public struct ArchiveBin: Sendable, Hashable {
    public enum Value: Sendable, Hashable { case integer(Int), number(Double), text(String), none }
    public var values: [(field: ArchiveField, value: Value)]
    public var images: Int

    public static func == (a: ArchiveBin, b: ArchiveBin) -> Bool {
        a.images == b.images && a.values.map(\.field) == b.values.map(\.field) && a.values.map(\.value) == b.values.map(\.value)
    }
    public func hash(into h: inout Hasher) { h.combine(images); for v in values { h.combine(v.field); h.combine(v.value) } }
}

/// One finding as `archive check` prints it.
public struct ArchiveFindingRow: Sendable, Hashable, Codable {
    public var kind: String
    public var path: String
    public var line: Int?
    public var message: String
    /// The image it concerns, when it concerns one.
    public var image: String?
}

extension Study {
    /// Images matching every given criterion.
    public func archiveCount(_ filter: ArchiveFilter) throws -> Int {
        let (whereClause, args) = filter.sql
        return try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archiveImage \(whereClause)", arguments: args) ?? 0
        }
    }

    /// Image counts per combination of `fields`, sorted by the fields (unknown values first).
    public func archiveGroupBy(_ fields: [ArchiveField], filter: ArchiveFilter = .init()) throws -> [ArchiveBin] {
        guard !fields.isEmpty else { return [ArchiveBin(values: [], images: try archiveCount(filter))] }
        let (whereClause, args) = filter.sql
        let cols = fields.map(\.column).joined(separator: ", ")
        return try database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT \(cols), COUNT(*) FROM archiveImage \(whereClause) GROUP BY \(cols) ORDER BY \(cols)", arguments: args)
            return rows.map { row in
                var values: [(ArchiveField, ArchiveBin.Value)] = []
                for (i, f) in fields.enumerated() {
                    let dbv: DatabaseValue = row[i]
                    let v: ArchiveBin.Value
                    switch dbv.storage {
                    case .null: v = .none
                    case .int64(let n): v = f == .magnification || f == .decade ? .number(Double(n)) : .integer(Int(n))
                    case .double(let d): v = .number(d)
                    case .string(let s): v = .text(s)
                    case .blob: v = .none
                    }
                    values.append((f, v))
                }
                return ArchiveBin(values: values, images: row[fields.count])
            }
        }
    }

    /// Findings of the given kinds (all when empty), ordered by kind then path.
    public func archiveFindings(kinds: [ArchiveFinding.Kind] = []) throws -> [ArchiveFindingRow] {
        try database.read { db in
            // The image's path is its directory's path + "/" + its name (NULL for listing findings).
            var sql = """
                SELECT f.kind, f.path, f.line, f.message,
                       CASE d.path WHEN '/' THEN '/' || i.name ELSE d.path || '/' || i.name END
                FROM archiveFinding f LEFT JOIN archiveImage i ON i.id = f.image LEFT JOIN archiveDirectory d ON d.id = i.directory
                """
            var args = StatementArguments()
            if !kinds.isEmpty {
                sql += " WHERE f.kind IN (\(databaseQuestionMarks(count: kinds.count)))"
                args = StatementArguments(kinds.map(\.rawValue))
            }
            sql += " ORDER BY f.kind, f.path"
            return try Row.fetchAll(db, sql: sql, arguments: args).map {
                ArchiveFindingRow(kind: $0[0], path: $0[1], line: $0[2], message: $0[3], image: $0[4])
            }
        }
    }

    /// Finding counts per kind (every kind listed, zero included), and the distinct unknown
    /// detector names with their image counts.
    public func archiveFindingSummary() throws -> (byKind: [(ArchiveFinding.Kind, Int)], unknownDetectors: [(String, Int)], images: Int) {
        try database.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) FROM archiveFinding GROUP BY kind") { counts[row[0]] = row[1] }
            let unknown = try Row.fetchAll(db, sql: """
                SELECT detector, COUNT(*) FROM archiveImage WHERE detector IS NOT NULL AND detectorClass IS NULL
                GROUP BY detector ORDER BY COUNT(*) DESC, detector
                """).map { ($0[0] as String, $0[1] as Int) }
            let images = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archiveImage") ?? 0
            return (ArchiveFinding.Kind.allCases.map { ($0, counts[$0.rawValue] ?? 0) }, unknown, images)
        }
    }
}
