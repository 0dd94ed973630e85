import ArgumentParser
import Foundation
import Reports
import Study

/// `lostdata table1`: the paper's Table 1 for a study.
struct Table1Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table1",
        abstract: "Print Table 1: acquired, published and lost images per source and technique.",
        discussion: """
        Sources and where their counts come from are declared in study.yaml. Averages and \
        percentages are rounded half-up to two decimals; Lost = 100 − Published before rounding.

        --trim-outliers [N] drops articles with more than N images (without N: the study's \
        figures.outlierThreshold, default 50) and reports which, with the totals before and after.
        """
    )

    @OptionGroup var studyOptions: StudyOptions

    @Option(name: .long, help: ArgumentHelp("Output format: markdown, csv, json, latex or html.", valueName: "FORMAT"))
    var format: ReportFormatArgument = .markdown

    @Flag(name: .long, help: "Same as --format json.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Drop articles with more than N images (N defaults to figures.outlierThreshold in study.yaml, else 50).", valueName: "N"))
    var trimOutliers: TrimThreshold?

    @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
    var output: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if case .value(let n) = trimOutliers, n < 0 { throw ValidationError("--trim-outliers takes a number ≥ 0") }
    }

    func run() throws {
        let study = try studyOptions.open()
        let threshold: Int?
        switch trimOutliers {
        case .none: threshold = nil
        case .study: threshold = study.file.figures.outlierThreshold
        case .value(let n): threshold = n
        }
        let result = try study.table1(trimOutliers: threshold)
        for w in result.warnings { Diagnostics.warning(w) }
        for r in result.rejected { Diagnostics.error(r.description) }
        let text = Table1Report.render(result.table, as: json ? .json : format.value)
        try Output.write(text, to: output)
        if !result.rejected.isEmpty {
            throw PartialSuccess(message: "\(result.rejected.count) input row(s) rejected; the table leaves them out")
        }
    }
}

/// `--format` values, for every report command.
enum ReportFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case markdown, md, csv, json, latex, tex, html
    var value: ReportFormat {
        switch self {
        case .markdown, .md: return .markdown
        case .csv: return .csv
        case .json: return .json
        case .latex, .tex: return .latex
        case .html: return .html
        }
    }
}

/// `--trim-outliers` with a number, or bare (`study`, inserted by `OptionalValueOptions`): the
/// study's own threshold, which is known only once the study is open.
enum TrimThreshold: ExpressibleByArgument {
    case study
    case value(Int)
    init?(argument: String) {
        if argument == "study" { self = .study } else if let n = Int(argument) { self = .value(n) } else { return nil }
    }
}
