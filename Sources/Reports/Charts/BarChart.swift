/// A bar chart as values: what the SVG renderer draws and what the report's data table and CSV
/// print. Categories run along the x axis; each series has one value per category.
public struct BarChart: Hashable, Sendable {
    public enum Layout: String, Hashable, Sendable { case stacked, grouped }
    public enum Scale: String, Hashable, Sendable {
        /// Zero-based, with "nice" ticks (1, 2, 5 × 10ⁿ).
        case linear
        /// Powers of ten: for counts that span orders of magnitude. Zero values draw no bar.
        case decade
    }

    public struct Series: Hashable, Sendable {
        public var name: String
        public var values: [Int]
        public init(name: String, values: [Int]) { (self.name, self.values) = (name, values) }
    }

    /// A file-name-safe identifier: `charts/<id>.svg`, `data/<id>.csv`.
    public var id: String
    public var title: String
    /// The x axis label (what a category is, with its unit).
    public var xLabel: String
    /// The y axis label with its unit ("images", "%", …).
    public var yLabel: String
    public var categories: [String]
    public var series: [Series]
    public var layout: Layout
    public var scale: Scale
    /// One sentence shown under the chart (what is left out, how something was counted).
    public var note: String?

    public init(id: String, title: String, xLabel: String, yLabel: String, categories: [String], series: [Series],
                layout: Layout = .stacked, scale: Scale = .linear, note: String? = nil) {
        (self.id, self.title, self.xLabel, self.yLabel) = (id, title, xLabel, yLabel)
        (self.categories, self.series, self.layout, self.scale, self.note) = (categories, series, layout, scale, note)
    }

    /// Per category, the sum over series (what a stacked bar's top shows).
    public var totals: [Int] { categories.indices.map { i in series.reduce(0) { $0 + ($1.values.indices.contains(i) ? $1.values[i] : 0) } } }

    /// True when there is nothing to draw.
    public var isEmpty: Bool { categories.isEmpty || series.allSatisfy { $0.values.allSatisfy { $0 == 0 } } }
}
