import Foundation

/// `(0..<count).map(body)` with at most `width` calls running at once, results in index order.
///
/// The one worker pool of the HTTP client and of the commands that drive it (`getAll`,
/// `literature fetch`). Threads, not `DispatchQueue.concurrentPerform`: the work waits on the
/// network, and concurrentPerform runs no more iterations at once than there are cores — on a
/// 2-core machine `--in-flight 4` would be 2.
public func boundedParallelMap<T: Sendable>(count: Int, width: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let workers = max(1, min(width, count))
    if workers == 1 { return (0..<count).map(body) }
    let next = IndexCounter()
    let slots = ResultSlots<T>(count: count)
    let group = DispatchGroup()
    for _ in 0..<workers {
        group.enter()
        Thread {
            while let i = next.take(below: count) { slots.set(i, body(i)) }
            group.leave()
        }.start()
    }
    group.wait()
    return slots.all()
}

/// Hands out 0, 1, 2, … to the workers, each index once.
private final class IndexCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// One slot per index, filled by whichever worker took it.
private final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); slots[i] = value; lock.unlock() }
    func all() -> [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}
