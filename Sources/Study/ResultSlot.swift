import Dispatch

/// A result that one thread fills once and another waits for: a batch of the rebuild's clusters
/// (`ClusterPipeline`), the next page of a walk asked for ahead (`PageFetcher`).
/// (`@unchecked Sendable`: `result` is written once, before the semaphore's signal, and read
/// after its wait.)
final class ResultSlot<Success, Failure: Error>: @unchecked Sendable {
    private var result: Result<Success, Failure>?
    private let done = DispatchSemaphore(value: 0)

    func fill(_ r: Result<Success, Failure>) {
        result = r
        done.signal()
    }

    /// Waits until filled; once only.
    func wait() -> Result<Success, Failure> {
        done.wait()
        return result!
    }
}
