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
        given with --facility, in that order), then "All facilities", their sum.
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

    @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
    var output: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let table = try await withCatalogue(url) { try await CatalogueTable1.table($0, facilities: facilities) }
        try Output.write(Table1Report.render(table, as: json ? .json : format.value), to: output)
    }
}
