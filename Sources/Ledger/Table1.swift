import Core

/// A column of Table 1: one technique of a source, or the source's TOTAL.
public enum ColumnKey: Hashable, Sendable, CustomStringConvertible {
    case technique(Technique)
    case total
    public var description: String {
        switch self {
        case .technique(let t): return t.rawValue
        case .total: return "TOTAL"
        }
    }
}

/// One column of Table 1, every row computed.
public struct Table1Column: Hashable, Sendable {
    public var key: ColumnKey
    /// Nil prints as "No data".
    public var acquired: Int?
    public var articles: Int
    public var images: Int
    /// Nil when there are no articles.
    public var imagesPerArticle: Hundredths?
    /// Nil prints as "—": no acquisition data, or nothing acquired.
    public var publishedPercent: Hundredths?
    public var lostPercent: Hundredths?
}

/// An article set aside by outlier trimming.
public struct TrimmedArticle: Hashable, Sendable {
    public var id: String
    public var images: Int
    public init(id: String, images: Int) { (self.id, self.images) = (id, images) }
}

/// What trimming did to one source: which articles left, and the totals before and after.
public struct TrimReport: Hashable, Sendable {
    public var threshold: Int
    /// False for a source known only by aggregates: nothing to trim article by article.
    public var applicable: Bool
    public var trimmed: [TrimmedArticle]
    public var before: Tally
    public var after: Tally
    public init(threshold: Int, applicable: Bool, trimmed: [TrimmedArticle], before: Tally, after: Tally) {
        (self.threshold, self.applicable, self.trimmed, self.before, self.after) = (threshold, applicable, trimmed, before, after)
    }
}

/// Table 1 for one source.
public struct SourceTable: Hashable, Sendable {
    public var name: String
    public var columns: [Table1Column]
    public var trim: TrimReport?

    public var total: Table1Column { columns.first { $0.key == .total }! }
}

/// The paper's Table 1: every source side by side.
public struct Table1: Hashable, Sendable {
    public var sources: [SourceTable]
    public init(sources: [SourceTable]) { self.sources = sources }

    /// The row labels, exactly as the paper prints them.
    public static let rowLabels = [
        "Number of acquired images",
        "Number of published articles",
        "Number of published images",
        "Average number of images per article",
        "Published data, %",
        "Lost data, %",
    ]
}
