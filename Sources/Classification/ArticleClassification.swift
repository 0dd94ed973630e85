/// Why a category got points: which rule matched, in which field, on which words.
public struct Evidence: Hashable, Codable, Sendable {
    public var rule: String
    public var category: String
    public var field: ArticleField
    /// The matched words with a little context, white space collapsed.
    public var text: String
    /// What the match added to the category's score (rule weight × field weight; negative for
    /// negative phrases).
    public var points: Double

    public init(rule: String, category: String, field: ArticleField, text: String, points: Double) {
        self.rule = rule
        self.category = category
        self.field = field
        self.text = text
        self.points = points
    }
}

/// The classifier's proposal for one article — what a person reviews.
public struct ArticleClassification: Hashable, Codable, Sendable {
    public var articleID: String
    public var doi: String?
    public var title: String
    public var year: Int?
    /// The one category the article is counted under when a single topic is needed (Figure 3B):
    /// the best top-level category, refined to its best assigned subcategory. "unclassified" when
    /// nothing reached its threshold.
    public var primary: String
    /// Every assigned category, parents included, in taxonomy order; ["unclassified"] when none.
    public var categories: [String]
    /// Score per category, for every category with a non-zero score.
    public var scores: [String: Double]
    /// The two best candidates are within the rules' ambiguity margin: a person should look.
    public var ambiguous: Bool
    public var evidence: [Evidence]

    public init(articleID: String, doi: String?, title: String, year: Int?, primary: String,
                categories: [String], scores: [String: Double], ambiguous: Bool, evidence: [Evidence]) {
        self.articleID = articleID
        self.doi = doi
        self.title = title
        self.year = year
        self.primary = primary
        self.categories = categories
        self.scores = scores
        self.ambiguous = ambiguous
        self.evidence = evidence
    }
}
