/// A taxonomy with its rules and scoring settings: everything the classifier needs, read from
/// one YAML file (the shipped `rules.yaml`, or a user's copy made with `lostdata rules init`).
public struct RuleSet: Hashable, Sendable {
    public var taxonomy: Taxonomy
    public var rules: [Rule]
    /// How much a match in each field counts (a title match says more than an abstract match).
    public var fieldWeights: [ArticleField: Double]
    /// Two categories whose scores differ by at most this fraction of the higher one are "close":
    /// the article is flagged ambiguous for a person to look at.
    public var ambiguityMargin: Double
    /// Non-fatal remarks from loading (a paper category the file does not define, …).
    public var warnings: [String]

    public init(taxonomy: Taxonomy, rules: [Rule], fieldWeights: [ArticleField: Double],
                ambiguityMargin: Double, warnings: [String] = []) {
        self.taxonomy = taxonomy
        self.rules = rules
        self.fieldWeights = fieldWeights
        self.ambiguityMargin = ambiguityMargin
        self.warnings = warnings
    }

    public func weight(of field: ArticleField) -> Double { fieldWeights[field] ?? 1 }
}
