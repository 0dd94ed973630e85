import Ledger

/// Everything the study report shows, as values: computed by the Study (queries) and the
/// Ledger (Table 1); `StudyReportRenderer` only lays it out. `report.json` is these values, and
/// the HTML is rendered from exactly them.
public struct StudyReport: Hashable, Sendable {
    /// One input file and what its stage made of it. Counts are nil where the stage does not
    /// count per file (the archive is counted per root).
    public struct Input: Hashable, Sendable {
        public var stage: String
        /// As the report prints it: relative to the study when inside it.
        public var path: String
        public var sha256: String
        public var bytes: Int
        public var read: Int?
        public var kept: Int?
        public var merged: Int?
        public var rejected: Int?
        public init(stage: String, path: String, sha256: String, bytes: Int, read: Int? = nil, kept: Int? = nil,
                    merged: Int? = nil, rejected: Int? = nil) {
            (self.stage, self.path, self.sha256, self.bytes) = (stage, path, sha256, bytes)
            (self.read, self.kept, self.merged, self.rejected) = (read, kept, merged, rejected)
        }
    }

    /// A chart, or the sentence that stands in for it when the study lacks its data.
    public enum Figure: Hashable, Sendable {
        case chart(BarChart)
        case missing(id: String, title: String, sentence: String)

        public var id: String {
            switch self {
            case .chart(let c): return c.id
            case .missing(let id, _, _): return id
            }
        }
    }

    public var name: String
    public var period: ClosedRange<Int>?
    public var inputs: [Input]
    /// Table 1 as `lostdata table1` prints it, and with outliers trimmed at `outlierThreshold`.
    public var table1: Table1
    public var table1Trimmed: Table1
    public var outlierThreshold: Int
    public var figures: [Figure]

    public init(name: String, period: ClosedRange<Int>?, inputs: [Input], table1: Table1, table1Trimmed: Table1,
                outlierThreshold: Int, figures: [Figure]) {
        (self.name, self.period, self.inputs) = (name, period, inputs)
        (self.table1, self.table1Trimmed, self.outlierThreshold, self.figures) = (table1, table1Trimmed, outlierThreshold, figures)
    }
}
