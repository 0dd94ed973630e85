import Bibliography
import Core
import Foundation
import HTTPClient

/// What a `literature` command may change for one run: endpoints (`--endpoint NAME=URL`), the
/// contact (`--mailto`), offline answering, and the client's patience.
public struct LiteratureOptions: Sendable {
    public var endpoints: [LiteratureAPI: String] = [:]
    public var mailto: String?
    public var offline = false
    /// Seconds for a whole transfer; attempts per request; first backoff delay in seconds.
    public var timeout: Double?
    public var attempts: Int?
    public var backoff: Double?
    /// Re-walk complete queries (through the cache) instead of reporting them as done.
    public var refresh = false
    /// Transfers at once (`--in-flight`), instead of `literature.inFlight`.
    public var inFlight: Int?

    public init() {}

    /// Parses `NAME=URL`.
    public static func endpoint(_ text: String) throws -> (LiteratureAPI, String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let api = LiteratureAPI(rawValue: parts[0].lowercased()) else {
            throw InputError("--endpoint takes NAME=URL with NAME one of \(LiteratureAPI.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'", file: "command line")
        }
        guard parts[1].hasPrefix("http://") || parts[1].hasPrefix("https://") else {
            throw InputError("--endpoint \(parts[0]): '\(parts[1])' is not an http:// or https:// URL", file: "command line")
        }
        return (api, parts[1])
    }
}

/// A GET that failed or gave an unusable answer, with the URL and what to do.
public struct LiteratureFailure: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var message: String
    public var description: String { "\(url): \(message)" }
}

/// One run's HTTP side: the client, the cache, the endpoints. Made by the Study from
/// study.yaml and the command's options; the stages never see it.
final class LiteratureSession: @unchecked Sendable {
    let settings: LiteratureSettings
    let options: LiteratureOptions
    let client: HTTPClient
    let cache: ResponseCache

    init(study: Study, options: LiteratureOptions) {
        settings = study.file.literature
        self.options = options
        var s = ClientSettings(userAgent: ClientSettings.userAgent(version: LostData.version, mailto: options.mailto ?? study.file.literature.mailto))
        if let t = options.timeout { s.totalTimeout = t; s.connectTimeout = min(s.connectTimeout, t) }
        if let a = options.attempts { s.maxAttempts = a }
        if let b = options.backoff { s.backoffBase = b; s.maxRetryAfter = max(b * 8, min(s.maxRetryAfter, b * 100)) }
        for api in LiteratureAPI.allCases {
            let url = options.endpoints[api] ?? study.file.literature.endpoint(api)
            if let host = URLComponents(string: url)?.host?.lowercased() { s.ratePerHost[host] = study.file.literature.rate(api) }
        }
        client = HTTPClient(settings: s)
        cache = ResponseCache(directory: study.directory.appendingPathComponent(".cache/http", isDirectory: true))
    }

    func endpoint(_ api: LiteratureAPI) -> String { options.endpoints[api] ?? settings.endpoint(api) }

    /// Transfers at once: the command's `--in-flight`, else study.yaml's `literature.inFlight`.
    var inFlight: Int { max(1, options.inFlight ?? settings.inFlight) }

    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var fromCache: Bool
        /// The network response, to be cached once the caller found it usable.
        var response: HTTPResponse? = nil
        var key: String = ""
        func header(_ n: String) -> String? { headers.last { $0.0 == n }?.1 }
    }

    /// A GET through the cache: fresh entries answer at once, older ones are revalidated,
    /// `--offline` never asks the network.
    /// `cacheKey` is the URL unless the same URL means different pages (a walk's page number).
    func get(_ url: String, cacheKey: String? = nil) throws(LiteratureFailure) -> Answer {
        let key = cacheKey ?? url
        let cached = cache.load(key)
        if options.offline {
            guard let (entry, body) = cached else {
                throw LiteratureFailure(url: url, message: "offline, and the cache (.cache/http) has no answer for this request; run without --offline to fetch it")
            }
            return Answer(status: entry.status, headers: entry.headers.map { ($0[0], $0[1]) }, body: body, fromCache: true)
        }
        var headers: [(String, String)] = []
        if let (entry, body) = cached {
            if Date().timeIntervalSince(entry.storedAt) < settings.cacheHours * 3600 {
                return Answer(status: entry.status, headers: entry.headers.map { ($0[0], $0[1]) }, body: body, fromCache: true)
            }
            if let etag = entry.header("etag") { headers.append(("If-None-Match", etag)) }
            if let lm = entry.header("last-modified") { headers.append(("If-Modified-Since", lm)) }
        }
        let response: HTTPResponse
        do { response = try client.get(HTTPRequest(url: url, headers: headers)) } catch {
            throw LiteratureFailure(url: url, message: "\(error.kind.rawValue)\(error.status.map { " (HTTP \($0))" } ?? ""): \(error.detail)\(error.attempts > 1 ? " after \(error.attempts) attempts" : "") — \(error.advice)")
        }
        if response.status == 304, let (entry, body) = cached {
            cache.renew(key)
            return Answer(status: entry.status, headers: entry.headers.map { ($0[0], $0[1]) }, body: body, fromCache: true)
        }
        return Answer(status: response.status, headers: response.headers, body: response.body, fromCache: false, response: response, key: key)
    }

    /// Caches an answer the caller could read. A 200 carrying an HTML error page or a cut body
    /// is never cached, so the next run asks again instead of replaying the broken page.
    func remember(_ answer: Answer) {
        if let r = answer.response, r.status == 200 { cache.store(r, key: answer.key) }
    }
}
