import ArgumentParser
import Classification
import Foundation
import Study

/// `lostdata classify`: propose categories for the study's articles (the paper's Figure 3 topics).
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Assign the study's articles to the paper's categories by editable rules.",
        discussion: """
        Every included article gets a proposal: the categories whose rules score at or above \
        their threshold, a primary category, a score per category, the matched rules as evidence, \
        and an "ambiguous" flag when the two best candidates are close. Proposals replace the \
        previous ones; a person's decisions (lostdata review) are never changed — where a \
        decision now differs from the proposal, it is listed on stderr.

        Rules: classification.rules in study.yaml, else rules.yaml in the study directory, \
        else the shipped rules (`lostdata rules init` copies them for editing). \
        See docs/classification.md.
        """,
        subcommands: [ClassifyRunCommand.self, ClassifySummaryCommand.self],
        defaultSubcommand: ClassifyRunCommand.self
    )
}

/// `lostdata classify [--study DIR] [--json]` and `lostdata classify FILE... --json`.
struct ClassifyRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Classify the study's articles, or the records of export files (the default when no subcommand is given).",
        discussion: """
        With FILE… (Scopus, Web of Science, RIS, BibTeX, Lens or OpenAlex exports), each record is \
        classified straight from the file — one result per record, nothing stored, no study needed \
        (a study given with --study, or found in the current directory, lends its rules). Without \
        FILE, the study's included articles are classified and the proposals stored.
        """
    )

    @Argument(help: ArgumentHelp("Export files to classify without a study.", valueName: "FILE"))
    var files: [String] = []

    @OptionGroup var studyOptions: StudyOptions

    @Flag(name: .long, help: "Print one JSON object per article per line instead of the table.")
    var json = false

    @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
    var output: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        if !files.isEmpty { return try classifyFiles() }
        let study = try studyOptions.open()
        let outcome = try study.classify(progress: TerminalProgress.make())
        for w in outcome.warnings { Diagnostics.warning(w) }
        let text: String
        if json {
            text = outcome.results.map { ClassificationJSON.line($0, taxonomy: outcome.ruleSet.taxonomy) + "\n" }.joined()
        } else {
            text = ClassifyTable.render(outcome)
        }
        try Output.write(text, to: output)
        Diagnostics.info("classified \(outcome.results.count) article(s) with \(outcome.rulesFile): "
                         + "\(outcome.unclassifiedCount) unclassified, \(outcome.ambiguousCount) ambiguous"
                         + (outcome.excludedCount > 0 ? "; \(outcome.excludedCount) excluded article(s) left out" : ""))
        for d in outcome.disagreements {
            Diagnostics.warning("article \(d.articleID): the decision (\(d.decision?.categories.joined(separator: "; ") ?? "")) "
                                + "differs from the new proposal (\(d.suggested.joined(separator: "; "))); the decision stands")
        }
        if !outcome.disagreements.isEmpty {
            Diagnostics.info("\(outcome.disagreements.count) decision(s) disagree with the proposals; `lostdata review status` lists them")
        }
    }
}

extension ClassifyRunCommand {
    /// `classify FILE…`: the rules of the study when there is one, else the shipped rules.
    func classifyFiles() throws {
        let hasStudy = FileManager.default.fileExists(atPath: studyOptions.url.appendingPathComponent(StudyFile.fileName).path)
        let rules = try hasStudy ? studyOptions.open().classificationRules().rules : ShippedRules.load()
        let outcome = try Study.classifyExports(files, rules: rules, progress: TerminalProgress.make())
        for e in outcome.errors { Diagnostics.error(e.description) }
        let text: String
        if json {
            text = outcome.results.map { ClassificationJSON.line($0, taxonomy: rules.taxonomy) + "\n" }.joined()
        } else {
            text = outcome.results.map { r in "\(r.primary)\t\(r.categories.joined(separator: "; "))\t\(r.doi ?? "-")\t\(r.title)\n" }.joined()
        }
        try Output.write(text, to: output)
        Diagnostics.info("classified \(outcome.results.count) record(s) from \(files.count) file(s): "
                         + "\(outcome.results.filter { $0.primary == Taxonomy.unclassified }.count) unclassified, "
                         + "\(outcome.results.filter(\.ambiguous).count) ambiguous")
        if outcome.results.isEmpty && !outcome.errors.isEmpty {
            throw CommandFailure(message: "nothing could be read from the given file(s)")
        }
        if !outcome.errors.isEmpty {
            throw PartialSuccess(message: "\(outcome.errors.count) record(s) or file(s) could not be read; see above")
        }
    }
}

/// The human table of `lostdata classify`: articles per primary category.
enum ClassifyTable {
    static func render(_ outcome: ClassifyOutcome) -> String {
        var primary: [String: Int] = [:]
        var ambiguous: [String: Int] = [:]
        for r in outcome.results {
            primary[r.primary, default: 0] += 1
            if r.ambiguous { ambiguous[r.primary, default: 0] += 1 }
        }
        var out = "| primary category | articles | ambiguous |\n|---|---:|---:|\n"
        for c in outcome.ruleSet.taxonomy.categories where primary[c.id] != nil {
            out += "| \(c.id) | \(primary[c.id] ?? 0) | \(ambiguous[c.id] ?? 0) |\n"
        }
        out += "| total | \(outcome.results.count) | \(outcome.ambiguousCount) |\n"
        return out
    }
}
