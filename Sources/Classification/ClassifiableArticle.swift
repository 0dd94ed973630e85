/// One article as the classifier sees it: identifiers to report back, and the text fields rules
/// look at. Built by the Study from the bibliography (or by a caller from any source), so the
/// stage needs no knowledge of export formats.
public struct ClassifiableArticle: Hashable, Codable, Sendable {
    /// The study's stable article id (`article.id`), echoed in results.
    public var id: String
    /// Normalised DOI, when known.
    public var doi: String?
    public var title: String
    public var year: Int?
    public var abstract: String
    public var authorKeywords: [String]
    public var indexKeywords: [String]
    public var sourceTitle: String
    /// Figure captions, when the full text is known (JATS); empty otherwise.
    public var figureCaptions: [String]

    public init(id: String, doi: String? = nil, title: String, year: Int? = nil, abstract: String = "",
                authorKeywords: [String] = [], indexKeywords: [String] = [], sourceTitle: String = "",
                figureCaptions: [String] = []) {
        self.id = id
        self.doi = doi
        self.title = title
        self.year = year
        self.abstract = abstract
        self.authorKeywords = authorKeywords
        self.indexKeywords = indexKeywords
        self.sourceTitle = sourceTitle
        self.figureCaptions = figureCaptions
    }

    /// The text of one field as rules see it; list fields are joined with "; " so a phrase never
    /// matches across two keywords.
    public func text(of field: ArticleField) -> String {
        switch field {
        case .title: return title
        case .abstract: return abstract
        case .authorKeywords: return authorKeywords.joined(separator: "; ")
        case .indexKeywords: return indexKeywords.joined(separator: "; ")
        case .sourceTitle: return sourceTitle
        case .figureCaptions: return figureCaptions.joined(separator: "; ")
        }
    }
}

/// The fields a rule can look at. The raw values are the names used in rules files and in
/// evidence output.
public enum ArticleField: String, CaseIterable, Codable, Hashable, Sendable, Comparable {
    case title, abstract, authorKeywords, indexKeywords, sourceTitle, figureCaptions

    public static func < (a: ArticleField, b: ArticleField) -> Bool { a.index < b.index }

    /// Position in `allCases`.
    var index: Int {
        switch self {
        case .title: 0
        case .abstract: 1
        case .authorKeywords: 2
        case .indexKeywords: 3
        case .sourceTitle: 4
        case .figureCaptions: 5
        }
    }
}
