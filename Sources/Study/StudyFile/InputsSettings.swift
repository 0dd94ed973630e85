import Core
import StrictYAML
import Yams

/// The `inputs:` section of `study.yaml`: the files `lostdata run` feeds to the stages, declared
/// once (docs/study-file.md). Inputs that already have a home keep it — the archive roots are
/// `archive.roots`, the supplements' JATS `figures.supplements`, the rules file
/// `classification.rules` — so nothing is declared twice.
///
/// ```yaml
/// inputs:
///   exports: [exports/scopus.csv, "exports/*.txt"]   # literature exports: paths or globs
///   articles: [jats/articles]                        # JATS of the facility's own articles
///   baselines:                                       # third-party sources' JATS, by source name
///     - {source: Third-party facilities, jats: [jats/baseline]}
/// ```
public struct InputsSettings: Hashable, Sendable {
    public struct Baseline: Hashable, Sendable {
        /// The name of a source under `sources:` (declared `articles: figures`).
        public var source: String
        /// JATS files, folders or globs, as written.
        public var jats: [String]
    }

    /// Literature exports (any supported format), paths or globs as written.
    public var exports: [String]
    /// JATS files, folders or globs of the facility's own articles.
    public var articles: [String]
    public var baselines: [Baseline]

    public init(exports: [String] = [], articles: [String] = [], baselines: [Baseline] = []) {
        self.exports = exports
        self.articles = articles
        self.baselines = baselines
    }

    /// True when the section declares nothing (`run` then has only the archive to scan).
    public var isEmpty: Bool { exports.isEmpty && articles.isEmpty && baselines.isEmpty }

    static let keys: Set<String> = ["exports", "articles", "baselines"]

    init(_ node: Node, file: String) throws {
        let map = try YAMLMapping(node, file: file, allowed: Self.keys, context: "the inputs section")
        exports = try map.strings("exports") ?? []
        articles = try map.strings("articles") ?? []
        baselines = []
        var seen = Set<String>()
        for item in try map.sequence("baselines") ?? [] {
            let m = try YAMLMapping(item, file: file, allowed: ["source", "jats"], context: "an inputs baseline")
            let source = try m.requiredString("source", context: "an inputs baseline")
            guard let jats = try m.strings("jats"), !jats.isEmpty else {
                throw m.error("baseline '\(source)' needs 'jats': the folders or files of its articles", at: "source")
            }
            guard seen.insert(source).inserted else { throw m.error("baseline '\(source)' is listed twice", at: "source") }
            baselines.append(Baseline(source: source, jats: jats))
        }
    }
}
