import ArgumentParser
import Bibliography
import Foundation
import Reports
import Study

/// `lostdata bib import FILE...`
struct BibImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add literature exports to the study's article list.",
        discussion: """
        Each file's format is recognised from its content (use --format to force one). Importing \
        the same file again adds nothing. Prints, per file: format, records read, records kept, \
        merged into another record, rejected (with file:line and reason on stderr) and excluded. \
        Records read = kept + merged + rejected.

        The article list is rebuilt from every file imported so far, so the order of imports does \
        not matter; your `bib include` decisions are kept.
        """
    )

    @Argument(help: ArgumentHelp("Export files (Scopus, Web of Science, Lens, OpenAlex, RIS, BibTeX).", valueName: "FILE"))
    var files: [String]

    @Option(name: .long, help: ArgumentHelp("Read every file as this format: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "FORMAT"))
    var format: ExportFormat?

    @Flag(name: .long, help: "Print the outcome as one JSON object on stdout.")
    var json = false

    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let study = try studyOptions.open()
        let report = try study.importBibliography(files, format: format, progress: TerminalProgress.make())
        try BibOutput.summary(report, json: json, totalsLabel: "study: \(report.records) records, \(report.unique) articles")
        if !report.orphanedDecisions.isEmpty {
            let shown = report.orphanedDecisions.prefix(5).joined(separator: ", ")
            Diagnostics.warning("\(report.orphanedDecisions.count) exclusion decision(s) concern articles no longer in the list and are not applied: \(shown)\(report.orphanedDecisions.count > 5 ? ", …" : "")")
        }
        try BibOutput.finish(report)
    }
}
