import Bibliography
import Core
import Foundation
import StrictYAML
import Yams

/// One search of one source: what `literature search` is given on the command line or under
/// `literature.queries` in study.yaml. Its `key` (source + parameters, not the endpoint) names
/// it in the study, so a re-run — against the public service or a mirror — resumes the same walk.
public struct LiteratureQuery: Hashable, Sendable {
    public var name: String
    public var source: LiteratureAPI
    public var affiliation: String?
    /// Instrument models ("SU8000"), searched in full texts / methods.
    public var instruments: [String] = []
    /// The facility's name, searched in acknowledgements (Europe PMC) or full texts (OpenAlex).
    public var facility: String?
    /// Works whose citations are wanted: OpenAlex ids (W…) or DOIs.
    public var cites: [String] = []
    /// A journal issue (the third-party baseline): ISSN, volume, issue.
    public var issn: String?
    public var volume: String?
    public var issue: String?
    public var from: Int?
    public var to: Int?
    /// Stop after this many records.
    public var max: Int?
    /// A baseline name the records belong to (kept with the query; reports may group by it).
    public var baseline: String?

    public init(name: String? = nil, source: LiteratureAPI) {
        self.source = source
        self.name = name ?? ""
    }

    /// Stable: the source and every parameter, in a fixed order.
    public var key: String {
        var parts = ["source=\(source.rawValue)"]
        if let affiliation { parts.append("affiliation=\(affiliation)") }
        if !instruments.isEmpty { parts.append("instruments=\(instruments.joined(separator: "|"))") }
        if let facility { parts.append("facility=\(facility)") }
        if !cites.isEmpty { parts.append("cites=\(cites.joined(separator: "|"))") }
        if let issn { parts.append("issn=\(issn)") }
        if let volume { parts.append("volume=\(volume)") }
        if let issue { parts.append("issue=\(issue)") }
        if let from { parts.append("from=\(from)") }
        if let to { parts.append("to=\(to)") }
        return parts.joined(separator: "&")
    }

    /// The name shown in reports: the one given, else the key.
    public var displayName: String { name.isEmpty ? key : name }

    /// What is wrong with the query, before anything is asked.
    public func problem() -> String? {
        if affiliation == nil && instruments.isEmpty && facility == nil && cites.isEmpty && issn == nil {
            return "a search needs at least one of --affiliation, --instrument, --facility, --cites or --issn"
        }
        if let from, let to, from > to { return "--from \(from) is after --to \(to)" }
        if !cites.isEmpty && source != .openalex { return "--cites is answered by OpenAlex only (Crossref and Europe PMC have no citation filter)" }
        if (volume != nil || issue != nil) && issn == nil { return "--volume and --issue need --issn" }
        if let issn, let p = ISSN.problem(issn) { return "--issn \(issn): \(p)" }
        if let max, max < 1 { return "--max must be ≥ 1" }
        return nil
    }

    static let keys: Set<String> = ["name", "source", "affiliation", "instruments", "facility", "cites", "issn", "volume", "issue",
                                    "from", "to", "max", "baseline"]

    init(_ node: Node, file: String) throws {
        let map = try YAMLMapping(node, file: file, allowed: Self.keys, context: "a literature query")
        let sourceName = try map.requiredString("source", context: "a literature query")
        guard let api = LiteratureAPI(rawValue: sourceName) else {
            throw map.error("unknown source '\(sourceName)' (known: \(LiteratureAPI.allCases.map(\.rawValue).joined(separator: ", ")))", at: "source")
        }
        self.init(name: try map.string("name"), source: api)
        affiliation = try map.string("affiliation")
        instruments = try map.strings("instruments") ?? []
        facility = try map.string("facility")
        cites = try map.strings("cites") ?? []
        issn = try map.string("issn")
        volume = try map.string("volume")
        issue = try map.string("issue")
        from = try map.int("from")
        to = try map.int("to")
        max = try map.int("max")
        baseline = try map.string("baseline")
        if let p = problem() { throw map.error("literature query '\(displayName)': \(p)", at: "source") }
    }
}
