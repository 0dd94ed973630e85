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
    /// Runs each query's cursor walk, storing page by page (pages in quick succession share a
    /// transaction, each page within 0.25 s: a killed run keeps every stored page and resumes
    /// after the last, reading the pages it lost back from the HTTP cache), then rebuilds the article list
    /// once — the same rebuild `bib import` runs, with the same deduplication and exclusions.
    public func searchLiterature(_ queries: [LiteratureQuery], options: LiteratureOptions = .init(),
                                 progress: any ProgressReporter = SilentProgress()) throws -> [LiteratureSearchReport] {
        let session = LiteratureSession(study: self, options: options)
        // Each query's cursor walk is sequential (a page names the next), so transfers in
        // flight are queries walked at once; their pages are stored as they come (SQLite
        // serialises the writes).
        let study = self
        // Walks at once: what each may hold ahead is a share of what one walk alone may hold.
        let walksAtOnce = Swift.min(session.inFlight, Swift.max(1, queries.count))
        let walked = boundedParallelMap(count: queries.count, width: session.inFlight) { i -> Result<(LiteratureSearchReport, [String]), any Error> in
            Result {
                var fileIDs: [String] = []
                let report = try study.walk(queries[i], session: session, sharedBy: walksAtOnce, fileIDs: &fileIDs, progress: progress)
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
        // The walks' freed pages and records stay in the allocator's arenas (one per thread that
        // read or stored them), and the rebuild's own memory came on top of them: the search's
        // peak RSS was the walk's heap plus the rebuild's, 93 MB for 229,578 records. Handing the
        // free memory back first took the peak to 83 MB (bench/acquisition, round 7).
        ReturnFreeMemory.now()
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

    /// `sharedBy`: the walks running at once, which share the look-ahead and the records
    /// waiting to be committed (memory stays what one walk holds).
    private func walk(_ query: LiteratureQuery, session: LiteratureSession, sharedBy walksAtOnce: Int, fileIDs: inout [String],
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
        if let last = stored.last {
            guard let next = last.next else { return try finish(&report, key: key, total: stored.first?.total) }
            cursor = next
            number = last.number + 1
            report.resumedAtPage = number
        }
        // Pages are fetched and read on a thread of their own, up to `PageFetcher.pagesAhead`
        // pages ahead, while this thread stores them in order (PageFetcher says why).
        let fetcher = PageFetcher(query: query, session: session, urls: urls, cursor: cursor, number: number,
                                  sentCursors: Set(stored.map(\.cursor)), seenPages: Set(stored.map(\.fileID)),
                                  firstTotal: stored.first?.total, keptSoFar: stored.reduce(0) { $0 + $1.kept },
                                  retrieved: ISO8601DateFormatter().string(from: Date()),
                                  requestsAhead: max(1, PageFetcher.requestsAhead / walksAtOnce))
        let handoff = PageHandoff<PageFetcher.Event>(capacity: max(2, PageFetcher.pagesAhead / walksAtOnce))
        Thread { fetcher.run(into: handoff) }.start()
        var firstTotal = stored.first?.total
        // Pages that come in quick succession are stored together, in one transaction: each
        // commit costs SQLite's journal syncs (4 `fdatasync` a page), which were about a third of
        // storing a fast walk. A page waits at most `commitWithin` seconds, and not at all when
        // the next one is not right there (a real service's latency), so a kill loses at most
        // that much — and those pages are in the HTTP cache, so the re-run reads them back from
        // it (pages still read ahead, at most `PageFetcher.pagesAhead`, are asked again). At most
        // `batchRecords` records wait, shared by the walks at once (a record ready to store is a
        // few KB: 0.25 s of a fast walk held ~40 MB). Order, one place in the walk per page and
        // resuming after the last stored page are as before.
        let commitWithin = 0.25, nextWithin = 0.02, batchRecords = max(200, 1_000 / walksAtOnce)
        var pending: [PageFetcher.Page] = []
        var pendingSince = Date()
        func flush() throws {
            guard !pending.isEmpty else { return }
            let added = try store(pending, key: key)
            for (page, newlyStored) in zip(pending, added) {
                if newlyStored == 0 && !page.rows.isEmpty {
                    report.warnings.append("page \(page.number) holds the same bytes as a page stored before; nothing added")
                }
                fileIDs.append(page.fileID)
                report.stored += newlyStored
                if firstTotal == nil { firstTotal = page.total }
                progress.report(done: page.keptSoFar, total: query.max ?? firstTotal ?? 0, unit: "records")
            }
            pending = []
        }
        do {
            while true {
                let event: PageFetcher.Event
                if pending.isEmpty {
                    guard let e = handoff.take() else { break }
                    event = e
                } else {
                    let wait = min(nextWithin, commitWithin - Date().timeIntervalSince(pendingSince))
                    switch handoff.take(waitingAtMost: max(0, wait)) {
                    case .element(let e): event = e
                    case .closed: try flush(); continue
                    case .timedOut: try flush(); continue
                    }
                }
                switch event {
                case .finished(let total, let countedPage, let warning):
                    try flush()
                    if countedPage { report.pages += 1 }
                    if let warning { report.warnings.append(warning) }
                    handoff.waitClosed()
                    return try finish(&report, key: key, total: total)
                case .failed(let message):
                    try flush()
                    handoff.waitClosed()
                    return try fail(message)
                case .page(let page):
                    // Its response goes to the HTTP cache as it is taken, on this thread rather than
                    // the fetching one (PageFetcher.Page.response), so pages waiting to be committed
                    // are in the cache; those still read ahead are fetched again after a kill.
                    session.remember(page.response)
                    report.pages += 1
                    report.found += page.found
                    report.warnings += page.warnings
                    report.rejections += page.rejections
                    if pending.isEmpty { pendingSince = Date() }
                    pending.append(page)
                    if let loop = page.loopMessage {
                        try flush()
                        handoff.waitClosed()
                        return try fail(loop)
                    }
                    if Date().timeIntervalSince(pendingSince) >= commitWithin || pending.reduce(0, { $0 + $1.rows.count }) >= batchRecords {
                        try flush()
                    }
                }
            }
            try flush()
            // The fetcher always ends with a finish, a failure or a loop page.
            return try fail("the walk stopped without an end (an internal error); run the command again to resume")
        } catch {
            handoff.cancelAndWait()
            throw error
        }
    }

    /// Stores pages in one transaction — each page's records (unless a page with the same bytes
    /// was stored before) and its place in the walk — and returns how many records each added.
    private func store(_ pages: [PageFetcher.Page], key: String) throws -> [Int] {
        try database.write { db in
            var added: [Int] = []
            for page in pages {
                if try String.fetchOne(db, sql: "SELECT id FROM bibFile WHERE id = ?", arguments: [page.fileID]) == nil {
                    try Self.storeRows(db, fileID: page.fileID, path: page.url, format: page.format, encoding: "utf-8",
                                       rows: page.rows, rejected: page.rejected)
                    added.append(page.rows.count)
                } else {
                    added.append(0)
                }
                try db.execute(sql: """
                    INSERT INTO literaturePage (queryKey, number, cursor, nextCursor, url, fileId, items, kept, total, fetchedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [key, page.number, page.cursor, page.storedNext, page.url, page.fileID, page.items, page.rows.count, page.total, Date()])
                try db.execute(sql: "UPDATE literatureQuery SET total = COALESCE(total, ?) WHERE key = ?", arguments: [page.total, key])
            }
            return added
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
