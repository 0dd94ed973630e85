import Core

/// One published article and how many EM images of each technique it shows.
public struct ArticleImages: Hashable, Sendable {
    /// Stable id: the bibliography record id, a DOI, or the id a declared CSV gives.
    public var id: String
    public var images: [Technique: Int]

    public init(id: String, images: [Technique: Int]) {
        self.id = id
        self.images = images
    }

    public var total: Int { images.values.reduce(0, +) }
}

/// Articles and images: one cell pair of Table 1.
public struct Tally: Hashable, Sendable {
    public var articles: Int
    public var images: Int
    public init(articles: Int, images: Int) {
        self.articles = articles
        self.images = images
    }
}

/// Published counts stated only as totals (a third-party baseline read off a paper):
/// articles and images per technique, and the number of distinct articles overall, which
/// cannot be derived from the per-technique numbers when articles use several techniques.
public struct PublishedAggregates: Hashable, Sendable {
    public var byTechnique: [Technique: Tally]
    public var distinctArticles: Int
    /// Declared total images; nil means "the sum of the techniques".
    public var totalImages: Int?

    public init(byTechnique: [Technique: Tally], distinctArticles: Int, totalImages: Int? = nil) {
        self.byTechnique = byTechnique
        self.distinctArticles = distinctArticles
        self.totalImages = totalImages
    }
}

/// What is known about a source's publications.
public enum PublishedInput: Hashable, Sendable {
    /// Per-article counts: totals are computed, distinct articles counted, outliers trimmable.
    case articles([ArticleImages])
    /// Totals only.
    case aggregates(PublishedAggregates)
}

/// Everything the ledger needs about one data source (a facility, or a third-party baseline).
public struct SourceInput: Hashable, Sendable {
    public var name: String
    /// The technique columns, in the order they are printed.
    public var techniques: [Technique]
    /// Techniques counted as another: the facility's STEM images were recorded on SEM
    /// instruments, so `[.stem: .sem]` adds them to SEM.
    public var fold: [Technique: Technique]
    /// Acquired images per technique; nil when the source has no acquisition data ("No data").
    public var acquired: [Technique: Int]?
    public var published: PublishedInput

    public init(name: String, techniques: [Technique], fold: [Technique: Technique] = [:],
                acquired: [Technique: Int]?, published: PublishedInput) {
        self.name = name
        self.techniques = techniques
        self.fold = fold
        self.acquired = acquired
        self.published = published
    }
}
