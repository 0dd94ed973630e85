import Foundation

/// GET over libcurl with the manners the scholarly APIs ask for: a User-Agent with a contact,
/// a per-host rate limit, Retry-After honoured, backoff with jitter on 5xx, timeouts and
/// resets, no retry on other 4xx. It knows HTTP, not scholarship: what a page means is the
/// readers' business, what to ask next the Study's.
///
/// Several transfers run in flight on a bounded pool of threads, each with its own reused easy
/// handle (libcurl handles must not be shared between threads at once).
public final class HTTPClient: @unchecked Sendable {
    public let settings: ClientSettings
    private let limiter = RateLimiter()
    private let poolLock = NSLock()
    private var idle: [CurlTransfer] = []
    /// Called before each wait for a retry, so a command can say why it pauses.
    public var onRetry: (@Sendable (_ url: String, _ reason: String, _ wait: Double) -> Void)?

    public init(settings: ClientSettings) {
        self.settings = settings
    }

    private var policy: RetryPolicy {
        RetryPolicy(maxAttempts: max(1, settings.maxAttempts), backoffBase: settings.backoffBase, maxRetryAfter: settings.maxRetryAfter)
    }

    private func checkOut() -> CurlTransfer? {
        poolLock.lock()
        defer { poolLock.unlock() }
        return idle.popLast() ?? CurlTransfer()
    }

    private func checkIn(_ t: CurlTransfer) {
        poolLock.lock()
        idle.append(t)
        poolLock.unlock()
    }

    /// One GET, retried as the policy allows. Returns any response that is not worth retrying
    /// (2xx, 3xx such as 304, 4xx other than 429); throws when none came or the retries ran out.
    public func get(_ request: HTTPRequest) throws(HTTPFailure) -> HTTPResponse {
        guard let transfer = checkOut() else {
            throw HTTPFailure(kind: .transport, url: request.url, detail: "libcurl could not be initialised", attempts: 0)
        }
        defer { checkIn(transfer) }
        let policy = self.policy
        let host = request.host
        let rate = settings.ratePerHost[host] ?? settings.defaultRate
        var attempt = 0
        while true {
            attempt += 1
            limiter.wait(host: host, rate: rate)
            switch transfer.perform(request, settings: settings) {
            case .failure(let kind, let detail):
                guard RetryPolicy.isRetryable(kind), attempt < policy.maxAttempts else {
                    throw HTTPFailure(kind: kind, url: request.url, detail: detail, attempts: attempt)
                }
                let wait = policy.backoff(afterAttempt: attempt)
                onRetry?(request.url, "\(kind.rawValue): \(detail)", wait)
                Thread.sleep(forTimeInterval: wait)
            case .response(let status, let finalURL, let headers, let body):
                let response = HTTPResponse(url: request.url, finalURL: finalURL, status: status, headers: headers, body: body, attempts: attempt)
                guard RetryPolicy.isRetryable(status: status) else { return response }
                let asked = (status == 429 || status == 503) ? RetryPolicy.retryAfter(response.header("retry-after")) : nil
                let snippet = Self.snippet(body)
                if let asked, asked > policy.maxRetryAfter {
                    throw HTTPFailure(kind: .serverRefused, url: request.url, status: status,
                                      detail: "Retry-After \(HTTPFailure.seconds(asked)) s is longer than the \(HTTPFailure.seconds(policy.maxRetryAfter)) s this command waits\(snippet)",
                                      attempts: attempt, retryAfter: asked)
                }
                guard attempt < policy.maxAttempts else {
                    throw HTTPFailure(kind: .serverRefused, url: request.url, status: status, detail: "the service answered \(status)\(snippet)",
                                      attempts: attempt, retryAfter: asked)
                }
                let wait = asked ?? policy.backoff(afterAttempt: attempt)
                onRetry?(request.url, "HTTP \(status)", wait)
                Thread.sleep(forTimeInterval: wait)
            }
        }
    }

    /// GETs every request with at most `inFlight` transfers at a time; results in request order.
    public func getAll(_ requests: [HTTPRequest], inFlight: Int) -> [Result<HTTPResponse, HTTPFailure>] {
        boundedParallelMap(count: requests.count, width: inFlight) { [self] i -> Result<HTTPResponse, HTTPFailure> in
            do throws(HTTPFailure) { return .success(try get(requests[i])) } catch { return .failure(error) }
        }
    }

    /// The first bytes of an error body, for the message (servers explain themselves there).
    static func snippet(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        let text = String(decoding: body.prefix(160), as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
        return ": " + text
    }
}
