import ArgumentParser
import Catalogue
import Foundation
import Reports

/// `lostdata catalogue table1`: Table 1 with one source per facility and the network total.
struct CatalogueTable1Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table1",
        abstract: "Table 1 per facility plus the network total (aggregated in the server).",
        discussion: """
        The same table and formats as `lostdata table1`: one source per facility (all, or those \
        given with --facility, in that order), then "All facilities", their sum. \
        --trim-outliers [N] leaves out every article with more than N images (all techniques \
        together), as `lostdata table1 --trim-outliers` does for one study; without N: 50 (a push \
        does not carry a facility's figures.outlierThreshold).
        """
    )

    @Option(name: .customLong("from"), help: ArgumentHelp("The catalogue (postgres://…); default: LOSTDATA_CATALOGUE_URL or PG* variables.", valueName: "URL"))
    var url: String?

    @Option(name: .customLong("facility"), help: ArgumentHelp("A facility to show (repeatable; default: all).", valueName: "NAME"))
    var facilities: [String] = []

    @Option(name: .long, help: ArgumentHelp("Output format: markdown, csv, json, latex or html.", valueName: "FORMAT"))
    var format: ReportFormatArgument = .markdown

    @Flag(name: .long, help: "Same as --format json.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Drop articles with more than N images (N defaults to 50).", valueName: "N"))
    var trimOutliers: TrimThreshold?

    @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
    var output: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if case .value(let n) = trimOutliers, n < 0 { throw ValidationError("--trim-outliers takes a number ≥ 0") }
    }

    func run() async throws {
        let threshold = trimOutliers?.catalogueThreshold
        let table = try await withCatalogue(url) { try await CatalogueTable1.table($0, facilities: facilities, trimOutliers: threshold) }
        try Output.write(Table1Report.render(table, as: json ? .json : format.value), to: output)
    }
}

extension TrimThreshold {
    /// The catalogue's threshold: a bare `--trim-outliers` means the default, 50, since no
    /// study is open and a push does not carry a facility's own threshold.
    var catalogueThreshold: Int {
        switch self {
        case .study: return CatalogueReportBuilder.defaultOutlierThreshold
        case .value(let n): return n
        }
    }
}
