/// Why a GET gave no usable response, in words that say what to do about it. Every message
/// names the URL: a user with twenty queries in flight must know which one failed.
public struct HTTPFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The host name does not resolve (a typo in an endpoint, or no network).
        case dnsFailure = "dns-failure"
        /// Nothing listens at that address and port.
        case connectionRefused = "connection-refused"
        /// The connect or the total timeout elapsed.
        case timeout
        /// The connection broke while the body arrived (reset, fewer bytes than announced).
        case connectionReset = "connection-reset"
        /// The certificate did not verify. Never turned off: a proxy that rewrites TLS needs its
        /// CA in the system's store (or CURL_CA_BUNDLE), not an insecure switch.
        case tls
        case tooManyRedirects = "too-many-redirects"
        /// The server kept answering 429 or 5xx until the attempts ran out, or asked to wait
        /// longer than the client may (`Retry-After` beyond `maxRetryAfter`).
        case serverRefused = "server-refused"
        /// Any other transport error libcurl reports.
        case transport
    }

    public var kind: Kind
    public var url: String
    /// The status of the last response when there was one (429, 503, …).
    public var status: Int?
    /// The detail from libcurl or from the server.
    public var detail: String
    public var attempts: Int
    /// Seconds the server asked to wait before trying again, when it said so.
    public var retryAfter: Double?

    public init(kind: Kind, url: String, status: Int? = nil, detail: String, attempts: Int, retryAfter: Double? = nil) {
        self.kind = kind
        self.url = url
        self.status = status
        self.detail = detail
        self.attempts = attempts
        self.retryAfter = retryAfter
    }

    /// What a person should do next.
    public var advice: String {
        switch kind {
        case .dnsFailure: return "check the host name (an endpoint in study.yaml or --endpoint) and the network"
        case .connectionRefused: return "nothing answers there: check the endpoint's host and port, or whether the service is up"
        case .timeout: return "the service is slow or unreachable; try again later or raise the timeout"
        case .connectionReset: return "the connection broke mid-transfer; run the command again (stored pages are kept and the walk resumes)"
        case .tls: return "the certificate did not verify; if an institutional proxy inspects TLS, add its CA to the system store"
        case .tooManyRedirects: return "the endpoint redirects in a loop; check its URL"
        case .serverRefused:
            if let r = retryAfter { return "the service asks to wait \(Self.seconds(r.rounded(.up))) s; run the command again after that (stored pages are kept)" }
            return "the service kept refusing; wait and run the command again (stored pages are kept)"
        case .transport: return "run the command again; if it persists, check the endpoint"
        }
    }

    /// Whole seconds for a message; a server may ask for 1e400 s, which is no `Int`.
    static func seconds(_ s: Double) -> String {
        Int(exactly: s.rounded()).map { String($0) } ?? String(s)
    }

    public var description: String {
        var s = "\(url): "
        if let status { s += "HTTP \(status), " }
        s += "\(kind.rawValue) (\(detail))"
        if attempts > 1 { s += " after \(attempts) attempts" }
        return s + " — " + advice
    }
}
