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
    /// How far the best category must score above the out-of-scope evidence (the rules under
    /// `unclassified`) to be proposed at all; below it the article is unclassified. Calibrated on
    /// labelled records (docs/classification.md); 0 with no out-of-scope rules changes nothing.
    public var unclassifiedMargin: Double
    /// Thresholds are multiplied by this for a record without an abstract: title, keywords and
    /// journal alone hold fewer words, so the same evidence would otherwise rarely be enough.
    public var thresholdFactorWithoutAbstract: Double
    /// Non-fatal remarks from loading (a paper category the file does not define, …).
    public var warnings: [String]

    public init(taxonomy: Taxonomy, rules: [Rule], fieldWeights: [ArticleField: Double],
                ambiguityMargin: Double, unclassifiedMargin: Double = 0, thresholdFactorWithoutAbstract: Double = 1,
                warnings: [String] = []) {
        self.taxonomy = taxonomy
        self.rules = rules
        self.fieldWeights = fieldWeights
        self.ambiguityMargin = ambiguityMargin
        self.unclassifiedMargin = unclassifiedMargin
        self.thresholdFactorWithoutAbstract = thresholdFactorWithoutAbstract
        self.warnings = warnings
    }

    public func weight(of field: ArticleField) -> Double { fieldWeights[field] ?? 1 }
}
