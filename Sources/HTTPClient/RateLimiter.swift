import Foundation

/// Spaces requests to one host at least `1 / rate` seconds apart, across every thread of the
/// client. Slots are handed out under a lock and waited for outside it, so four transfers in
/// flight still start no faster than the host's polite rate.
final class RateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var nextSlot: [String: Double] = [:]

    /// Blocks until `host` may be asked again; returns at once when there is no limit.
    func wait(host: String, rate: Double?) {
        guard let rate, rate > 0 else { return }
        let interval = 1 / rate
        lock.lock()
        let now = Self.now()
        let slot = max(now, nextSlot[host] ?? now)
        nextSlot[host] = slot + interval
        lock.unlock()
        let delay = slot - now
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
