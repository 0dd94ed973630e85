import Bibliography
import Core
import Foundation
import GRDB

/// The tables of the Bibliography stage. Registered by `StudySchema`, in order; never edit a
/// released migration — append a new one.
///
/// What is input and what is machine output:
/// - `bibFile`, `bibRecord`, `bibRejected` hold what was imported, keyed by the file's content
///   fingerprint, so importing the same bytes twice adds nothing.
/// - `article`, `articleSource`, `bibMerge`, `articleAlias` are recomputed from all stored records on every import
///   (one transaction). People's decisions live in `decision` ("article:<id>", kind "exclusion")
///   and are applied on top — a re-run never overwrites them.
enum BibliographySchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-bibliography") { db in
            // One imported export file.
            try db.create(table: "bibFile") { t in
                t.primaryKey("id", .text)               // content fingerprint
                t.column("path", .text).notNull()
                t.column("format", .text).notNull()
                t.column("encoding", .text).notNull()
                t.column("importedAt", .datetime).notNull()
                t.column("records", .integer).notNull()   // records read = kept in bibRecord + rejected
                t.column("rejected", .integer).notNull()
            }
            // Every record read: the normalised record (JSON of `BibRecord` without its raw tags,
            // read back on every rebuild) and its raw tags (JSON, read only by `bib show`).
            try db.create(table: "bibRecord") { t in
                t.column("fileId", .text).notNull().references("bibFile", onDelete: .cascade)
                t.column("ordinal", .integer).notNull()
                t.column("database", .text).notNull()
                t.column("sourceId", .text)
                t.column("line", .integer).notNull()
                t.column("endLine", .integer).notNull()
                t.column("json", .blob).notNull()
                t.column("raw", .blob).notNull()
                t.primaryKey(["fileId", "ordinal"])
            }
            // Records that could not be read, with where and why.
            try db.create(table: "bibRejected") { t in
                t.column("fileId", .text).notNull().references("bibFile", onDelete: .cascade)
                t.column("line", .integer)
                t.column("reason", .text).notNull()
            }
            // The deduplicated article list (the contract other stages read).
            try db.create(table: "article") { t in
                t.primaryKey("id", .text)
                t.column("doi", .text).indexed()
                t.column("title", .text)
                t.column("year", .integer)
                t.column("sourceTitle", .text)
                t.column("abstract", .text)
                t.column("authorKeywords", .text)
                t.column("indexKeywords", .text)
                t.column("documentType", .text)
                t.column("exclusion", .text)             // effective, after people's decisions
                // Beyond the contract:
                t.column("authors", .text)               // "Family, Given; Family, Given"
                t.column("issn", .text)
                t.column("eissn", .text)
                t.column("volume", .text)
                t.column("issue", .text)
                t.column("pages", .text)
                t.column("eid", .text)
                t.column("ut", .text)
                t.column("pmid", .text)
                t.column("languages", .text)
                t.column("rawDocumentType", .text)
                t.column("citedBy", .integer)
                t.column("publisher", .text)
                t.column("machineExclusion", .text)      // what the rules said, before decisions
                t.column("exclusionReasons", .text)      // every rule that applied, "; "-joined
                t.column("hints", .text)
                t.column("sourceCount", .integer).notNull()
            }
            // Which records each article stands for (survivor first: rank 0).
            try db.create(table: "articleSource") { t in
                t.column("articleId", .text).notNull().indexed()
                t.column("rank", .integer).notNull()
                t.column("fileId", .text).notNull()
                t.column("ordinal", .integer).notNull()
                t.column("database", .text).notNull()
                t.column("sourceId", .text).indexed()
                t.column("path", .text).notNull()
                t.column("line", .integer).notNull()
                t.column("endLine", .integer).notNull()
            }
            // The merge log: which rule joined which record to which.
            try db.create(table: "bibMerge") { t in
                t.column("articleId", .text).notNull().indexed()
                t.column("rule", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("mergedFileId", .text).notNull()
                t.column("mergedOrdinal", .integer).notNull()
                t.column("intoFileId", .text).notNull()
                t.column("intoOrdinal", .integer).notNull()
            }
        }
        // v2: every id an article is known by. An article's id is its survivor record's (DOI, else
        // EID, else UT, …), so it changes when a later import merges a record with a DOI into an
        // article that had none; people's decisions keyed by the old id must still find it.
        // Recomputed with the article list on every import.
        migrator.registerMigration("v2-bibliography-aliases") { db in
            try db.create(table: "articleAlias") { t in
                t.column("alias", .text).notNull()
                t.column("articleId", .text).notNull().indexed()
                t.primaryKey(["alias", "articleId"])
            }
        }
    }

    /// v3: the authors' affiliations on the article list, for the review page. Registered on its
    /// own, after every other migration (`StudySchema`), so that migrations added in parallel
    /// only need ordering at a merge. One `Affiliation.line` a line ("[Family, Given] Address").
    ///
    /// The column is filled by every rebuild of the list; the migration fills it once for a study
    /// imported before it, from the stored records, the way the rebuild's merge does (the first
    /// member of an article, survivor first, that has affiliations), so an unchanged study shows
    /// them without a new import (`lostdata run` skips an unchanged bibliography).
    static func registerAffiliations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-bibliography-article-affiliations") { db in
            try db.alter(table: "article") { t in t.add(column: "affiliations", .text) }
            /// Only the one field of the stored record JSON (`BibRecord` encodes it as a list).
            struct StoredAffiliations: Decodable { var affiliations: [String]? }
            let decoder = JSONDecoder()
            var filled: Set<String> = []
            let update = try db.makeStatement(sql: "UPDATE article SET affiliations = ? WHERE id = ?")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT s.articleId, r.json FROM articleSource s JOIN bibRecord r ON r.fileId = s.fileId AND r.ordinal = s.ordinal
                ORDER BY s.articleId, s.rank
                """)
            while let row = try rows.next() {
                let id: String = row["articleId"]
                guard !filled.contains(id), let json: Data = row["json"],
                      let values = (try? decoder.decode(StoredAffiliations.self, from: json))?.affiliations, !values.isEmpty else { continue }
                filled.insert(id)
                try update.execute(arguments: [Study.affiliationsCell(values), id])
            }
        }
    }

    /// v4: each stored record's deduplication keys (`DedupKeys`) beside it, written when the
    /// record is stored. The bounded rebuild (`literature search`) deduplicates from these with
    /// sorted queries instead of decoding every record into memory; `dedupVersion` says which
    /// `DedupKeys.version` made them (0: not made yet — records stored before this migration, keyed
    /// by the next rebuild).
    static func registerDedupKeys(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-bibliography-record-dedup-keys") { db in
            try db.alter(table: "bibRecord") { t in
                t.add(column: "dedupTitle", .blob)
                t.add(column: "dedupFamily", .text)
                t.add(column: "dedupYear", .integer)
                t.add(column: "dedupDOI", .text)
                t.add(column: "dedupVersion", .integer).notNull().defaults(to: 0)
            }
        }
    }
}
