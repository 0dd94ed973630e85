import Core
import StrictYAML
import Yams

/// The `classification:` section of `study.yaml` (docs/study-file.md).
public struct ClassificationSettings: Hashable, Sendable {
    /// The rules file, relative to the study directory. When not given, `rules.yaml` in the study
    /// directory is used if present (what `lostdata rules init` writes), else the shipped rules.
    public var rules: String?
    /// Overrides the rules file's `ambiguityMargin` (0…1).
    public var ambiguityMargin: Double?

    public init(rules: String? = nil, ambiguityMargin: Double? = nil) {
        self.rules = rules
        self.ambiguityMargin = ambiguityMargin
    }

    static let keys: Set<String> = ["rules", "ambiguityMargin"]

    init(_ node: Node, file: String) throws {
        let map = try YAMLMapping(node, file: file, allowed: Self.keys, context: "the classification section")
        rules = try map.string("rules")
        if let n = map["ambiguityMargin"] {
            guard case .scalar(let s) = n, let v = Double(s.string), (0...1).contains(v) else {
                throw map.error("'ambiguityMargin' must be a number between 0 and 1", at: "ambiguityMargin")
            }
            ambiguityMargin = v
        } else {
            ambiguityMargin = nil
        }
    }
}
