import Bibliography
import Dispatch
import Foundation

/// The pages of a walk asked for ahead, in order, by a chain of requests on a serial queue: each
/// request's answer is read as far as its head (next cursor, item count) to decide whether to ask
/// for the next, at most `depth` pages ahead of the ones taken.
/// (`@unchecked Sendable`: `slots` and `active` under `lock`; `State` is the chain's alone.)
final class Lookahead: @unchecked Sendable {
    private let lock = NSCondition()
    private var slots: [(url: String, answer: ResultSlot<PageFetcher.Fetched, LiteratureFailure>)] = []
    private var stopped = false
    private var active = true
    private let room: DispatchSemaphore

    init(depth: Int) { room = DispatchSemaphore(value: max(1, depth)) }

    /// Where the walk stands as the chain sees it: what `PageFetcher.step` checks before it
    /// goes on, with the records kept counted at most (every item kept).
    struct State {
        var source: LiteratureAPI
        var max: Int?
        var cursor: String
        var number: Int
        var sent: Set<String>
        var seen: Set<String>
        var keptAtMost: Int

        /// The state of the next page when the walk surely goes on to it after this page (at
        /// `cursor`, with `head` and `fileID`); nil when it may not.
        func next(after head: APIPageHead, fileID: String) -> State? {
            guard head.items > 0, !seen.contains(fileID), let n = Self.following(head.nextCursor, after: cursor, source: source),
                  !Self.repeats(n, after: cursor, sent: sent, source: source) else { return nil }
            if let max, keptAtMost + head.items >= max { return nil }
            var s = self
            s.sent.insert(cursor)
            s.seen.insert(fileID)
            s.cursor = n
            s.number += 1
            s.keptAtMost += head.items
            return s
        }

        /// The cursor a page at `cursor` names as next, unless it ends the walk (Europe PMC's
        /// documented end: the same cursor back). Shared with `PageFetcher.step`.
        static func following(_ next: String?, after cursor: String, source: LiteratureAPI) -> String? {
            guard let n = next, !(n == cursor && source == .europepmc) else { return nil }
            return n
        }

        /// A paging loop by cursor: (OpenAlex) a cursor already used. Crossref's cursor is a
        /// scroll id that stays the same from page to page, so for it only a repeated page counts.
        static func repeats(_ next: String, after cursor: String, sent: Set<String>, source: LiteratureAPI) -> Bool {
            source == .openalex && (next == cursor || sent.contains(next))
        }
    }

    var isActive: Bool { lock.withLock { active || !slots.isEmpty } }

    /// The answer for `url` when it is the next page asked for; nil when it is not (the chain
    /// went another way or ended: the caller asks itself). Waits while the chain is still
    /// deciding whether to ask for it (reading the head of the page before).
    func take(_ url: String) -> ResultSlot<PageFetcher.Fetched, LiteratureFailure>? {
        lock.withLock {
            while slots.isEmpty && active && !stopped { lock.wait() }
            guard let first = slots.first, first.url == url else { return nil }
            slots.removeFirst()
            room.signal()
            return first.answer
        }
    }

    /// Asks for the page at `state` on `queue`, then for the ones after it while the walk
    /// surely goes on.
    func ask(_ state: State, urls: QueryURLs, session: LiteratureSession, query: LiteratureQuery, retrieved: String, on queue: DispatchQueue) {
        let url = urls.url(cursor: state.cursor)
        let slot = ResultSlot<PageFetcher.Fetched, LiteratureFailure>()
        guard lock.withLock({ () -> Bool in
            defer { lock.broadcast() }
            if stopped { active = false; return false }
            slots.append((url, slot))
            return true
        }) else { return }
        queue.async { [self] in
            let key = url + "#page=\(state.number)"
            let result = Result { () throws(LiteratureFailure) in PageFetcher.Fetched(try session.get(url, cacheKey: key), url: url) }
            slot.fill(result)
            // The next page only when this one is a 200 whose head says the walk goes on.
            var head: APIPageHead?
            if case .success(let f) = result, f.answer.status == 200 {
                let provenance = PageProvenance(url: url, query: query.displayName, retrieved: retrieved)
                _ = try? query.source.read(f.answer.body, provenance: provenance, parsed: f.parsed, head: { head = $0; return false })
            }
            guard case .success(let f) = result, let head, let next = state.next(after: head, fileID: f.fileID) else {
                lock.withLock { active = false; lock.broadcast() }
                return
            }
            // At most `depth` pages ahead of the ones taken.
            room.wait()
            ask(next, urls: urls, session: session, query: query, retrieved: retrieved, on: queue)
        }
    }

    /// No more pages are asked for (one waiting for room is let go).
    func stop() {
        lock.withLock { stopped = true; lock.broadcast() }
        room.signal()
    }
}
