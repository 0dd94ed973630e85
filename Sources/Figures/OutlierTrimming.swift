import Core

/// Drops articles with more EM images than a threshold from a set, and says which.
///
/// Why: a few articles (atlases, reviews, method papers) show hundreds of micrographs and would
/// dominate the average images per article; the paper reports totals with and without them.
public struct OutlierTrim: Hashable, Sendable {
    public struct Totals: Hashable, Sendable {
        public var articles: Int
        public var images: TechniqueCounts
    }

    /// Articles with more than this many EM images (main text + supplement) are trimmed.
    public var threshold: Int
    /// The trimmed articles, most images first.
    public var trimmed: [ArticleFigures]
    public var before: Totals
    public var after: Totals

    public static let defaultThreshold = 50

    public init(_ articles: [ArticleFigures], threshold: Int = OutlierTrim.defaultThreshold) {
        self.threshold = threshold
        let (out, kept) = articles.reduce(into: ([ArticleFigures](), [ArticleFigures]())) { acc, a in
            if a.total.total > threshold { acc.0.append(a) } else { acc.1.append(a) }
        }
        trimmed = out.sorted { $0.total.total > $1.total.total }
        before = Totals(articles: articles.count, images: articles.map(\.total).reduce(TechniqueCounts(), +))
        after = Totals(articles: kept.count, images: kept.map(\.total).reduce(TechniqueCounts(), +))
    }
}
