import Foundation

/// One GET to send: the URL and the request headers beyond those the client adds itself
/// (User-Agent, Accept-Encoding), such as `If-None-Match` for a revalidation.
public struct HTTPRequest: Hashable, Sendable {
    public var url: String
    public var headers: [(String, String)]

    public init(url: String, headers: [(String, String)] = []) {
        self.url = url
        self.headers = headers
    }

    public static func == (l: HTTPRequest, r: HTTPRequest) -> Bool {
        l.url == r.url && l.headers.map { "\($0.0): \($0.1)" } == r.headers.map { "\($0.0): \($0.1)" }
    }
    public func hash(into h: inout Hasher) { h.combine(url) }

    /// The host part of the URL, lower-cased: what the rate limit is kept per.
    public var host: String {
        URLComponents(string: url)?.host?.lowercased() ?? url
    }
}

/// What came back: the final response after redirects.
public struct HTTPResponse: Sendable {
    public var url: String
    /// The URL after redirects.
    public var finalURL: String
    public var status: Int
    /// Headers of the final response, names lower-cased, in arrival order.
    public var headers: [(String, String)]
    /// The body, decompressed.
    public var body: [UInt8]
    /// How many attempts it took (1 when the first one answered).
    public var attempts: Int

    public init(url: String, finalURL: String, status: Int, headers: [(String, String)], body: [UInt8], attempts: Int = 1) {
        self.url = url
        self.finalURL = finalURL
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    /// The last value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let n = name.lowercased()
        return headers.last { $0.0 == n }?.1
    }
}
