/// How the client behaves: timeouts, redirects, identity, retries and politeness. Defaults are
/// for the live services; tests shorten every delay.
public struct ClientSettings: Sendable {
    /// Seconds to establish a connection.
    public var connectTimeout: Double = 15
    /// Seconds for a whole transfer (connect, request, every byte of the body).
    public var totalTimeout: Double = 120
    public var maxRedirects = 5
    /// `lostdata/VERSION (mailto:ADDRESS)`: the APIs route requests with a contact to their
    /// polite pools and can write to the person instead of blocking the address.
    public var userAgent: String
    /// Attempts per request, the first included, for 429, 5xx, timeouts and resets.
    public var maxAttempts = 4
    /// The first backoff delay in seconds; each retry doubles it, with jitter.
    public var backoffBase: Double = 1
    /// No backoff or Retry-After wait is longer than this; a server asking for more (OpenAlex
    /// when a daily budget is spent: hours) makes the request fail with its Retry-After, so
    /// that the command stops instead of spinning.
    public var maxRetryAfter: Double = 120
    /// Requests per second per host; nil for no limit. A host missing here gets `defaultRate`.
    public var ratePerHost: [String: Double] = [:]
    public var defaultRate: Double? = nil
    /// Bodies larger than this fail (a runaway response must not fill the memory).
    public var maxBodyBytes = 512 << 20

    public init(userAgent: String) {
        self.userAgent = userAgent
    }

    /// The User-Agent the APIs ask for: tool, version and a contact.
    public static func userAgent(version: String, mailto: String?) -> String {
        if let mailto, !mailto.isEmpty { return "lostdata/\(version) (mailto:\(mailto))" }
        return "lostdata/\(version)"
    }
}
