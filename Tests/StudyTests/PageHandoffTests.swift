import Foundation
import XCTest
@testable import Study

/// The handoff between a cursor walk's fetching thread and the thread that stores its pages
/// (`PageFetcher`): pages arrive in order, the fetcher runs at most `capacity` pages ahead, and a
/// walk whose storing failed stops its fetcher instead of leaving it blocked.
final class PageHandoffTests: XCTestCase {
    func testElementsArriveInOrderAndTheProducerWaitsForRoom() {
        let handoff = PageHandoff<Int>(capacity: 1)
        let produced = Counter()
        Thread {
            for i in 0..<50 {
                guard handoff.put(i) else { return }
                produced.increment()
            }
            handoff.close()
        }.start()
        // Nothing taken yet: the producer holds one element and waits for room for the next.
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(produced.value, 1, "capacity 1: one element ahead, no more")
        var taken: [Int] = []
        while let i = handoff.take() { taken.append(i) }
        XCTAssertEqual(taken, Array(0..<50))
    }

    /// The walk's batching asks "is the next page right there?": a timed take answers with the
    /// element, with a time-out when nothing came, and with closed once everything was taken.
    func testTimedTakeTellsElementTimeOutAndClosed() {
        let handoff = PageHandoff<Int>(capacity: 1)
        let start = Date()
        guard case .timedOut = handoff.take(waitingAtMost: 0.1) else { return XCTFail("nothing was put") }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.09, "it waited")
        Thread {
            Thread.sleep(forTimeInterval: 0.05)
            _ = handoff.put(7)
            handoff.close()
        }.start()
        guard case .element(let e) = handoff.take(waitingAtMost: 5) else { return XCTFail("the element came within the wait") }
        XCTAssertEqual(e, 7)
        handoff.waitClosed()
        guard case .closed = handoff.take(waitingAtMost: 5) else { return XCTFail("closed and empty") }
    }

    func testCancelUnblocksAWaitingProducer() {
        let handoff = PageHandoff<Int>(capacity: 1)
        let refused = Counter()
        Thread {
            for i in 0..<10 where !handoff.put(i) { refused.increment(); break }
            handoff.close()
        }.start()
        XCTAssertEqual(handoff.take(), 0)
        // Returns only once the producer has closed: it must not wait forever for room.
        handoff.cancelAndWait()
        XCTAssertEqual(refused.value, 1, "the producer's next put is refused after a cancel")
        XCTAssertNil(handoff.take())
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func increment() { lock.lock(); n += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }
}
