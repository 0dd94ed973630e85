import Core
import ArgumentParser
import Bibliography
import Foundation
import Reports
import Study

/// `lostdata bib inspect FILE...` — no study needed.
struct BibInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Read exports and report records, rejects, duplicates and exclusions, without a study.",
        discussion: """
        Nothing is stored. With --json, prints one JSON document:
          {"files":[{"path","format","records","rejected":[{"line","reason"}],…}],
           "records","unique","merged","excluded":{reason:count}}
        With --records, prints one JSON object per unique article, one per line:
          {"id","doi","title","year","documentType","sources":[{"database","id","file","line"}],"excluded"}
        Without a study there is no period, so out-of-range is never applied (use --from/--to).
        """
    )

    @Argument(help: ArgumentHelp("Export files.", valueName: "FILE"))
    var files: [String]

    @Option(name: .long, help: ArgumentHelp("Read every file as this format: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "FORMAT"))
    var format: ExportFormat?

    @Flag(name: .long, help: "Print the summary as one JSON document.")
    var json = false

    @Flag(name: .long, help: "Print one JSON object per unique article, one per line.")
    var records = false

    @Option(name: .long, help: ArgumentHelp("First year of the period (records before it are out-of-range).", valueName: "YEAR"))
    var from: Int?

    @Option(name: .long, help: ArgumentHelp("Last year of the period.", valueName: "YEAR"))
    var to: Int?

    @Flag(name: .long, help: "Print how long reading and deduplicating took, on stderr.")
    var timings = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if let f = from, let t = to, f > t { throw ValidationError("--from \(f) is after --to \(t)") }
    }

    func run() throws {
        let period = from.flatMap { f in to.map { f...$0 } }
        let report = Study.inspectBibliography(files, format: format, period: period, progress: TerminalProgress.make())
        // The report (every record and article) lives until the process exits: freeing it string
        // by string when `run` returns was 2–3 % of `bib inspect`, and the exit frees it at once.
        ProcessLifetime.keep(report)
        if timings {
            Diagnostics.write(String(format: "lostdata: timings: read %.3f s, deduplicate+judge %.3f s (%.3f s CPU) (%d records, %d unique)",
                                     report.readSeconds, report.analyseSeconds, report.analyseCPUSeconds, report.records, report.unique))
        }
        if records, let analysis = report.analysis {
            var out = ""
            out.reserveCapacity(analysis.articles.count * 200)
            for a in analysis.articles {
                let r = a.record
                let sources = a.members.map { m -> JSONValue in
                    let s = analysis.records[m].source
                    return .object([("database", .string(s.database.rawValue)), ("id", s.id.map(JSONValue.string) ?? .null),
                                    ("file", .string(s.file)), ("line", .int(s.line))])
                }
                let obj = JSONValue.object([
                    ("id", .string(a.id)),
                    ("doi", r.doi.map { .string($0.value) } ?? .null),
                    ("title", r.title.map(JSONValue.string) ?? .null),
                    ("year", r.year.map(JSONValue.int) ?? .null),
                    ("documentType", .string(r.documentType.rawValue)),
                    ("sources", .array(sources)),
                    ("excluded", a.verdict.exclusion.map { .string($0.rawValue) } ?? .null),
                ])
                out += obj.rendered() + "\n"
            }
            try Output.write(out, to: nil)
        } else {
            try BibOutput.summary(report, json: json, totalsLabel: "\(report.records) records, \(report.unique) unique articles")
        }
        try BibOutput.finish(report)
    }
}
