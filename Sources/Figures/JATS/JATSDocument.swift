/// What the JATS reader keeps of one article: only the parts figure counting needs, as plain
/// values, so the analysis never holds libxml2 memory.
public struct JATSArticle: Hashable, Sendable {
    /// The article's DOI as written (`<article-id pub-id-type="doi">` of the article's own
    /// `<article-meta>`, not of a sub-article), normalised when it is a DOI.
    public var doi: String?
    /// `article-type` of `<article>` ("research-article", "review-article", …).
    public var articleType: String?
    /// Line of the `<article>` start tag, for messages.
    public var line: Int
    /// Every `<fig>` in document order, wherever it stands.
    public var figures: [JATSFigure]
    /// Every `<supplementary-material>` in document order.
    public var supplements: [JATSSupplement]
    /// Every `<graphic>` element of the article (in figs or not), and how many `<media>` elements
    /// (videos, …) it holds, of which `mediaInSubArticles` stand in peer-review sub-articles.
    public var graphicCount: Int
    public var mediaCount: Int
    public var mediaInSubArticles: Int

    public init(doi: String? = nil, articleType: String? = nil, line: Int = 0,
                figures: [JATSFigure] = [], supplements: [JATSSupplement] = [],
                graphicCount: Int = 0, mediaCount: Int = 0, mediaInSubArticles: Int = 0) {
        self.doi = doi
        self.articleType = articleType
        self.line = line
        self.figures = figures
        self.supplements = supplements
        self.graphicCount = graphicCount
        self.mediaCount = mediaCount
        self.mediaInSubArticles = mediaInSubArticles
    }
}

/// One `<fig>` element, with where it stands.
public struct JATSFigure: Hashable, Sendable {
    public var id: String?
    public var label: String
    /// The whole caption (title, paragraphs, list items), normalised: see `CaptionText`.
    public var caption: String
    /// `fig-type` ("scheme", "video", …) and `specific-use` ("child-fig" in eLife).
    public var figType: String?
    public var specificUse: String?
    /// Inside `<sub-article>` (peer review, author response): not part of the article's data.
    public var inSubArticle: Bool
    /// Inside `<app>` (appendix) or `<floats-group>`: counted like the body.
    public var inAppendix: Bool
    /// `<graphic>` elements in the fig. Reported, never taken as the panel count.
    public var graphics: Int
    /// The caption's last inline element is a bibliographic citation (`<xref ref-type="bibr">`),
    /// the way reviews credit a figure to its source.
    public var endsWithCitation: Bool
    public var line: Int

    public init(id: String? = nil, label: String = "", caption: String = "", figType: String? = nil,
                specificUse: String? = nil, inSubArticle: Bool = false, inAppendix: Bool = false,
                graphics: Int = 0, endsWithCitation: Bool = false, line: Int = 0) {
        self.id = id
        self.label = label
        self.caption = caption
        self.figType = figType
        self.specificUse = specificUse
        self.inSubArticle = inSubArticle
        self.inAppendix = inAppendix
        self.graphics = graphics
        self.endsWithCitation = endsWithCitation
        self.line = line
    }
}

/// One `<supplementary-material>`: a pointer to a file outside the XML (pdf, docx, tif, mp4, …).
public struct JATSSupplement: Hashable, Sendable {
    public var id: String?
    public var label: String
    public var caption: String
    /// `xlink:href` of the element or of the `<media>` it wraps.
    public var href: String?
    /// `mimetype/mime-subtype` when stated ("application/pdf", "image/tiff", "video/mp4").
    public var mediaType: String?
    public var inSubArticle: Bool
    public var line: Int

    public init(id: String? = nil, label: String = "", caption: String = "", href: String? = nil,
                mediaType: String? = nil, inSubArticle: Bool = false, line: Int = 0) {
        self.id = id
        self.label = label
        self.caption = caption
        self.href = href
        self.mediaType = mediaType
        self.inSubArticle = inSubArticle
        self.line = line
    }
}
