import Bibliography
import Core
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// What happened to one file given to `bib import` or `bib inspect`.
public struct BibFileReport: Sendable {
    public var path: String
    public var format: ExportFormat?
    /// Records read = kept + merged + rejected.
    public var records: Int
    public var rejected: [InputError]
    public var kept: Int
    public var merged: Int
    /// Kept records whose article is excluded.
    public var excluded: Int
    /// The same bytes were imported before: nothing was added.
    public var alreadyImported: Bool
    /// Set when the whole file could not be read (binary, empty, unknown format, unreadable).
    public var unreadable: InputError?
}

/// The outcome of importing or inspecting a set of exports.
public struct BibRunReport: Sendable {
    public var files: [BibFileReport]
    /// All records read (in the study: every record ever imported).
    public var records: Int
    /// Articles after deduplication.
    public var unique: Int
    /// Records merged into another.
    public var merged: Int
    /// Articles per exclusion reason code (after people's decisions, in a study).
    public var excluded: [String: Int]
    /// Import only: ids of exclusion decisions whose article is no longer in the list (its records
    /// were never re-imported, or now belong to two articles). They stay in the study, unapplied.
    public var orphanedDecisions: [String] = []
    /// Import with `forgettingUndeclared`: the stored exports forgotten (path, records), their
    /// records gone from the list.
    public var forgottenFiles: [(path: String, records: Int)] = []
    /// Inspect only: the analysis itself, for per-record output.
    public var analysis: Analysis?
    /// Wall-clock seconds spent reading files and deduplicating + judging (inspect only).
    public var readSeconds: Double = 0
    public var analyseSeconds: Double = 0
    /// CPU seconds of the process during deduplication (single-threaded, so a load-independent
    /// measure of its cost on a shared machine).
    public var analyseCPUSeconds: Double = 0
}

/// One row of the article list.
public struct ArticleRow: Sendable {
    public var id: String
    public var doi: String?
    public var title: String?
    public var year: Int?
    public var sourceTitle: String?
    public var authors: String?
    public var documentType: String?
    public var rawDocumentType: String?
    /// Effective exclusion, after people's decisions.
    public var exclusion: String?
    /// What the rules said.
    public var machineExclusion: String?
    public var hints: String?
    public var sourceCount: Int
}

/// Everything known about one article, for `bib show`.
public struct ArticleDetail: Sendable {
    public struct Source: Sendable {
        public var database: String
        public var id: String?
        public var path: String
        public var line: Int
        public var endLine: Int
        public var raw: RawRecord?
    }
    public struct Merge: Sendable {
        public var rule: String
        public var detail: String
        public var merged: String
        public var into: String
    }
    public struct Decision: Sendable {
        public var value: String
        public var author: String
        public var decidedAt: Date
        public var note: String?
    }
    public var row: ArticleRow
    public var record: [String: String]
    public var sources: [Source]
    public var merges: [Merge]
    public var decisions: [Decision]
}

extension Study {
    /// The deduplicator and rules this study's `bibliography:` section and `period` ask for.
    var bibliographyPipeline: (Deduplicator, ExclusionRules) {
        let s = file.bibliography
        return (Deduplicator(precedence: s.precedence),
                ExclusionRules(period: file.period, extraTranslationISSNs: s.translationISSNs, extraTranslationTitles: s.translationTitles))
    }

    /// Reads exports without a study: counts, rejects, duplicates and exclusions with the
    /// shipped defaults (no period).
    public static func inspectBibliography(_ paths: [String], format: ExportFormat? = nil, period: ClosedRange<Int>? = nil,
                                           detail: ReadDetail = .identification, progress: any ProgressReporter = SilentProgress()) -> BibRunReport {
        let started = Date()
        var reads: [(String, Result<FileReadResult, InputError>)] = []
        for (i, path) in paths.enumerated() {
            reads.append((path, readExport(path, format: format, detail: detail)))
            progress.report(done: i + 1, total: paths.count, unit: "files")
        }
        progress.finish()
        // One file (the usual case) hands its array over as is; flatMap would copy every record.
        let records = reads.count == 1 ? ((try? reads[0].1.get())?.records ?? []) : reads.flatMap { (try? $0.1.get())?.records ?? [] }
        let read = Date()
        let cpuBefore = processCPUSeconds()
        let analysis = Bibliography.analyse(records, rules: ExclusionRules(period: period))
        let cpuAfter = processCPUSeconds()
        var result = report(reads: reads, analysis: analysis, excluded: analysis.excludedCounts.reduce(into: [:]) { $0[$1.key.rawValue] = $1.value }, keepAnalysis: true)
        result.readSeconds = read.timeIntervalSince(started)
        result.analyseSeconds = Date().timeIntervalSince(read)
        result.analyseCPUSeconds = cpuAfter - cpuBefore
        return result
    }

    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Reads an export in 8 MB chunks through `ExportStream`, so memory holds one chunk of the
    /// file rather than all of it.
    static func readExport(_ path: String, format: ExportFormat?, detail: ReadDetail) -> Result<FileReadResult, InputError> {
        #if canImport(Glibc)
        let fd = Glibc.open(path, O_RDONLY)
        #else
        let fd = Darwin.open(path, O_RDONLY)
        #endif
        guard fd >= 0 else { return .failure(InputError("cannot open the file: \(String(cString: strerror(errno)))", file: path)) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            return .failure(InputError("this is a directory, not an export file", file: path))
        }
        var stream = ExportStream(file: path, format: format, detail: detail)
        let chunkSize = 8 << 20
        // A regular file is mapped rather than read: `read` into a scratch buffer was a copy of
        // the whole file (the kernel's, ~8 % of `bib inspect` on a 250 MB export), and the stream
        // parses delimited exports straight from the mapping (`feed(borrowing:)`). Each window is
        // released from memory once the stream is done with it (it copies what it keeps), so the
        // peak does not grow with the file.
        let size = Int(st.st_size)
        if (st.st_mode & S_IFMT) == S_IFREG, size > 0,
           let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED {
            defer { munmap(map, size) }
            _ = madvise(map, size, MADV_SEQUENTIAL)
            let base = map.assumingMemoryBound(to: UInt8.self)
            do {
                var offset = 0
                while offset < size {
                    let n = min(chunkSize, size - offset)
                    try stream.feed(borrowing: UnsafeBufferPointer(start: base + offset, count: n))
                    _ = madvise(map + offset, n, MADV_DONTNEED)
                    offset += n
                }
                return .success(try stream.finish())
            } catch {
                return .failure(error.error)
            }
        }
        do {
            // Not a regular file (a pipe, a device) or not mappable: one read buffer for the whole file; the stream copies each chunk into its own,
            // reused buffer (warm memory: cheaper than touching fresh pages for every chunk).
            let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
            defer { scratch.deallocate() }
            while true {
                let n = read(fd, scratch.baseAddress!, chunkSize)
                if n < 0 { return .failure(InputError("cannot read the file: \(String(cString: strerror(errno)))", file: path)) }
                if n == 0 { break }
                try stream.feed(UnsafeBufferPointer(rebasing: scratch[..<n]))
            }
            return .success(try stream.finish())
        } catch {
            return .failure(error.error)
        }
    }

    /// A file's bytes in one array, read with POSIX calls: `Data(contentsOf:)` followed by
    /// `Array(data)` would hold the file twice at the peak.
    static func readBytes(_ path: String) throws(InputError) -> [UInt8] {
        #if canImport(Glibc)
        let fd = Glibc.open(path, O_RDONLY)
        #else
        let fd = Darwin.open(path, O_RDONLY)
        #endif
        guard fd >= 0 else { throw InputError("cannot open the file: \(String(cString: strerror(errno)))", file: path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw InputError("cannot read the file: \(String(cString: strerror(errno)))", file: path) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw InputError("this is a directory, not an export file", file: path) }
        let size = Int(st.st_size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 { failed = true; break }
                if n == 0 { break }
                done += n
            }
            count = done
        }
        if failed { throw InputError("cannot read the file: \(String(cString: strerror(errno)))", file: path) }
        return bytes
    }

    static func report(reads: [(String, Result<FileReadResult, InputError>)], analysis: Analysis, excluded: [String: Int],
                       skipped: Set<String> = [], keepAnalysis: Bool) -> BibRunReport {
        report(reads: reads, counts: { analysis.counts(forFile: $0.file) }, records: analysis.records.count,
               unique: analysis.articles.count, excluded: excluded, skipped: skipped, analysis: keepAnalysis ? analysis : nil)
    }

    /// The report of files read, each file's counts from `counts`, the list's from the totals.
    static func report(reads: [(String, Result<FileReadResult, InputError>)], counts: (FileReadResult) -> Analysis.FileCounts,
                       records: Int, unique: Int, excluded: [String: Int], skipped: Set<String>, analysis: Analysis?) -> BibRunReport {
        var files: [BibFileReport] = []
        for (path, read) in reads {
            switch read {
            case .failure(let e):
                files.append(BibFileReport(path: path, format: nil, records: 0, rejected: [], kept: 0, merged: 0, excluded: 0,
                                           alreadyImported: false, unreadable: e))
            case .success(let r):
                let c = skipped.contains(path) ? Analysis.FileCounts() : counts(r)
                files.append(BibFileReport(path: path, format: r.format, records: r.recordsRead, rejected: r.rejected,
                                           kept: c.kept, merged: c.merged, excluded: c.excluded, alreadyImported: skipped.contains(path)))
            }
        }
        return BibRunReport(files: files, records: records, unique: unique, merged: records - unique,
                            excluded: excluded, analysis: analysis)
    }

    /// Imports exports into the study: new files' records are stored, then the whole article
    /// list is rebuilt from every stored record (one transaction) and people's decisions applied.
    /// A file whose bytes were imported before adds nothing.
    ///
    /// With `replacingEarlierVersions` (what `lostdata run` asks for), a file whose bytes changed
    /// replaces what an earlier import of the same path stored, instead of adding to it: the
    /// study file declares the export, so its current content is the export.
    ///
    /// With `forgettingUndeclared` (also `run`'s), `paths` are every export the study declares:
    /// a stored export neither among them by path nor by content is forgotten with its records —
    /// one dropped from `inputs.exports` stayed in the article list before, counted. Pages of
    /// literature searches are not exports and stay.
    public func importBibliography(_ paths: [String], format: ExportFormat? = nil, replacingEarlierVersions: Bool = false,
                                   forgettingUndeclared: Bool = false,
                                   progress: any ProgressReporter = SilentProgress()) throws -> BibRunReport {
        var reads: [(String, Result<FileReadResult, InputError>)] = []
        var fingerprints: [String: String] = [:]
        var skipped: Set<String> = []
        let known = try database.read { db in try Set(String.fetchAll(db, sql: "SELECT id FROM bibFile")) }
        for (i, path) in paths.enumerated() {
            defer { progress.report(done: i + 1, total: paths.count, unit: "files") }
            let bytes: [UInt8]
            do { bytes = try Self.readBytes(path) } catch { reads.append((path, .failure(error))); continue }
            let fp = Self.exportFileIDPrefix + FNV1a.hex(bytes) + ":" + String(bytes.count)
            let read: Result<FileReadResult, InputError>
            do { read = .success(try Bibliography.read(bytes, file: path, format: format, detail: .full)) } catch { read = .failure(error.error) }
            if known.contains(fp) || fingerprints.values.contains(fp) { skipped.insert(path) }
            fingerprints[path] = fp
            reads.append((path, read))
        }
        progress.finish()
        let (dedup, rules) = bibliographyPipeline
        return try runStage("bibliography") { db in
            // 1. Store what is new. The raw tags go to their own column so that rebuilding the
            // list decodes only the small normalised records.
            var forgotten: [(path: String, records: Int)] = []
            if forgettingUndeclared {
                let declaredIDs = Set(fingerprints.values), declaredPaths = Set(paths)
                // Exports are fingerprinted `exportFileIDPrefix`…; literature pages are "http:…".
                for row in try Row.fetchAll(db, sql: "SELECT id, path, records FROM bibFile WHERE substr(id, 1, ?) = ? ORDER BY path",
                                            arguments: [Self.exportFileIDPrefix.count, Self.exportFileIDPrefix]) {
                    let id: String = row[0], path: String = row[1]
                    guard !declaredIDs.contains(id), !declaredPaths.contains(path) else { continue }
                    try db.execute(sql: "DELETE FROM bibRecord WHERE fileId = ?", arguments: [id])
                    try db.execute(sql: "DELETE FROM bibRejected WHERE fileId = ?", arguments: [id])
                    try db.execute(sql: "DELETE FROM bibFile WHERE id = ?", arguments: [id])
                    forgotten.append((path, row[2]))
                }
            }
            // A file imported before, met at another path while the stored path is gone (the
            // study folder moved, the export was renamed): the stored file is this one, so it
            // is listed where it is now — in `report.json`'s inputs, and in its records'
            // evidence (`bib show`, the review page), here and after any later rebuild.
            for path in skipped {
                guard let fp = fingerprints[path] else { continue }
                for old in try String.fetchAll(db, sql: "SELECT path FROM bibFile WHERE id = ? AND path != ?", arguments: [fp, path])
                where !FileManager.default.fileExists(atPath: old) {
                    try Self.movePath(of: fp, to: path, db)
                }
            }
            for (path, read) in reads {
                guard case .success(let r) = read, !skipped.contains(path), let fp = fingerprints[path] else { continue }
                if replacingEarlierVersions {
                    for old in try String.fetchAll(db, sql: "SELECT id FROM bibFile WHERE path = ? AND id != ?", arguments: [path, fp]) {
                        try db.execute(sql: "DELETE FROM bibRecord WHERE fileId = ?", arguments: [old])
                        try db.execute(sql: "DELETE FROM bibRejected WHERE fileId = ?", arguments: [old])
                        try db.execute(sql: "DELETE FROM bibFile WHERE id = ?", arguments: [old])
                    }
                }
                _ = try Self.storeRecords(db, fileID: fp, path: path, format: r.format.rawValue, encoding: r.encoding.rawValue,
                                          records: r.records, rejected: r.rejected)
            }
            // The bounded rebuild, as the literature commands use: the full one decoded every
            // stored record into memory — after a literature search of 230,000 records, 663 MB
            // for an export of a few hundred.
            let list = try rebuildArticleListBounded(db, deduplicator: dedup, rules: rules)
            let counts = try Self.countsByFile(db)
            var report = Self.report(reads: reads, counts: { counts[fingerprints[$0.file] ?? ""] ?? Analysis.FileCounts() },
                                     records: list.records, unique: list.articles, excluded: list.excluded, skipped: skipped, analysis: nil)
            report.orphanedDecisions = list.orphanedDecisions
            report.forgottenFiles = forgotten
            let summary = "{\"records\":\(report.records),\"unique\":\(report.unique),\"merged\":\(report.merged)}"
            return (report, summary: summary)
        }
    }

    /// Per stored file (`bibFile.id`), as `Analysis.counts(forFile:)` counts a file's records:
    /// kept (the survivor of its article), merged (into another record), and kept but excluded
    /// by the machine's verdict — read off the rebuilt `articleSource` and `article` rows.
    static func countsByFile(_ db: Database) throws -> [String: Analysis.FileCounts] {
        var out: [String: Analysis.FileCounts] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT s.fileId, SUM(s.rank = 0), SUM(s.rank > 0), SUM(s.rank = 0 AND a.machineExclusion IS NOT NULL)
            FROM articleSource s JOIN article a ON a.id = s.articleId GROUP BY s.fileId
            """) {
            out[row[0]] = Analysis.FileCounts(kept: row[1], merged: row[2], excluded: row[3])
        }
        return out
    }

    /// How an export's `bibFile.id` starts (its content fingerprint follows); pages of literature
    /// searches start "http:", so the two are told apart by the id alone.
    static let exportFileIDPrefix = "fnv1a64:"

    /// Points a stored file, its records and their article sources at `path`.
    static func movePath(of fileID: String, to path: String, _ db: Database) throws {
        try db.execute(sql: "UPDATE bibFile SET path = ? WHERE id = ?", arguments: [path, fileID])
        let update = try db.makeStatement(sql: "UPDATE bibRecord SET json = ? WHERE rowid = ?")
        for row in try Row.fetchAll(db, sql: "SELECT rowid, json, ordinal FROM bibRecord WHERE fileId = ?", arguments: [fileID]) {
            var record = try decodeStored(row[1] as Data, fileId: fileID, ordinal: row[2])
            record.source.file = path
            try update.execute(arguments: [Data(StoredRecordJSON.encode(record)), row[0] as Int64])
        }
        try db.execute(sql: "UPDATE articleSource SET path = ? WHERE fileId = ?", arguments: [path, fileID])
    }

    /// Stores one input's records (an export file, or a page of a web API) under `fileID`, its
    /// content fingerprint; returns them without their raw tags, as the rebuild reads them.
    /// `bib import` and `literature search` both store through here: one path into the list.
    static func storeRecords(_ db: Database, fileID fp: String, path: String, format: String, encoding: String,
                             records: [BibRecord], rejected: [InputError]) throws -> [BibRecord] {
        var stripped: [BibRecord] = []
        stripped.reserveCapacity(records.count)
        var rows: [StorableRecord] = []
        rows.reserveCapacity(records.count)
        for rec in records {
            var lean = rec
            lean.raw.tags = []
            rows.append(StorableRecord(rec, lean: lean))
            stripped.append(lean)
        }
        try storeRows(db, fileID: fp, path: path, format: format, encoding: encoding, rows: rows, rejected: rejected)
        return stripped
    }

    /// Stores records already made ready (`StorableRecord`): the file's row, one `bibRecord` row
    /// each (ordinal = position), and the rejected items. Values are bound straight
    /// (`PreparedInsert` says why), so the storing thread of a walk only copies bytes.
    static func storeRows(_ db: Database, fileID fp: String, path: String, format: String, encoding: String,
                          rows: [StorableRecord], rejected: [InputError]) throws {
        try db.execute(sql: "INSERT INTO bibFile (id, path, format, encoding, importedAt, records, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [fp, path, format, encoding, Date(), rows.count + rejected.count, rejected.count])
        var insert = try PreparedInsert(db, sql: """
            INSERT INTO bibRecord (fileId, ordinal, database, sourceId, line, endLine, json, raw, dedupTitle, dedupFamily, dedupYear, dedupDOI, dedupVersion)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (k, row) in rows.enumerated() {
            insert.bind(fp); insert.bind(k); insert.bind(row.database); insert.bind(row.sourceID)
            insert.bind(row.line); insert.bind(row.endLine)
            insert.bindBlob(row.json); insert.bindBlob(row.raw); insert.bindBlob(row.keys.title)
            insert.bind(row.keys.family); insert.bind(row.keys.year); insert.bind(row.keys.doi); insert.bind(DedupKeys.version)
            try insert.execute()
        }
        for e in rejected {
            try db.execute(sql: "INSERT INTO bibRejected (fileId, line, reason) VALUES (?, ?, ?)", arguments: [fp, e.location.line, e.message])
        }
    }

    static let insertArticleSQL = """
        INSERT INTO article (id, doi, title, year, sourceTitle, abstract, authorKeywords, indexKeywords, documentType, exclusion,
          authors, issn, eissn, volume, issue, pages, eid, ut, pmid, languages, rawDocumentType, citedBy, publisher,
          machineExclusion, exclusionReasons, hints, sourceCount, affiliations)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let insertArticleSourceSQL = "INSERT INTO articleSource (articleId, rank, fileId, ordinal, database, sourceId, path, line, endLine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"

    /// An `article` row's values (`insertArticleSQL`), with `exclusion` the effective one: what
    /// the rebuild's second thread makes (`ClusterPipeline`).
    static func articleValues(_ a: Article, exclusion effective: String?) -> [DatabaseValue] {
        let r = a.record
        let machine = a.verdict.exclusion?.rawValue
        let authors = r.authors.map { $0.given.isEmpty ? $0.family : "\($0.family), \($0.given)" }.joined(separator: "; ")
        // Each value converted where its type is known: an array of `any DatabaseValueConvertible`
        // boxed every value in an existential first (its witness calls showed in the rebuild's
        // cluster thread; perf, bench/acquisition round 8).
        func v<T: DatabaseValueConvertible>(_ x: T?) -> DatabaseValue { x?.databaseValue ?? .null }
        func joined(_ list: [String]) -> DatabaseValue { list.isEmpty ? .null : list.joined(separator: "; ").databaseValue }
        return [
            v(a.id), v(r.doi?.value), v(r.title), v(r.year), v(r.sourceTitle), v(r.abstract),
            joined(r.authorKeywords), joined(r.indexKeywords),
            v(r.documentType.rawValue), v(effective),
            authors.isEmpty ? .null : authors.databaseValue, v(r.issn), v(r.eissn), v(r.volume), v(r.issue), v(r.pages), v(r.eid), v(r.ut), v(r.pmid),
            joined(r.languages), v(r.rawDocumentType), v(r.citedBy), v(r.publisher),
            v(machine), joined(a.verdict.reasons.map(\.rawValue)), joined(a.verdict.hints), v(a.members.count),
            v(Self.affiliationsCell(r.affiliations)),
        ]
    }

    /// The `article.affiliations` cell: the record's affiliations deduplicated, one
    /// `Affiliation.line` a line; nil when the record has none.
    static func affiliationsCell(_ values: [String]) -> String? {
        let list = Affiliation.list(from: values)
        return list.isEmpty ? nil : list.map(\.line).joined(separator: "\n")
    }

    /// "include" undoes any exclusion; a reason code excludes.
    static func effectiveExclusion(machine: String?, decision: String?) -> String? {
        guard let decision else { return machine }
        return decision == "include" ? nil : decision
    }

    /// The newest exclusion decision per current article (decisions made under an id the article
    /// has since lost follow it through `ArticleAliases`), and the ids of decisions no article
    /// holds any more.
    static func latestExclusionDecisions(_ db: Database) throws -> (byArticle: [String: String], orphaned: [String]) {
        // Decisions are few and the list can be long: each decided id is resolved in the tables.
        var resolved: [String: String?] = [:]
        var out: [String: String] = [:]
        var orphaned: [String] = []
        let rows = try Row.fetchAll(db, sql: "SELECT subject, value FROM decision WHERE kind = 'exclusion' AND subject LIKE 'article:%' ORDER BY decidedAt, id")
        for row in rows {
            let subject: String = row["subject"]
            let id = String(subject.dropFirst("article:".count))
            // An empty value withdraws the decision (an undo on the review page): the rules hold again.
            let value: String = row["value"]
            if resolved[id] == nil { resolved[id] = .some(try ArticleAliases.resolve(id, in: db)) }
            if let article = resolved[id]! { out[article] = value.isEmpty ? nil : value } else if !orphaned.contains(id) { orphaned.append(id) }
        }
        return (out, orphaned)
    }
}
