import Bibliography
import Core
import Foundation
import GRDB
import HTTPClient

/// What one query's `literature search` did.
public struct LiteratureSearchReport: Sendable {
    public var name: String
    public var key: String
    public var source: LiteratureAPI
    /// Records the service sent in this run (items of the pages read).
    public var found = 0
    /// Records stored in this run (a page whose bytes were stored before adds none).
    public var stored = 0
    /// Articles that did not exist in the list before this run.
    public var new = 0
    /// Stored records that joined an article (an earlier one, or another record of this run).
    public var merged = 0
    /// Articles holding this run's records that are excluded (after people's decisions).
    public var excluded = 0
    public var pages = 0
    /// The page number the walk resumed at, when an earlier run had stored pages.
    public var resumedAtPage: Int?
    public var total: Int?
    /// complete, walking (stopped early), failed.
    public var state = "walking"
    public var alreadyComplete = false
    public var warnings: [String] = []
    /// Records a page carried that could not be read (also among `warnings`): `run` counts them
    /// as rejected input.
    public var rejections: [String] = []
    public var error: String?
}

extension Study {
    /// Runs each query's cursor walk, storing page by page (one transaction each: a killed run
    /// keeps every finished page and resumes after the last), then rebuilds the article list
    /// once — the same rebuild `bib import` runs, with the same deduplication and exclusions.
    public func searchLiterature(_ queries: [LiteratureQuery], options: LiteratureOptions = .init(),
                                 progress: any ProgressReporter = SilentProgress()) throws -> [LiteratureSearchReport] {
        let session = LiteratureSession(study: self, options: options)
        // Each query's cursor walk is sequential (a page names the next), so transfers in
        // flight are queries walked at once; their pages are stored as they come (SQLite
        // serialises the writes).
        let study = self
        let walked = boundedParallelMap(count: queries.count, width: session.inFlight) { i -> Result<(LiteratureSearchReport, [String]), any Error> in
            Result {
                var fileIDs: [String] = []
                let report = try study.walk(queries[i], session: session, fileIDs: &fileIDs, progress: progress)
                return (report, fileIDs)
            }
        }
        var reports: [LiteratureSearchReport] = []
        var files: [[String]] = []
        for w in walked {
            let (report, fileIDs) = try w.get()
            reports.append(report)
            files.append(fileIDs)
        }
        progress.finish()
        guard files.contains(where: { !$0.isEmpty }) else { return reports }
        let (dedup, rules) = bibliographyPipeline
        return try runStage("bibliography") { db in
            // The list before the walk's records join it (the walk stores records, not articles),
            // kept in SQLite: a list of 200,000 ids held as a Set was ~20 MB.
            try db.execute(sql: "DROP TABLE IF EXISTS temp.articleBefore; CREATE TEMP TABLE articleBefore (id TEXT PRIMARY KEY); INSERT INTO articleBefore SELECT id FROM article")
            defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.articleBefore") }
            // The bounded rebuild: a walk can store far more records than fit in memory as records.
            let list = try rebuildArticleListBounded(db, deduplicator: dedup, rules: rules)
            for (i, ids) in files.enumerated() where !ids.isEmpty {
                let marks = databaseQuestionMarks(count: ids.count)
                let row = try Row.fetchOne(db, sql: """
                    SELECT COUNT(*), COUNT(*) FILTER (WHERE id NOT IN articleBefore), COUNT(exclusion) FROM
                      (SELECT DISTINCT a.id, a.exclusion FROM articleSource s JOIN article a ON a.id = s.articleId WHERE s.fileId IN (\(marks)))
                    """, arguments: StatementArguments(ids))!
                reports[i].new = row[1]
                reports[i].merged = Swift.max(0, reports[i].stored - reports[i].new)
                reports[i].excluded = row[2]
            }
            let summary = "{\"records\":\(list.records),\"unique\":\(list.articles),\"literature\":true}"
            return (reports, summary: summary)
        }
    }

    private func walk(_ query: LiteratureQuery, session: LiteratureSession, fileIDs: inout [String],
                      progress: any ProgressReporter) throws -> LiteratureSearchReport {
        var report = LiteratureSearchReport(name: query.displayName, key: query.key, source: query.source)
        if let p = query.problem() { report.state = "failed"; report.error = p; return report }
        let key = query.key
        struct Stored { var number: Int; var cursor: String; var next: String?; var kept: Int; var total: Int?; var fileID: String }
        let (state, pages): (String?, [Stored]) = try database.read { db in
            let state = try String.fetchOne(db, sql: "SELECT state FROM literatureQuery WHERE key = ?", arguments: [key])
            let pages = try Row.fetchAll(db, sql: "SELECT number, cursor, nextCursor, kept, total, fileId FROM literaturePage WHERE queryKey = ? ORDER BY number",
                                         arguments: [key]).map { Stored(number: $0["number"], cursor: $0["cursor"], next: $0["nextCursor"], kept: $0["kept"], total: $0["total"], fileID: $0["fileId"]) }
            return (state, pages)
        }
        if state == "complete" && !session.options.refresh {
            report.alreadyComplete = true
            report.state = "complete"
            report.total = pages.first?.total
            return report
        }
        var stored = pages
        if state == "complete" {
            // --refresh: walk again from the start; pages whose bytes are stored add nothing.
            try database.write { db in try db.execute(sql: "DELETE FROM literaturePage WHERE queryKey = ?", arguments: [key]) }
            stored = []
        }
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO literatureQuery (key, name, source, baseline, state, startedAt) VALUES (?, ?, ?, ?, 'walking', ?)
                ON CONFLICT(key) DO UPDATE SET name = excluded.name, baseline = excluded.baseline, state = 'walking', lastError = NULL, finishedAt = NULL
                """, arguments: [key, query.displayName, query.source.rawValue, query.baseline, Date()])
        }
        var urls = QueryURLs(query: query, base: session.endpoint(query.source))
        func fail(_ message: String) throws -> LiteratureSearchReport {
            report.state = "failed"
            report.error = message
            try database.write { db in
                try db.execute(sql: "UPDATE literatureQuery SET state = 'failed', lastError = ? WHERE key = ?", arguments: [message, key])
            }
            return report
        }
        // OpenAlex's `cites:` takes work ids; DOIs are looked up first.
        for cited in query.cites {
            if cited.uppercased().hasPrefix("W") { urls.citedIDs.append(cited.uppercased()); continue }
            let url = QueryURLs.openAlexWork(base: session.endpoint(.openalex), doi: DOI(cited)?.value ?? cited)
            let answer: LiteratureSession.Answer
            do throws(LiteratureFailure) { answer = try session.get(url) } catch { return try fail(error.description) }
            guard answer.status == 200 else { return try fail("\(url): HTTP \(answer.status) looking up the cited work \(cited); is the DOI right?") }
            let page: APIPage
            do { page = try OpenAlexWorks.read(answer.body, provenance: PageProvenance(url: url, query: query.displayName, retrieved: "")) } catch {
                return try fail("\(url): \(error.message)")
            }
            guard let id = page.records.first?.source.id else { return try fail("\(url): no OpenAlex work for \(cited)") }
            session.remember(answer)
            urls.citedIDs.append(id)
        }

        var cursor = "*"
        var number = 1
        var sent = Set(stored.map(\.cursor))
        var seenPages = Set(stored.map(\.fileID))
        var firstTotal = stored.first?.total
        var keptSoFar = stored.reduce(0) { $0 + $1.kept }
        if let last = stored.last {
            guard let next = last.next else { return try finish(&report, key: key, total: firstTotal) }
            cursor = next
            number = last.number + 1
            report.resumedAtPage = number
        }
        let retrieved = ISO8601DateFormatter().string(from: Date())
        while true {
            if let max = query.max, keptSoFar >= max {
                report.warnings.append("stopped at --max \(max) records")
                return try finish(&report, key: key, total: firstTotal)
            }
            let url = urls.url(cursor: cursor)
            let answer: LiteratureSession.Answer
            do throws(LiteratureFailure) { answer = try session.get(url, cacheKey: url + "#page=\(number)") } catch { return try fail(error.description) }
            guard answer.status == 200 else {
                let text = String(decoding: answer.body.prefix(200), as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
                return try fail("\(url): HTTP \(answer.status)\(text.isEmpty ? "" : ": " + text) — the request was refused as written; check the query (not retried)")
            }
            let provenance = PageProvenance(url: url, query: query.displayName, retrieved: retrieved)
            var page: APIPage
            do {
                switch query.source {
                case .openalex: page = try OpenAlexWorks.read(answer.body, provenance: provenance)
                case .crossref: page = try CrossrefWorks.read(answer.body, provenance: provenance)
                case .europepmc: page = try EuropePMCSearch.read(answer.body, provenance: provenance)
                }
            } catch {
                return try fail("\(error.location.file): \(error.message) (page \(number); pages before it are stored and the next run resumes here)")
            }
            session.remember(answer)
            report.pages += 1
            report.found += page.records.count
            if page.itemCount == 0 {
                return try finish(&report, key: key, total: firstTotal ?? page.total)
            }
            if let t = page.total {
                if let f = firstTotal, f != t {
                    report.warnings.append("the hit count changed from \(f) to \(t) at page \(number) (a live index); what arrived is stored")
                }
                if firstTotal == nil { firstTotal = t }
            }
            var records = page.records
            if query.source == .crossref, query.issn != nil {
                records = records.filter { r in
                    (query.volume == nil || r.volume == query.volume) && (query.issue == nil || r.issue == query.issue)
                }
            }
            if let max = query.max, keptSoFar + records.count > max { records = Array(records.prefix(max - keptSoFar)) }
            for e in page.rejected {
                report.warnings.append("\(e.location): \(e.message)")
                report.rejections.append("\(e.location): \(e.message)")
            }
            let fileID = "http:" + FNV1a.hex(answer.body) + ":" + String(answer.body.count)
            var next = page.nextCursor
            if let n = next, n == cursor, query.source == .europepmc { next = nil }   // Europe PMC's documented end
            // A paging loop: the same page bytes again, or (OpenAlex) a cursor already used.
            // Crossref's cursor is a scroll id that stays the same from page to page, so for it
            // only a repeated page counts.
            let repeatedCursor = query.source == .openalex && (next.map { $0 == cursor || sent.contains($0) } ?? false)
            let loop = seenPages.contains(fileID) || repeatedCursor
            let pageNumber = number, sentCursor = cursor, kept = records.count, items = page.itemCount, total = page.total
            let format = "\(query.source.rawValue)-api"
            let newlyStored: Int = try database.write { db in
                var added = 0
                if try String.fetchOne(db, sql: "SELECT id FROM bibFile WHERE id = ?", arguments: [fileID]) == nil {
                    _ = try Self.storeRecords(db, fileID: fileID, path: url, format: format, encoding: "utf-8", records: records, rejected: page.rejected)
                    added = records.count
                }
                try db.execute(sql: """
                    INSERT INTO literaturePage (queryKey, number, cursor, nextCursor, url, fileId, items, kept, total, fetchedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [key, pageNumber, sentCursor, loop ? nil : next, url, fileID, items, kept, total, Date()])
                try db.execute(sql: "UPDATE literatureQuery SET total = COALESCE(total, ?) WHERE key = ?", arguments: [total, key])
                return added
            }
            if newlyStored == 0 && kept > 0 { report.warnings.append("page \(pageNumber) holds the same bytes as a page stored before; nothing added") }
            fileIDs.append(fileID)
            report.stored += newlyStored
            keptSoFar += kept
            sent.insert(cursor)
            seenPages.insert(fileID)
            progress.report(done: keptSoFar, total: query.max ?? firstTotal ?? 0, unit: "records")
            if loop {
                let what = repeatedCursor ? "sent back cursor '\(next!.prefix(40))', which this walk already used" : "sent a page identical to an earlier page of this walk"
                return try fail("\(url): the service \(what) (a paging loop); stopped after page \(pageNumber) — the pages so far are stored")
            }
            guard let n = next else { return try finish(&report, key: key, total: firstTotal) }
            cursor = n
            number += 1
        }
    }

    private func finish(_ report: inout LiteratureSearchReport, key: String, total: Int?) throws -> LiteratureSearchReport {
        report.state = "complete"
        report.total = total
        try database.write { db in
            try db.execute(sql: "UPDATE literatureQuery SET state = 'complete', finishedAt = ?, total = COALESCE(total, ?) WHERE key = ?",
                           arguments: [Date(), total, key])
        }
        return report
    }
}
