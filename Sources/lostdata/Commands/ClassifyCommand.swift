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

/// `lostdata classify [--study DIR] [--json]`.
struct ClassifyRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Classify the study's articles (the default when no subcommand is given)."
    )

    @OptionGroup var studyOptions: StudyOptions

    @Flag(name: .long, help: "Print one JSON object per article per line instead of the table.")
    var json = false

    @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
    var output: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
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
