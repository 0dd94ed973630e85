import Foundation

/// Which answers are worth another attempt and how long to wait first.
///
/// Retried: 429 and 5xx (the service is busy or broken for a moment), timeouts and broken
/// connections. Not retried: any other 4xx (the request itself is wrong; asking again gives the
/// same answer), DNS failures and refused connections (a wrong endpoint does not heal), TLS.
struct RetryPolicy: Sendable {
    var maxAttempts: Int
    var backoffBase: Double
    var maxRetryAfter: Double

    static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }

    static func isRetryable(_ kind: HTTPFailure.Kind) -> Bool {
        kind == .timeout || kind == .connectionReset || kind == .transport
    }

    /// Exponential backoff with "equal jitter": half the doubled delay fixed, half random, so
    /// that clients failing together do not retry together.
    func backoff(afterAttempt attempt: Int) -> Double {
        let full = min(maxRetryAfter, backoffBase * pow(2, Double(attempt - 1)))
        return full / 2 + Double.random(in: 0...(full / 2))
    }

    /// `Retry-After` in seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3).
    static func retryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        // delay-seconds is 1*DIGIT: "nan", "inf", "-5" or "1e3" are not delays. A number too
        // long for a Double is a wait longer than any command makes.
        if v.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return min(Double(v) ?? .greatestFiniteMagnitude, .greatestFiniteMagnitude) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let d = f.date(from: v) else { return nil }
        return max(0, d.timeIntervalSince(now))
    }
}
