import Bibliography
import Core
import StrictYAML
import Yams

/// The `bibliography:` section of `study.yaml`. Keys are documented in docs/study-file.md
/// (docs/study-file.md). The study's years are the top-level `period`.
public struct BibliographySettings: Hashable, Sendable {
    /// Which database's record survives a merge, first wins (default: wos, scopus, lens, openalex, other).
    public var precedence: [SourceDatabase]
    /// Additions to the shipped list of cover-to-cover translated journals.
    public var translationISSNs: [String]
    public var translationTitles: [String]

    public init(precedence: [SourceDatabase] = SourceDatabase.defaultPrecedence,
                translationISSNs: [String] = [], translationTitles: [String] = []) {
        self.precedence = precedence
        self.translationISSNs = translationISSNs
        self.translationTitles = translationTitles
    }

    static let keys: Set<String> = ["precedence", "translations"]
    static let translationKeys: Set<String> = ["issns", "titles"]

    init(_ node: Node, file: String) throws {
        let map = try YAMLMapping(node, file: file, allowed: Self.keys, context: "the bibliography section")
        self.init()
        if let names = try map.strings("precedence") {
            var list: [SourceDatabase] = []
            for name in names {
                guard let db = SourceDatabase(rawValue: name.lowercased()) else {
                    let known = SourceDatabase.allCases.map(\.rawValue).joined(separator: ", ")
                    throw map.error("bibliography.precedence: unknown database '\(name)' (known: \(known))", at: "precedence")
                }
                if !list.contains(db) { list.append(db) }
            }
            // Databases left out keep their default order after the listed ones.
            precedence = list + SourceDatabase.defaultPrecedence.filter { !list.contains($0) }
        }
        if let t = map["translations"] {
            let tm = try YAMLMapping(t, file: file, allowed: Self.translationKeys, context: "bibliography.translations")
            translationISSNs = try tm.strings("issns") ?? []
            translationTitles = try tm.strings("titles") ?? []
            for issn in translationISSNs {
                if let problem = ISSN.problem(issn) { throw tm.error("bibliography.translations.issns: '\(issn)' is \(problem)", at: "issns") }
            }
        }
    }
}
