import Core
import GRDB

extension Study {
    /// Acquired images per technique from the archive index, folded as the source declares
    /// (the paper counts STEM recorded on its SEMs as SEM). Images whose technique is unknown
    /// (no metadata and no folder mapping) are not counted; `archive check` lists them.
    func acquiredFromArchive(fold: [Technique: Technique]) throws -> [Technique: Int] {
        try database.read { db in
            var counts: [Technique: Int] = [:]
            let rows = try Row.fetchAll(db, sql: "SELECT technique, COUNT(*) FROM archiveImage WHERE technique IS NOT NULL GROUP BY technique")
            for row in rows {
                guard let name: String = row[0], let t = Technique(name: name) else { continue }
                counts[fold[t] ?? t, default: 0] += row[1] as Int
            }
            return counts
        }
    }
}
