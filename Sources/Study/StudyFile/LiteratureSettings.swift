import Bibliography
import Core
import StrictYAML
import Yams

/// The `literature:` section of `study.yaml`: where the scholarly APIs are, how politely to ask
/// them, and the searches `literature search` (and `run`) repeat. Keys: docs/study-file.md.
public struct LiteratureSettings: Hashable, Sendable {
    /// The contact put in the User-Agent (`lostdata/VERSION (mailto:…)`).
    public var mailto: String?
    /// Base URL per source, for mirrors, proxies and tests; the public services otherwise.
    public var endpoints: [LiteratureAPI: String]
    /// Requests per second per source.
    public var rates: [LiteratureAPI: Double]
    /// Transfers in flight at once (`literature fetch`).
    public var inFlight: Int
    /// Hours a cached response answers without asking the service again.
    public var cacheHours: Double
    public var queries: [LiteratureQuery]

    /// The public services.
    public static let defaultEndpoints: [LiteratureAPI: String] = [
        .openalex: "https://api.openalex.org",
        .crossref: "https://api.crossref.org",
        .europepmc: "https://www.ebi.ac.uk/europepmc/webservices/rest",
    ]
    /// Each service's documented polite rate (docs/literature.md): OpenAlex 10/s, Crossref's
    /// polite pool 10/s in 2026 (5/s public: we stay under both at 5), Europe PMC undocumented (5/s).
    public static let defaultRates: [LiteratureAPI: Double] = [.openalex: 10, .crossref: 5, .europepmc: 5]

    public init(mailto: String? = nil, endpoints: [LiteratureAPI: String] = [:], rates: [LiteratureAPI: Double] = [:],
                inFlight: Int = 2, cacheHours: Double = 24, queries: [LiteratureQuery] = []) {
        self.mailto = mailto
        self.endpoints = endpoints
        self.rates = rates
        self.inFlight = inFlight
        self.cacheHours = cacheHours
        self.queries = queries
    }

    public func endpoint(_ api: LiteratureAPI) -> String { endpoints[api] ?? Self.defaultEndpoints[api]! }
    public func rate(_ api: LiteratureAPI) -> Double { rates[api] ?? Self.defaultRates[api]! }

    static let keys: Set<String> = ["mailto", "endpoints", "rates", "inFlight", "cacheHours", "queries"]

    init(_ node: Node, file: String) throws {
        let map = try YAMLMapping(node, file: file, allowed: Self.keys, context: "the literature section")
        mailto = try map.string("mailto")
        endpoints = [:]
        if let e = map["endpoints"] {
            let em = try YAMLMapping(e, file: file, allowed: Set(LiteratureAPI.allCases.map(\.rawValue)), context: "literature.endpoints")
            for api in LiteratureAPI.allCases {
                guard let url = try em.string(api.rawValue) else { continue }
                guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                    throw em.error("literature.endpoints.\(api.rawValue) must be an http:// or https:// URL", at: api.rawValue)
                }
                endpoints[api] = url
            }
        }
        rates = [:]
        if let r = map["rates"] {
            let rm = try YAMLMapping(r, file: file, allowed: Set(LiteratureAPI.allCases.map(\.rawValue)), context: "literature.rates")
            for api in LiteratureAPI.allCases {
                guard let v = try rm.number(api.rawValue) else { continue }
                // At least one request in 1,000 s: a rate of 1e-300 made a wait of 1e300 s.
                guard v >= 0.001 else { throw rm.error("literature.rates.\(api.rawValue) must be at least 0.001 (requests per second)", at: api.rawValue) }
                rates[api] = v
            }
        }
        inFlight = try map.int("inFlight") ?? 2
        guard (1...16).contains(inFlight) else { throw map.error("'inFlight' must be 1 to 16", at: "inFlight") }
        cacheHours = try map.number("cacheHours") ?? 24
        guard cacheHours >= 0 else { throw map.error("'cacheHours' must be ≥ 0", at: "cacheHours") }
        queries = try (map.sequence("queries") ?? []).map { try LiteratureQuery($0, file: file) }
        var seen = Set<String>()
        for (q, node) in zip(queries, try map.sequence("queries") ?? []) where !seen.insert(q.name).inserted {
            throw InputError("two literature queries are named '\(q.name)'", file: file, line: node.mark?.line)
        }
    }
}
