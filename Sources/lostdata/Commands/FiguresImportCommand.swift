import ArgumentParser
import Core
import Figures
import Foundation
import Study

/// `lostdata figures import PATH...`: counts stored in the study, linked to bibliography records.
struct FiguresImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Count EM images in JATS files and store them in the study for Table 1.",
        discussion: """
        Each article is linked to its bibliography record by DOI (run `lostdata \
        bibliography import` first); articles without a record are listed on stderr \
        and stored anyway. Without --baseline the articles are the study's own \
        publications: they serve every source declared `articles: figures` in \
        study.yaml. With --baseline NAME they are stored as the published articles \
        of the third-party source NAME (declare it with `articles: figures` too). \
        Importing a file again replaces its earlier counts. `lostdata table1` then \
        uses these counts.
        """
    )

    @Argument(help: ArgumentHelp("JATS files or directories.", valueName: "PATH"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("Store the articles as the baseline source NAME instead of the study's own.", valueName: "NAME"))
    var baseline: String?

    @OptionGroup var read: FiguresReadOptions

    @OptionGroup var studyOptions: StudyOptions

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let b = baseline, b.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--baseline needs a source name") }
    }

    func run() throws {
        let study = try studyOptions.open()
        let supplementDir = read.supplement ?? study.file.figures.supplements.map { study.resolve($0).path }
        let (summary, errors) = try Self.perform(study, paths: paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                                                 baseline: baseline, supplementDir: supplementDir, maxFileMb: read.maxFileMb)
        for e in errors { Diagnostics.error(e.description) }
        for (file, doi) in summary.withoutRecord {
            Diagnostics.warning("\(file): no bibliography record for \(doi.map { "DOI \($0)" } ?? "this article (it has no DOI)")")
        }
        let target = baseline.map { "baseline '\($0)'" } ?? "the study's own articles"
        Diagnostics.info("stored \(summary.stored) article(s) as \(target); \(summary.withoutRecord.count) without a bibliography record")
        if !summary.outliers.trimmed.isEmpty {
            Diagnostics.info("\(summary.outliers.trimmed.count) article(s) with more than \(summary.outliers.threshold) EM images "
                             + "(left out by `lostdata table1 --trim-outliers`): "
                             + summary.outliers.trimmed.map { "\($0.file) (\($0.total.total))" }.joined(separator: ", "))
        }
        if !errors.isEmpty {
            throw PartialSuccess(message: "\(errors.count) input(s) rejected; the others were stored")
        }
    }

    /// Counts the JATS under `paths` (absolute) and stores them — what `figures import` and
    /// `run` share. Returns what was stored and every input that was rejected.
    static func perform(_ study: Study, paths: [String], baseline: String?, supplementDir: String?,
                        maxFileMb: Int, progress: any ProgressReporter = TerminalProgress.make()) throws -> (FiguresImportSummary, [InputError]) {
        let reader = JATSReader(maxBytes: maxFileMb * 1024 * 1024)
        // Stored paths are absolute, so that re-importing a file from elsewhere replaces its row.
        let (found, pathErrors) = FiguresInput.files(paths)
        let files = FiguresInput.excludingSupplements(found, directory: supplementDir)
        let (supplements, supplementErrors) = FiguresInput.supplements(supplementDir, reader: reader)
        var errors = pathErrors + supplementErrors
        var articles: [ArticleFigures] = []
        for result in FiguresInput.count(files, reader: reader, supplements: supplements, progress: progress) {
            switch result {
            case .success(let found): articles += found
            case .failure(let e): errors.append(e)
            }
        }
        return (try study.importFigures(articles, baseline: baseline), errors)
    }
}
