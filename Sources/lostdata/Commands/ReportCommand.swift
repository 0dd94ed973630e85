import ArgumentParser
import Foundation
import Study

/// `lostdata report`: Table 1 and the paper's figures as one self-contained page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the study report: index.html, charts/*.svg, data/*.csv and report.json.",
        discussion: """
        Reads what the stages stored (run `lostdata run` to bring them up to date) and writes \
        report/ in the study, or --out DIR. index.html is self-contained (inline CSS and SVG, no \
        script, no network) and prints cleanly; report.json holds every number it shows. A \
        second report with nothing changed writes the same bytes. See docs/report.md.
        """
    )

    @Option(name: .long, help: ArgumentHelp("Write the report here instead of report/ in the study.", valueName: "DIR"))
    var out: String?

    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let study = try studyOptions.open()
        let dir = study.reportDirectory(out)
        let (result, written) = try study.writeReport(to: dir)
        for w in result.warnings { Diagnostics.warning(w) }
        for r in result.rejected { Diagnostics.error(r.description) }
        Diagnostics.info("report: \(dir.appendingPathComponent("index.html").path) (\(written.count) file(s) written, the others unchanged)")
        if !result.rejected.isEmpty {
            throw PartialSuccess(message: "\(result.rejected.count) input row(s) rejected; the report leaves them out")
        }
    }
}
