import Core
import ArgumentParser
import Foundation
import Reports
import Study

/// `lostdata bib list`
struct BibListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the study's articles (included ones, or the excluded ones with their reasons).",
        discussion: """
        With --json, one JSON object per article, one per line:
          {"id","doi","title","year","sourceTitle","documentType","exclusion","machineExclusion","sources"}
        """
    )

    @Flag(name: .long, help: "List the excluded articles instead, with the reason.")
    var excluded = false

    @Flag(name: .long, help: "List every article, included or not.")
    var all = false

    @Flag(name: .long, help: "One JSON object per article, one per line.")
    var json = false

    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let study = try studyOptions.open()
        let rows = try study.articles(excluded: all ? nil : excluded)
        if json {
            var out = ""
            for a in rows {
                out += JSONValue.object([
                    ("id", .string(a.id)), ("doi", a.doi.map(JSONValue.string) ?? .null),
                    ("title", a.title.map(JSONValue.string) ?? .null), ("year", a.year.map(JSONValue.int) ?? .null),
                    ("sourceTitle", a.sourceTitle.map(JSONValue.string) ?? .null),
                    ("documentType", a.documentType.map(JSONValue.string) ?? .null),
                    ("exclusion", a.exclusion.map(JSONValue.string) ?? .null),
                    ("machineExclusion", a.machineExclusion.map(JSONValue.string) ?? .null),
                    ("sources", .int(a.sourceCount)),
                ]).rendered() + "\n"
            }
            try Output.write(out, to: nil)
            return
        }
        let table = BibOutput.table(["id", "year", "type", "excluded", "title"], rows.map {
            [$0.id, $0.year.map(String.init) ?? "-", $0.documentType ?? "-", $0.exclusion ?? "", String(($0.title ?? "").prefix(70))]
        })
        try Output.write(table, to: nil)
        Diagnostics.info("\(rows.count) article(s)")
    }
}
