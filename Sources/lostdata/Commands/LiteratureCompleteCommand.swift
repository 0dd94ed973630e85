import ArgumentParser
import Core
import Foundation
import Study

/// `lostdata literature complete`
struct LiteratureCompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete",
        abstract: "Complete articles lacking an abstract, affiliations or an ISSN from Crossref's /works/{doi}.",
        discussion: """
        Asks Crossref for each article with a DOI that lacks an abstract, affiliations or an \
        ISSN after merging all its sources, and that holds no Crossref record yet. Each answer \
        is stored as a record of its own and merged into its article like any other source \
        (the deduplication's precedence decides between values; Crossref fills what is \
        empty). Prints per article what it lacked and what was filled. Articles completed \
        before are not asked again.
        """
    )

    @Flag(name: .long, help: "Only articles not excluded.")
    var onlyIncluded = false

    @OptionGroup var common: LiteratureCommandOptions

    func run() throws {
        let (study, options) = try common.open()
        let r = try study.completeFromCrossref(onlyIncluded: onlyIncluded, options: options, progress: TerminalProgress.make())
        let counts = Dictionary(grouping: r.items, by: \.status).mapValues(\.count)
        if common.json {
            let items = r.items.map { i -> JSONValue in
                .object([("article", .string(i.articleId)), ("doi", .string(i.doi)), ("lacking", .array(i.lacking.map(JSONValue.string))),
                         ("status", .string(i.status)), ("detail", i.detail.map(JSONValue.string) ?? .null)])
            }
            try Output.write(JSONValue.object([("articles", .array(items)), ("skipped", .int(r.skipped))]).rendered() + "\n", to: nil)
        } else {
            var text = "completed \(counts["completed"] ?? 0), unchanged \(counts["unchanged"] ?? 0), not in Crossref \(counts["notFound"] ?? 0), "
                + "failed \(counts["failed"] ?? 0), nothing to complete \(r.skipped)\n"
            if !r.items.isEmpty {
                text += BibOutput.table(["article", "doi", "lacked", "status", "detail"],
                                        r.items.map { [$0.articleId, $0.doi, $0.lacking.joined(separator: ", "), $0.status, $0.detail ?? ""] })
            }
            try Output.write(text, to: nil)
        }
        for f in r.items where f.status == "failed" { Diagnostics.error("\(f.articleId): \(f.detail ?? "failed")") }
        if (counts["failed"] ?? 0) > 0 { throw PartialSuccess(message: "\(counts["failed"]!) article(s) failed; run the command again to retry them") }
    }
}
