import ArgumentParser
import Core
import Foundation
import Study

/// `lostdata literature fetch`
struct LiteratureFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download the open JATS full text of the study's articles into fulltext/.",
        discussion: """
        Asks Europe PMC for the JATS of every article with a PMCID, writes fulltext/PMC….xml and \
        fulltext/manifest.csv (DOI, URL, sha256, licence, status), and lists the articles with \
        no obtainable full text, to be counted by hand. `lostdata figures import fulltext` reads \
        the files. Articles stored by an earlier run are not fetched again.
        """
    )

    @Flag(name: .long, help: "Only articles not excluded.")
    var onlyIncluded = false
    @Flag(name: .long, help: "Also download each article's supplementary-files archive.")
    var supplements = false
    @OptionGroup var common: LiteratureCommandOptions

    func run() throws {
        let (study, options) = try common.open()
        let r = try study.fetchFullTexts(onlyIncluded: onlyIncluded, supplements: supplements, options: options,
                                         progress: TerminalProgress.make())
        func item(_ i: LiteratureFetchReport.Item) -> JSONValue {
            .object([("article", .string(i.articleId)), ("doi", i.doi.map(JSONValue.string) ?? .null), ("pmcid", i.pmcid.map(JSONValue.string) ?? .null),
                     ("status", .string(i.status)), ("detail", i.detail.map(JSONValue.string) ?? .null), ("file", i.file.map(JSONValue.string) ?? .null)])
        }
        if common.json {
            try Output.write(JSONValue.object([("stored", .array(r.stored.map(item))), ("alreadyStored", .int(r.alreadyStored)),
                                               ("missing", .array(r.missing.map(item))), ("failed", .array(r.failed.map(item))),
                                               ("manifest", .string(r.manifest))]).rendered() + "\n", to: nil)
        } else {
            var text = "stored \(r.stored.count), already stored \(r.alreadyStored), no open full text \(r.missing.count), failed \(r.failed.count)\n"
            if !r.missing.isEmpty {
                text += "No obtainable full text (count by hand):\n"
                text += BibOutput.table(["article", "doi", "title", "why"], r.missing.map { [$0.articleId, $0.doi ?? "-", String(($0.title ?? "-").prefix(60)), $0.detail ?? ""] })
            }
            text += "manifest: \(r.manifest)\n"
            try Output.write(text, to: nil)
        }
        for f in r.failed { Diagnostics.error("\(f.articleId): \(f.detail ?? "failed")") }
        if !r.failed.isEmpty { throw PartialSuccess(message: "\(r.failed.count) article(s) failed; run the command again to retry them") }
    }
}
