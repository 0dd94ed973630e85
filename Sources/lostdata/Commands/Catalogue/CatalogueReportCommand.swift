import ArgumentParser
import Catalogue
import Foundation

/// `lostdata catalogue report`: the report's Table 1 and archive charts per facility and combined.
struct CatalogueReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the cross-facility report: index.html and report.json (aggregated in the server).",
        discussion: """
        Table 1 per facility plus the network total (as `catalogue table1`), the same trimmed at \
        --trim-outliers N (default 50), and Fig 2A, Fig 2B and lost data per year for all \
        facilities together and for each. Writes DIR/index.html (self-contained: inline CSS and \
        SVG, no script), DIR/report.json and DIR/data/table1*.csv; DIR defaults to ./catalogue-report. \
        See docs/catalogue.md.
        """
    )

    @Option(name: .customLong("from"), help: ArgumentHelp("The catalogue (postgres://…); default: LOSTDATA_CATALOGUE_URL or PG* variables.", valueName: "URL"))
    var url: String?

    @Option(name: .customLong("facility"), help: ArgumentHelp("A facility to show (repeatable; default: all).", valueName: "NAME"))
    var facilities: [String] = []

    @Option(name: .long, help: ArgumentHelp("The report's folder (default: catalogue-report).", valueName: "DIR"))
    var out: String = "catalogue-report"

    @Option(name: .long, help: ArgumentHelp("The trimmed Table 1's threshold: articles with more than N images left out (default 50).", valueName: "N"))
    var trimOutliers: TrimThreshold?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if case .value(let n) = trimOutliers, n < 0 { throw ValidationError("--trim-outliers takes a number ≥ 0") }
    }

    func run() async throws {
        let threshold = trimOutliers?.catalogueThreshold
        let report = try await withCatalogue(url) { try await CatalogueReportBuilder.report($0, facilities: facilities, trimOutliers: threshold) }
        let dir = URL(fileURLWithPath: out, isDirectory: true).standardizedFileURL
        let written: [String]
        do { written = try CatalogueReportBuilder.write(report, to: dir) } catch let e as CatalogueError {
            throw CommandFailure(message: e.description)
        }
        Diagnostics.info("report: \(dir.appendingPathComponent("index.html").path) (\(written.count) file(s) written, the others unchanged)")
    }
}
