import ArgumentParser
import Bibliography
import Core
import Foundation
import Study

/// `lostdata literature search`
struct LiteratureSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search a source and store what it finds in the article list.",
        discussion: """
        With --source and search options: one query. Without: every query under \
        literature.queries in study.yaml. A query's pages are stored as they arrive; a run that \
        was interrupted resumes after the last stored page, and a complete query is not asked \
        again (--refresh walks it again, through the cache). Prints per query: found (records \
        sent), new (articles not in the list before), merged, excluded.
        """
    )

    @Option(name: .long, help: ArgumentHelp("openalex, crossref or europepmc.", valueName: "SOURCE"))
    var source: LiteratureAPI?
    @Option(name: .long, help: ArgumentHelp("Affiliation text (the institute as printed).", valueName: "TEXT"))
    var affiliation: String?
    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Instrument models, e.g. SU8000 HT7700.", valueName: "MODEL"))
    var instrument: [String] = []
    @Option(name: .long, help: ArgumentHelp("The facility's name (acknowledgements, full texts).", valueName: "TEXT"))
    var facility: String?
    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Works whose citing articles are wanted: DOIs or OpenAlex ids (OpenAlex only).", valueName: "DOI"))
    var cites: [String] = []
    @Option(name: .long, help: ArgumentHelp("A journal's ISSN (with --volume/--issue: one issue).", valueName: "ISSN"))
    var issn: String?
    @Option(name: .long) var volume: String?
    @Option(name: .long) var issue: String?
    @Option(name: .long, help: ArgumentHelp("First publication year.", valueName: "YEAR")) var from: Int?
    @Option(name: .long, help: ArgumentHelp("Last publication year.", valueName: "YEAR")) var to: Int?
    @Option(name: .long, help: ArgumentHelp("Stop after N records.", valueName: "N")) var max: Int?
    @Option(name: .long, help: ArgumentHelp("The baseline these records are for (journal-issue samples).", valueName: "NAME"))
    var baseline: String?
    @Option(name: .long, help: ArgumentHelp("A name for the query (default: its parameters).", valueName: "NAME"))
    var name: String?
    @Flag(name: .long, help: "Walk complete queries again (through the cache).")
    var refresh = false
    @OptionGroup var common: LiteratureCommandOptions

    func run() throws {
        let (study, opened) = try common.open()
        var queries: [LiteratureQuery]
        if let source {
            var q = LiteratureQuery(name: name, source: source)
            q.affiliation = affiliation; q.instruments = instrument; q.facility = facility; q.cites = cites
            q.issn = issn; q.volume = volume; q.issue = issue; q.from = from ?? study.file.period?.lowerBound
            q.to = to ?? study.file.period?.upperBound; q.max = max; q.baseline = baseline
            if let p = q.problem() { throw ValidationError(p) }
            queries = [q]
        } else {
            queries = study.file.literature.queries
            guard !queries.isEmpty else {
                throw ValidationError("give --source and search options, or declare queries under literature.queries in study.yaml")
            }
        }
        var options = opened
        options.refresh = refresh
        let reports = try study.searchLiterature(queries, options: options, progress: TerminalProgress.make())
        if common.json {
            let items = reports.map { r -> JSONValue in
                .object([("query", .string(r.name)), ("key", .string(r.key)), ("source", .string(r.source.rawValue)),
                         ("state", .string(r.state)), ("found", .int(r.found)), ("stored", .int(r.stored)), ("new", .int(r.new)),
                         ("merged", .int(r.merged)), ("excluded", .int(r.excluded)), ("pages", .int(r.pages)),
                         ("resumedAtPage", r.resumedAtPage.map(JSONValue.int) ?? .null), ("total", r.total.map(JSONValue.int) ?? .null),
                         ("alreadyComplete", .bool(r.alreadyComplete)), ("warnings", .array(r.warnings.map(JSONValue.string))),
                         ("error", r.error.map(JSONValue.string) ?? .null)])
            }
            try Output.write(JSONValue.object([("queries", .array(items))]).rendered() + "\n", to: nil)
        } else {
            let rows = reports.map { r in
                [r.name, r.source.rawValue, String(r.found), String(r.new), String(r.merged), String(r.excluded), String(r.pages),
                 r.alreadyComplete ? "complete (nothing asked; --refresh walks again)" : r.state + (r.resumedAtPage.map { " (resumed at page \($0))" } ?? "")]
            }
            try Output.write(BibOutput.table(["query", "source", "found", "new", "merged", "excluded", "pages", "state"], rows), to: nil)
        }
        for r in reports { for w in r.warnings { Diagnostics.warning("\(r.name): \(w)") } }
        let failed = reports.filter { $0.error != nil }
        for r in failed.dropLast() { Diagnostics.error("\(r.name): \(r.error!)") }
        if let last = failed.last { throw CommandFailure(message: "\(last.name): \(last.error!)") }
    }
}
