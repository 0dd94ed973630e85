import Ledger

/// The catalogue report's values (`lostdata catalogue report`): Table 1 with one source per
/// facility plus the network, and the archive charts per facility and combined. Computed by the
/// Catalogue target (aggregates from the server); `CatalogueReportRenderer` only lays it out.
public struct CatalogueReport: Hashable, Sendable {
    public struct Facility: Hashable, Sendable {
        public var name: String
        public var pushedAt: String
        public var toolVersion: String
        public var figures: [StudyReport.Figure]
        public init(name: String, pushedAt: String, toolVersion: String, figures: [StudyReport.Figure]) {
            (self.name, self.pushedAt, self.toolVersion, self.figures) = (name, pushedAt, toolVersion, figures)
        }
    }

    /// What the catalogue is, as the report names it (the redacted address).
    public var catalogue: String
    public var table1: Table1
    public var table1Trimmed: Table1
    public var outlierThreshold: Int
    /// The charts over all facilities shown.
    public var combined: [StudyReport.Figure]
    public var facilities: [Facility]

    public init(catalogue: String, table1: Table1, table1Trimmed: Table1, outlierThreshold: Int,
                combined: [StudyReport.Figure], facilities: [Facility]) {
        (self.catalogue, self.table1, self.table1Trimmed, self.outlierThreshold) = (catalogue, table1, table1Trimmed, outlierThreshold)
        (self.combined, self.facilities) = (combined, facilities)
    }
}
