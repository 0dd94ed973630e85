import ArgumentParser
import Foundation
import Study

/// `lostdata bib include ID`
struct BibIncludeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "include",
        abstract: "Undo an article's exclusion (or, with --exclude REASON, set one by hand).",
        discussion: """
        Your decision is stored in the study and outlives every later import. The newest decision \
        per article wins, so running `bib include ID` after `--exclude` undoes it again. \
        Reasons: review, erratum, retraction, editorial, conference-review, translation, out-of-range.
        """
    )

    @Argument(help: ArgumentHelp("Article id, DOI, EID or UT.", valueName: "ID"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("Exclude the article for this reason instead.", valueName: "REASON"))
    var exclude: String?

    @Option(name: .long, help: ArgumentHelp("Why (kept with the decision).", valueName: "TEXT"))
    var note: String?

    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let study = try studyOptions.open()
        let author = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        let row = try study.decideExclusion(id, value: exclude ?? "include", author: author, note: note)
        if let e = row.exclusion {
            Diagnostics.info("\(row.id): excluded (\(e))")
        } else {
            Diagnostics.info("\(row.id): included" + (row.machineExclusion.map { " (the rules said \($0))" } ?? ""))
        }
    }
}
