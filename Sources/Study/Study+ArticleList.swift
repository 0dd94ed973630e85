import Bibliography
import Core
import Foundation
import GRDB

/// Reading the article list, one article's detail, people's exclusion decisions on it, and its
/// export — what `bib list`, `bib show`, `bib exclude/include` and `bib export` ask of the study.
extension Study {
    static let articleColumns = "id, doi, title, year, sourceTitle, authors, documentType, rawDocumentType, exclusion, machineExclusion, hints, sourceCount"

    static func articleRow(_ row: Row) -> ArticleRow {
        ArticleRow(id: row["id"], doi: row["doi"], title: row["title"], year: row["year"], sourceTitle: row["sourceTitle"],
                   authors: row["authors"], documentType: row["documentType"], rawDocumentType: row["rawDocumentType"],
                   exclusion: row["exclusion"], machineExclusion: row["machineExclusion"], hints: row["hints"],
                   sourceCount: row["sourceCount"])
    }

    /// The article list: included articles (`excluded` false), excluded ones (true) or all (nil).
    public func articles(excluded: Bool? = false) throws -> [ArticleRow] {
        let filter = excluded.map { $0 ? "WHERE exclusion IS NOT NULL" : "WHERE exclusion IS NULL" } ?? ""
        return try database.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.articleColumns) FROM article \(filter) ORDER BY year, title, id").map(Self.articleRow)
        }
    }

    /// Finds an article by its id, or by a DOI, Scopus EID or WoS UT of any of its records.
    public func resolveArticleID(_ given: String) throws -> String? {
        try database.read { db in
            if try String.fetchOne(db, sql: "SELECT id FROM article WHERE id = ?", arguments: [given]) != nil { return given }
            if let doi = DOI(given), let id = try String.fetchOne(db, sql: "SELECT id FROM article WHERE doi = ?", arguments: [doi.value]) { return id }
            var candidates = [given]
            if !given.uppercased().hasPrefix("WOS:") { candidates.append("WOS:" + given) }
            for c in candidates {
                if let id = try String.fetchOne(db, sql: "SELECT articleId FROM articleSource WHERE sourceId = ? LIMIT 1", arguments: [c]) { return id }
            }
            return nil
        }
    }

    func requireArticleID(_ given: String) throws -> String {
        guard let id = try resolveArticleID(given) else {
            throw InputError("no article with id, DOI, EID or UT '\(given)' in this study; `lostdata bib list` shows the ids", file: directory.appendingPathComponent("study.sqlite").path)
        }
        return id
    }

    /// Everything about one article: merged fields, sources with their raw records, merge log, decisions.
    public func article(_ given: String) throws -> ArticleDetail {
        let id = try requireArticleID(given)
        let decoder = JSONDecoder()
        return try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM article WHERE id = ?", arguments: [id]) else {
                throw InputError("article '\(id)' vanished", file: "study.sqlite")
            }
            var record: [String: String] = [:]
            for column in row.columnNames {
                let value: DatabaseValue = row[column]
                switch value.storage {
                case .int64(let i): record[column] = String(i)
                case .double(let d): record[column] = String(d)
                case .string(let s): record[column] = s
                case .blob, .null: break
                }
            }
            var sources: [ArticleDetail.Source] = []
            for s in try Row.fetchAll(db, sql: """
                SELECT a.database, a.sourceId, a.path, a.line, a.endLine, r.raw FROM articleSource a
                LEFT JOIN bibRecord r ON r.fileId = a.fileId AND r.ordinal = a.ordinal
                WHERE a.articleId = ? ORDER BY a.rank
                """, arguments: [id]) {
                let json: Data? = s["raw"]
                let line: Int = s["line"], endLine: Int = s["endLine"]
                let raw = json.flatMap { try? decoder.decode([RawRecord.Tag].self, from: $0) }.map { RawRecord(line: line, endLine: endLine, tags: $0) }
                sources.append(.init(database: s["database"], id: s["sourceId"], path: s["path"], line: s["line"], endLine: s["endLine"], raw: raw))
            }
            func place(_ file: String, _ ordinal: Int) throws -> String {
                guard let r = try Row.fetchOne(db, sql: "SELECT f.path, r.line FROM bibRecord r JOIN bibFile f ON f.id = r.fileId WHERE r.fileId = ? AND r.ordinal = ?", arguments: [file, ordinal]) else { return "?" }
                let p: String = r["path"], l: Int = r["line"]
                return "\(p):\(l)"
            }
            var merges: [ArticleDetail.Merge] = []
            for m in try Row.fetchAll(db, sql: "SELECT * FROM bibMerge WHERE articleId = ? ORDER BY rowid", arguments: [id]) {
                merges.append(.init(rule: m["rule"], detail: m["detail"], merged: try place(m["mergedFileId"], m["mergedOrdinal"]),
                                    into: try place(m["intoFileId"], m["intoOrdinal"])))
            }
            // Decisions made under any id the article has had.
            let aliases = try ArticleAliases(db)
            let decisions = try Row.fetchAll(db, sql: """
                SELECT subject, value, author, decidedAt, note FROM decision WHERE kind = 'exclusion' AND subject LIKE 'article:%'
                ORDER BY decidedAt, id
                """).filter { row in
                let subject: String = row["subject"]
                return aliases.resolve(String(subject.dropFirst("article:".count))) == id
            }.map {
                ArticleDetail.Decision(value: $0["value"], author: $0["author"], decidedAt: $0["decidedAt"], note: $0["note"])
            }
            return ArticleDetail(row: Self.articleRow(row), record: record, sources: sources, merges: merges, decisions: decisions)
        }
    }

    /// Records a person's decision about an article's exclusion — `"include"` undoes the rules'
    /// exclusion, a reason code excludes — and applies it to the list at once. Kept across re-imports.
    @discardableResult
    public func decideExclusion(_ given: String, value: String, author: String, note: String? = nil) throws -> ArticleRow {
        let id = try requireArticleID(given)
        guard value == "include" || ExclusionReason(rawValue: value) != nil else {
            let known = ExclusionReason.allCases.map(\.rawValue).joined(separator: ", ")
            throw InputError("unknown exclusion reason '\(value)' (known: \(known))", file: "command line")
        }
        return try database.write { db in
            try db.execute(sql: "INSERT INTO decision (subject, kind, value, author, decidedAt, note) VALUES (?, 'exclusion', ?, ?, ?, ?)",
                           arguments: ["article:" + id, value, author, Date(), note])
            let machine = try String.fetchOne(db, sql: "SELECT machineExclusion FROM article WHERE id = ?", arguments: [id])
            try db.execute(sql: "UPDATE article SET exclusion = ? WHERE id = ?",
                           arguments: [Self.effectiveExclusion(machine: machine, decision: value), id])
            return Self.articleRow(try Row.fetchOne(db, sql: "SELECT \(Self.articleColumns) FROM article WHERE id = ?", arguments: [id])!)
        }
    }

    /// The article list as CSV, RIS or BibTeX; excluded articles only when asked.
    public func exportArticles(as format: ExportWriter.Format, includeExcluded: Bool = false) throws -> String {
        let entries: [ExportEntry] = try database.read { db in
            let filter = includeExcluded ? "" : "WHERE exclusion IS NULL"
            return try Row.fetchAll(db, sql: "SELECT * FROM article \(filter) ORDER BY year, title, id").map { r in
                let authors: String? = r["authors"]
                let people = (authors ?? "").split(separator: ";").map { p -> Author in
                    let parts = p.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    return Author(family: parts.first ?? "", given: parts.count > 1 ? parts[1] : "")
                }
                let keywords: String? = r["authorKeywords"]
                return ExportEntry(id: r["id"], title: r["title"], authors: people, year: r["year"], sourceTitle: r["sourceTitle"],
                                   volume: r["volume"], issue: r["issue"], pages: r["pages"], doi: r["doi"], issn: r["issn"],
                                   abstract: r["abstract"], keywords: (keywords ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                                   documentType: r["documentType"], exclusion: r["exclusion"])
            }
        }
        return ExportWriter.write(entries, as: format)
    }
}
