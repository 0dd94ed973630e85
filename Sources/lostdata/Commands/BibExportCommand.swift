import ArgumentParser
import Bibliography
import Foundation
import Study

/// `lostdata bib export`
struct BibExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the article list as CSV, RIS or BibTeX.",
        discussion: "Only included articles unless --all. RIS and BibTeX carry the article id (ID / lostdata-id)."
    )

    @Option(name: .long, help: ArgumentHelp("csv, ris or bibtex.", valueName: "FORMAT"))
    var format: ExportWriter.Format = .csv

    @Flag(name: .long, help: "Also write excluded articles (with their reason).")
    var all = false

    @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
    var output: String?

    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let study = try studyOptions.open()
        try Output.write(try study.exportArticles(as: format, includeExcluded: all), to: output)
    }
}

extension ExportWriter.Format: ExpressibleByArgument {}
