import Core
import Foundation
import StrictYAML
import Yams

/// Reading a rules file. The format is documented in docs/classification.md; every mistake is an
/// `InputError` naming the file and line, because people edit these files by hand.
extension RuleSet {
    static let fileKeys: Set<String> = ["version", "ambiguityMargin", "threshold", "fields", "fieldWeights", "categories",
                                        "unclassifiedMargin", "thresholdWithoutAbstract"]
    static let categoryKeys: Set<String> = ["id", "name", "description", "threshold", "rules"]
    static let ruleKeys: Set<String> = ["id", "phrase", "phrases", "regex", "weight", "fields", "wholeWord", "caseSensitive", "unless",
                                        "unlessContext", "contextFields"]
    /// Category ids: lower-case words joined by hyphens, at most one level of nesting ("a-b/c-d").
    static func isValidID(_ id: String) -> Bool {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { part in
            let words = part.split(separator: "-", omittingEmptySubsequences: false)
            return words.allSatisfy { w in !w.isEmpty && w.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) } }
        }
    }

    /// Parses and validates the text of a rules file; `file` names it in errors.
    /// `checkingPatterns: false` skips compiling each rule's pattern to check it — for readers
    /// that only want the taxonomy (a report): compiling the shipped rules' patterns took ~0.6 s
    /// of each `lostdata report` (issue 14). Classifying always compiles, and so still rejects a
    /// bad pattern with its line.
    public init(yaml text: String, file: String, checkingPatterns: Bool = true) throws {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let e as YamlError {
            throw InputError("not valid YAML: \(e)", file: file, line: Self.line(of: e))
        }
        guard let root else { throw InputError("the rules file is empty", file: file, line: 1) }
        let map = try YAMLMapping(root, file: file, allowed: Self.fileKeys, context: "the rules file")
        if let v = try map.number("version"), v != 1 {
            throw map.error("this rules file has version \(v); this lostdata reads version 1", at: "version")
        }
        let margin = try map.number("ambiguityMargin") ?? 0.2
        guard (0...1).contains(margin) else { throw map.error("'ambiguityMargin' must be between 0 and 1", at: "ambiguityMargin") }
        let defaultThreshold = try map.number("threshold") ?? 2
        guard defaultThreshold > 0 else { throw map.error("'threshold' must be above 0", at: "threshold") }
        let unclassifiedMargin = try map.number("unclassifiedMargin") ?? 0
        guard unclassifiedMargin >= 0 else { throw map.error("'unclassifiedMargin' must be 0 or more", at: "unclassifiedMargin") }
        let factorWithoutAbstract = try map.number("thresholdWithoutAbstract") ?? 1
        guard factorWithoutAbstract > 0, factorWithoutAbstract <= 1 else {
            throw map.error("'thresholdWithoutAbstract' is a factor above 0 and at most 1", at: "thresholdWithoutAbstract")
        }
        let defaultFields = try Self.fields(map, "fields") ?? [.title, .abstract, .authorKeywords, .indexKeywords]

        var fieldWeights: [ArticleField: Double] = [:]
        if let fw = map["fieldWeights"] {
            let fm = try YAMLMapping(fw, file: file, allowed: Set(ArticleField.allCases.map(\.rawValue)), context: "fieldWeights")
            for (key, _) in fm.pairs {
                guard let field = ArticleField(rawValue: key), let w = try fm.number(key), w >= 0 else {
                    throw fm.error("field weights must be numbers ≥ 0", at: key)
                }
                fieldWeights[field] = w
            }
        }

        guard let categoryNodes = try map.sequence("categories"), !categoryNodes.isEmpty else {
            throw InputError("the rules file needs a non-empty 'categories' list", file: file, line: map.line)
        }
        var categories: [Category] = []
        var rules: [Rule] = []
        var seen = Set<String>()
        for node in categoryNodes {
            let cm = try YAMLMapping(node, file: file, allowed: Self.categoryKeys, context: "a category")
            guard let id = try cm.string("id"), !id.isEmpty else { throw InputError("a category needs an 'id'", file: file, line: cm.line) }
            guard Self.isValidID(id) else {
                throw cm.error("category id '\(id)' must be lower-case words joined by '-', optionally 'parent/child'", at: "id")
            }
            guard seen.insert(id).inserted else { throw cm.error("category '\(id)' is defined twice", at: "id") }
            let name = try cm.string("name") ?? id
            let threshold = try cm.number("threshold") ?? defaultThreshold
            guard threshold > 0 else { throw cm.error("'threshold' must be above 0", at: "threshold") }
            let category = Category(id: id, name: name, description: try cm.string("description") ?? "", threshold: threshold)
            if let parent = category.parentID, !categories.contains(where: { $0.id == parent }) {
                throw cm.error("subcategory '\(id)' comes before its parent '\(parent)' is defined", at: "id")
            }
            // Rules under `unclassified` are out-of-scope evidence: the best category must beat
            // their total by `unclassifiedMargin` (docs/classification.md, "Scoring").
            let ruleNodes = try cm.sequence("rules") ?? []
            categories.append(category)
            for rn in ruleNodes {
                rules += try Self.rules(rn, category: id, defaultFields: defaultFields, file: file, checkingPatterns: checkingPatterns)
            }
        }
        if !seen.contains(Taxonomy.unclassified) {
            categories.append(Category(id: Taxonomy.unclassified, name: "Unclassified",
                                       description: "Articles no rule claims.", threshold: .infinity))
        }
        let missing = Taxonomy.paperCategoryIDs.filter { !seen.contains($0) && $0 != Taxonomy.unclassified }
        var warnings: [String] = []
        if !missing.isEmpty {
            warnings.append("\(file): the rules define none of the paper's categories \(missing.joined(separator: ", ")); Figure 3A will lack them")
        }
        self.init(taxonomy: Taxonomy(categories), rules: rules, fieldWeights: fieldWeights,
                  ambiguityMargin: margin, unclassifiedMargin: unclassifiedMargin,
                  thresholdFactorWithoutAbstract: factorWithoutAbstract, warnings: warnings)
    }

    /// Reads a rules file from disk.
    public static func load(contentsOf url: URL, checkingPatterns: Bool = true) throws -> RuleSet {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError("cannot read the rules file: \(error.localizedDescription)", file: url.path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("the rules file is not UTF-8 text", file: url.path)
        }
        return try RuleSet(yaml: text, file: url.path, checkingPatterns: checkingPatterns)
    }

    /// One entry of a category's `rules:` list; `phrases:` expands to one rule per phrase.
    private static func rules(_ node: Node, category: String, defaultFields: [ArticleField], file: String,
                              checkingPatterns: Bool) throws -> [Rule] {
        let rm = try YAMLMapping(node, file: file, allowed: ruleKeys, context: "a rule of '\(category)'")
        let given = ["phrase", "phrases", "regex"].filter { rm[$0] != nil }
        guard given.count == 1 else {
            throw InputError("a rule needs exactly one of 'phrase', 'phrases' or 'regex' (found \(given.isEmpty ? "none" : given.joined(separator: ", ")))",
                             file: file, line: rm.line)
        }
        let weight = try rm.number("weight") ?? 1
        guard weight != 0 else { throw rm.error("a weight of 0 does nothing; remove the rule or give it a weight", at: "weight") }
        let fields = try Self.fields(rm, "fields") ?? defaultFields
        let wholeWord = try rm.bool("wholeWord") ?? true
        let caseSensitive = try rm.bool("caseSensitive") ?? false
        let unless = try rm.stringItems("unless")?.map(\.0) ?? []
        let unlessContext = try rm.stringItems("unlessContext")?.map(\.0) ?? []
        let contextFields = try Self.fields(rm, "contextFields") ?? Rule.defaultContextFields
        let explicitID = try rm.string("id")

        var patterns: [(Rule.Pattern, Node)] = []
        if let r = rm["regex"] {
            guard case .scalar(let s) = r, !s.string.isEmpty else { throw rm.error("'regex' must be non-empty text", at: "regex") }
            patterns = [(.regex(s.string), r)]
        } else {
            let items = try rm.stringItems(rm["phrase"] != nil ? "phrase" : "phrases") ?? []
            patterns = items.map { (.phrase($0.0), $0.1) }
        }
        if explicitID != nil && patterns.count > 1 {
            throw rm.error("'id' names one rule; give a 'phrases' list no id, or split it", at: "id")
        }
        var out: [Rule] = []
        for (pattern, pnode) in patterns {
            let id: String
            switch pattern {
            case .phrase(let p):
                guard !p.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw InputError("empty phrase in a rule of '\(category)'", file: file, line: YAMLMapping.line(pnode))
                }
                id = explicitID ?? "\(category): \(p)"
            case .regex(let r): id = explicitID ?? "\(category): /\(r)/"
            }
            let rule = Rule(id: id, category: category, pattern: pattern, weight: weight, fields: fields,
                            wholeWord: wholeWord, caseSensitive: caseSensitive, unless: unless,
                            unlessContext: unlessContext, contextFields: contextFields, line: YAMLMapping.line(pnode))
            if checkingPatterns { do { _ = try CompiledRule(rule) } catch {
                throw InputError("invalid regular expression: \(error.localizedDescription)", file: file, line: YAMLMapping.line(pnode))
            } }
            out.append(rule)
        }
        return out
    }

    private static func fields(_ map: YAMLMapping, _ key: String) throws -> [ArticleField]? {
        guard let items = try map.stringItems(key) else { return nil }
        guard !items.isEmpty else { throw map.error("'\(key)' needs at least one field", at: key) }
        return try items.map { name, node in
            guard let f = ArticleField(rawValue: name) else {
                let known = ArticleField.allCases.map(\.rawValue).joined(separator: ", ")
                throw InputError("unknown field '\(name)' (known fields: \(known))", file: map.file, line: YAMLMapping.line(node))
            }
            return f
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): return mark.line
        default: return nil
        }
    }
}
