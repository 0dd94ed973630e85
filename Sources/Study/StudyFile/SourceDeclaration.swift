import Core
import Ledger
import StrictYAML
import Yams

/// Where a source's acquired-image counts come from.
public enum AcquiredDeclaration: Hashable, Sendable {
    /// The source has no acquisition data: Table 1 prints "No data" and "—".
    case none
    /// Counts stated in `study.yaml`.
    case counts([Technique: Int])
    /// Counted from the study's archive index (`lostdata archive scan`).
    case archive
}

/// Where a source's published counts come from.
public enum PublishedDeclaration: Hashable, Sendable {
    /// A CSV of per-article counts, path relative to the study directory.
    case articlesCSV(String)
    /// Per-article counts stored by `lostdata figures import` (the facility's own articles, or the
    /// baseline with that name).
    case figures
    /// Totals only.
    case aggregates(PublishedAggregates)
}

/// One data source of Table 1, as `study.yaml` declares it.
public struct SourceDeclaration: Hashable, Sendable {
    public var name: String
    public var techniques: [Technique]
    public var fold: [Technique: Technique]
    public var acquired: AcquiredDeclaration
    public var published: PublishedDeclaration

    public init(name: String, techniques: [Technique], fold: [Technique: Technique] = [:],
                acquired: AcquiredDeclaration, published: PublishedDeclaration) {
        self.name = name
        self.techniques = techniques
        self.fold = fold
        self.acquired = acquired
        self.published = published
    }

    static let keys: Set<String> = ["name", "techniques", "fold", "acquired", "articles", "aggregates"]

    init(_ node: Node, file: String) throws {
        let map = try YAMLMapping(node, file: file, allowed: Self.keys, context: "a source")
        name = try map.requiredString("name", context: "a source")
        let context = "source '\(name)'"
        guard let techniqueNames = try map.strings("techniques"), !techniqueNames.isEmpty else {
            throw map.error("\(context) needs 'techniques', e.g. [SEM, TEM]", at: "techniques")
        }
        techniques = try techniqueNames.map { n in
            guard let t = Technique(name: n) else { throw map.error("\(context): unknown technique '\(n)' (SEM, STEM or TEM)", at: "techniques") }
            return t
        }
        fold = [:]
        if let foldNode = map["fold"] {
            let m = try YAMLMapping(foldNode, file: file, allowed: Set(Technique.allCases.map(\.rawValue)), context: "\(context) fold")
            for (k, v) in m.pairs {
                guard let target = v.string.flatMap(Technique.init(name:)) else {
                    throw YAMLMapping.error("\(context): fold \(k) into SEM, STEM or TEM", v, file)
                }
                fold[Technique(name: k)!] = target
            }
        }
        acquired = try Self.acquired(map, context: context, techniques: techniques)
        switch (map["articles"], map["aggregates"]) {
        case (nil, nil):
            throw map.error("\(context) needs 'articles' (a CSV file, or 'figures') or 'aggregates'", at: "name")
        case (.some, .some):
            throw map.error("\(context) has both 'articles' and 'aggregates'; keep one", at: "aggregates")
        case (.some, nil):
            let value = try map.requiredString("articles", context: context)
            published = value == "figures" ? .figures : .articlesCSV(value)
        case (nil, .some(let aggNode)):
            published = .aggregates(try Self.aggregates(aggNode, file: file, context: context, techniques: techniques))
        }
    }

    private static func acquired(_ map: YAMLMapping, context: String, techniques: [Technique]) throws -> AcquiredDeclaration {
        guard let node = map["acquired"] else { return .none }
        if let word = node.string, node.scalar != nil {
            switch word {
            case "none", "": return .none
            case "archive": return .archive
            default: throw map.error("\(context): 'acquired' is 'none', 'archive', or counts per technique", at: "acquired")
            }
        }
        let m = try YAMLMapping(node, file: map.file, allowed: Set(techniques.map(\.rawValue)), context: "\(context) acquired")
        var counts: [Technique: Int] = [:]
        for (k, v) in m.pairs { counts[Technique(name: k)!] = try YAMLMapping.int(v, file: map.file, what: "acquired \(k)") }
        return .counts(counts)
    }

    private static func aggregates(_ node: Node, file: String, context: String, techniques: [Technique]) throws -> PublishedAggregates {
        let m = try YAMLMapping(node, file: file, allowed: Set(techniques.map(\.rawValue) + ["TOTAL"]), context: "\(context) aggregates")
        var by: [Technique: Tally] = [:]
        var total: (articles: Int?, images: Int?) = (nil, nil)
        for (k, v) in m.pairs {
            let cell = try YAMLMapping(v, file: file, allowed: ["articles", "images"], context: "\(context) aggregates \(k)")
            let articles = try cell.int("articles"), images = try cell.int("images")
            if k == "TOTAL" {
                total = (articles, images)
            } else {
                guard let articles, let images else {
                    throw cell.error("\(context) aggregates \(k) needs both 'articles' and 'images'", at: "articles")
                }
                by[Technique(name: k)!] = Tally(articles: articles, images: images)
            }
        }
        guard let distinct = total.articles else {
            // Distinct articles cannot be derived: an article may use several techniques.
            throw m.error("\(context) aggregates need TOTAL: {articles: N} (distinct articles)", at: "TOTAL")
        }
        return PublishedAggregates(byTechnique: by, distinctArticles: distinct, totalImages: total.images)
    }
}
