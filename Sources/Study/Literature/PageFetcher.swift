import Bibliography
import Core
import Foundation
import HTTPClient

/// The fetching half of a cursor walk: it asks for each page, reads it, and hands it to the
/// walk (which stores it and caches its response) through a `PageHandoff`, running on a thread
/// of its own.
///
/// Why a second thread: a page names the next, so the walk cannot ask for several pages at once,
/// but it can ask for (and read) page n+1 while page n is being stored. On the 2-core machine
/// that overlaps the HTTP and JSON work with SQLite's (bench/acquisition, docs/performance.md
/// "Round 4"). Everything the fetcher decides depends only on the pages' bytes — the next cursor,
/// a paging loop, a changed hit count, `--max` — so it can run ahead; storing stays on the walk's
/// thread, in page order (pages in quick succession share a transaction: `walk`). The fetcher never touches
/// the database. (`@unchecked Sendable`: once started, its state is its thread's alone.)
final class PageFetcher: @unchecked Sendable {
    /// One page, read and judged, ready to be stored.
    struct Page {
        var number: Int
        var url: String
        var cursor: String
        /// The cursor stored as the page's next (nil when the walk ends at it, or loops).
        var storedNext: String?
        var fileID: String
        var format: String
        /// The records kept, made ready to store here rather than on the storing thread, which
        /// bounds the walk (`StorableRecord` says why).
        var rows: [StorableRecord]
        var rejected: [InputError]
        var items: Int
        /// Records the service sent in the page (before `--max` or an issue filter kept fewer).
        var found: Int
        var total: Int?
        /// Records this walk has kept up to and including this page.
        var keptSoFar: Int
        /// Said about this page before it is stored (a changed hit count, rejected items).
        var warnings: [String]
        var rejections: [String]
        /// Set when the page repeats the walk (a paging loop): the walk fails after storing it.
        var loopMessage: String?
        /// The response the page was read from, cached by the storing thread when it takes the
        /// page (`LiteratureSession.remember`): writing the cache's files was ~10 % of the fetching
        /// thread (perf, docs/performance.md "Round 6"), which bounds the walk once it reads ahead.
        var response: LiteratureSession.Answer
    }

    /// Pages read ahead of the one being stored. The walk stores pages in bursts (pages that
    /// come in quick succession share a transaction), and with one page of room the fetcher
    /// stood still through each burst: it was busy 60–70 % of the walk, ~87 % with eight
    /// (bench/acquisition/threads.py, round 7). Eight pages of at most 200
    /// records and their response bodies are a few megabytes; walks in flight share them.
    static let pagesAhead = 8

    /// Pages asked for ahead of the one being read (`Lookahead`), shared like `pagesAhead` by the
    /// walks running at once: with four walks of four each, a search's peak RSS came to 97 MB.
    static let requestsAhead = 4
    private let requestsAhead: Int

    /// What the fetcher hands over, in order; `.finished` and `.failed` are last.
    enum Event {
        case page(Page)
        /// The walk is complete. `countedPage`: a last (empty) page was read and counts in
        /// `pages`. `warning`: said before finishing (`--max`).
        case finished(total: Int?, countedPage: Bool, warning: String?)
        /// The walk stops here; pages handed over before are stored by the walk first.
        case failed(String)
    }

    private let query: LiteratureQuery
    private let session: LiteratureSession
    private let urls: QueryURLs
    private let retrieved: String
    private var cursor: String
    private var number: Int
    private var sent: Set<String>
    private var seenPages: Set<String>
    private var firstTotal: Int?
    private var keptSoFar: Int
    /// Pages asked for ahead (`Lookahead`), while this thread reads the pages before them.
    private var lookahead: Lookahead?

    /// A response with what is worked out from its bytes alone: the stored file's id (a hash of
    /// every byte) and, for a 200, the body read as JSON. For a page asked for ahead both are
    /// made on the thread that fetched it, while this thread maps the page before: they were
    /// ~18 % of this thread, which bounds the walk (perf, docs/performance.md round 8).
    struct Fetched {
        var answer: LiteratureSession.Answer
        var fileID: String
        var parsed: ParsedBody?

        init(_ answer: LiteratureSession.Answer, url: String) {
            self.answer = answer
            fileID = "http:" + FNV1a.hex(answer.body) + ":" + String(answer.body.count)
            parsed = answer.status == 200 ? ParsedBody(answer.body, url: url) : nil
        }
    }
    private let aheadQueue = DispatchQueue(label: "lostdata.walk.ahead")

    init(query: LiteratureQuery, session: LiteratureSession, urls: QueryURLs, cursor: String, number: Int,
         sentCursors: Set<String>, seenPages: Set<String>, firstTotal: Int?, keptSoFar: Int, retrieved: String, requestsAhead: Int) {
        self.query = query
        self.session = session
        self.urls = urls
        self.cursor = cursor
        self.number = number
        self.sent = sentCursors
        self.seenPages = seenPages
        self.firstTotal = firstTotal
        self.keptSoFar = keptSoFar
        self.retrieved = retrieved
        self.requestsAhead = requestsAhead
    }

    /// Fetches pages until the walk ends, fails, or the handoff is cancelled.
    func run(into handoff: PageHandoff<Event>) {
        defer {
            // Pages asked for ahead and not taken (the walk stopped or failed): the chain stops and
            // its request in progress is waited for, so that once the handoff closes no request
            // of this walk is still running.
            stopLookahead()
            handoff.close()
        }
        while true {
            for event in step() {
                guard handoff.put(event) else { return }
                switch event {
                case .page(let p) where p.loopMessage == nil: continue
                default: return   // a loop, a finish or a failure ends the walk
                }
            }
        }
    }

    /// The next page of the walk, and its end when it is the last: a page, a page then
    /// `.finished`, `.finished` or `.failed`.
    private func step() -> [Event] {
        if let max = query.max, keptSoFar >= max {
            return [.finished(total: firstTotal, countedPage: false, warning: "stopped at --max \(max) records")]
        }
        let url = urls.url(cursor: cursor)
        let fetched: Fetched
        do throws(LiteratureFailure) {
            if let slot = lookahead?.take(url) { fetched = try slot.wait().get() } else {
                stopLookahead()
                fetched = Fetched(try session.get(url, cacheKey: url + "#page=\(number)"), url: url)
            }
        } catch { return [.failed(error.description)] }
        let answer = fetched.answer, fileID = fetched.fileID
        guard answer.status == 200 else {
            let text = String(decoding: answer.body.prefix(200), as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
            return [.failed("\(url): HTTP \(answer.status)\(text.isEmpty ? "" : ": " + text) — the request was refused as written; check the query (not retried)")]
        }
        let provenance = PageProvenance(url: url, query: query.displayName, retrieved: retrieved)
        let askAhead = { (head: APIPageHead) -> Bool in self.askAhead(after: head, fileID: fileID); return true }
        var page: APIPage
        do {
            page = try query.source.read(answer.body, provenance: provenance, parsed: fetched.parsed, head: askAhead)
        } catch {
            return [.failed("\(error.location.file): \(error.message) (page \(number); pages before it are stored and the next run resumes here)")]
        }
        if page.itemCount == 0 {
            session.remember(answer)
            return [.finished(total: firstTotal ?? page.total, countedPage: true, warning: nil)]
        }
        var warnings: [String] = []
        if let t = page.total {
            if let f = firstTotal, f != t {
                warnings.append("the hit count changed from \(f) to \(t) at page \(number) (a live index); what arrived is stored")
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
        let rejections = page.rejected.map { "\($0.location): \($0.message)" }
        warnings += rejections
        let next = following(page.nextCursor)
        let repeatedCursor = next.map(repeats) ?? false
        let loop = seenPages.contains(fileID) || repeatedCursor
        keptSoFar += records.count
        var out = Page(number: number, url: url, cursor: cursor, storedNext: loop ? nil : next, fileID: fileID,
                       format: "\(query.source.rawValue)-api", rows: records.map { StorableRecord($0) }, rejected: page.rejected,
                       items: page.itemCount, found: page.records.count, total: page.total, keptSoFar: keptSoFar, warnings: warnings, rejections: rejections,
                       response: answer)
        if loop {
            let what = repeatedCursor ? "sent back cursor '\(next!.prefix(40))', which this walk already used" : "sent a page identical to an earlier page of this walk"
            out.loopMessage = "\(url): the service \(what) (a paging loop); stopped after page \(number) — the pages so far are stored"
        }
        sent.insert(cursor)
        seenPages.insert(fileID)
        if loop { return [.page(out)] }
        // No next cursor: this page is the last; the walk finishes once it is stored.
        guard let n = next else { return [.page(out), .finished(total: firstTotal, countedPage: false, warning: nil)] }
        cursor = n
        number += 1
        return [.page(out)]
    }

    /// The cursor this page names as next, unless it ends the walk.
    private func following(_ next: String?) -> String? {
        Lookahead.State.following(next, after: cursor, source: query.source)
    }

    /// A paging loop by cursor (a repeated page is the other kind: `step`).
    private func repeats(_ next: String) -> Bool {
        Lookahead.State.repeats(next, after: cursor, sent: sent, source: query.source)
    }

    /// Starts asking for the pages after this one on another thread while this page's items are
    /// read, unless pages are being asked for already: the chain (`Lookahead`) asks for a page,
    /// reads its head, and goes on to the next while this thread maps the pages before. Why: a
    /// page names the next, so the fetching thread waited for each response before reading it —
    /// with one page asked for ahead it still waited 14–19 % of the walk (bench/acquisition,
    /// round 8). Only requests the walk would make next are made early: each page asked for has
    /// items, names a next cursor that is no loop, is not a repeat, and leaves room under `--max`
    /// even if every item is kept (`Lookahead.State.next`); where that cannot be told, the chain
    /// stops and this thread asks itself, as before.
    private func askAhead(after head: APIPageHead, fileID: String) {
        guard lookahead?.isActive != true else { return }
        let state = Lookahead.State(source: query.source, max: query.max, cursor: cursor, number: number, sent: sent, seen: seenPages, keptAtMost: keptSoFar)
        guard let first = state.next(after: head, fileID: fileID) else { return }
        stopLookahead()
        let chain = Lookahead(depth: requestsAhead)
        lookahead = chain
        chain.ask(first, urls: urls, session: session, query: query, retrieved: retrieved, on: aheadQueue)
    }

    private func stopLookahead() {
        guard let chain = lookahead else { return }
        chain.stop()
        aheadQueue.sync {}   // the chain's request in progress, if any, is over
        lookahead = nil
    }
}

/// A bounded, ordered handoff between one producing thread and one consuming thread.
final class PageHandoff<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private let capacity: Int
    private var closed = false
    private var cancelled = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Waits for room; false when the consumer cancelled (the element is dropped).
    func put(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    /// The producer has nothing more.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, waiting for it; nil once the producer closed and all were taken.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        condition.broadcast()
        return items.removeFirst()
    }

    /// What `take(waitingAtMost:)` found.
    enum Taken {
        case element(Element)
        /// The producer closed and every element was taken.
        case closed
        /// Nothing came within the time given.
        case timedOut
    }

    /// The next element if one comes within `seconds`.
    func take(waitingAtMost seconds: Double) -> Taken {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed {
            if !condition.wait(until: deadline) { break }
        }
        if items.isEmpty { return closed ? .closed : .timedOut }
        condition.broadcast()
        return .element(items.removeFirst())
    }

    /// The consumer stops: the producer's next `put` returns false. Waits until it closed — at
    /// worst the end of the request in progress, whose timeouts and retries bound the wait.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        while !closed { condition.wait() }
        condition.unlock()
    }

    /// Waits until the producer closed (its thread is done with the session).
    func waitClosed() {
        condition.lock()
        while !closed { condition.wait() }
        condition.unlock()
    }
}
