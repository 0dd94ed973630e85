import ArgumentParser
import Core
import Foundation
import Study

/// `lostdata literature status`
struct LiteratureStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per query and per article: what is stored, fresh, missing, failed."
    )

    @Flag(name: .long, help: "Print as JSON on stdout.")
    var json = false

    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let s = try studyOptions.open().literatureStatus()
        let iso = ISO8601DateFormatter()
        if json {
            let queries = s.queries.map { q -> JSONValue in
                .object([("query", .string(q.name)), ("key", .string(q.key)), ("source", .string(q.source)), ("baseline", q.baseline.map(JSONValue.string) ?? .null), ("state", .string(q.state)),
                         ("pages", .int(q.pages)), ("records", .int(q.records)), ("total", q.total.map(JSONValue.int) ?? .null),
                         ("lastFetched", q.lastFetched.map { .string(iso.string(from: $0)) } ?? .null), ("fresh", .bool(q.fresh)),
                         ("error", q.error.map(JSONValue.string) ?? .null)])
            }
            let articles = s.articles.map { a -> JSONValue in
                .object([("article", .string(a.articleId)), ("doi", a.doi.map(JSONValue.string) ?? .null), ("pmcid", a.pmcid.map(JSONValue.string) ?? .null),
                         ("status", .string(a.status)), ("detail", a.detail.map(JSONValue.string) ?? .null), ("file", a.file.map(JSONValue.string) ?? .null)])
            }
            try Output.write(JSONValue.object([("queries", .array(queries)), ("articles", .array(articles)), ("notTried", .int(s.notTried))]).rendered() + "\n", to: nil)
            return
        }
        var text = BibOutput.table(["query", "source", "state", "pages", "records", "total", "fresh", "error"], s.queries.map {
            [$0.name, $0.source, $0.state, String($0.pages), String($0.records), $0.total.map(String.init) ?? "-", $0.fresh ? "yes" : "no", $0.error ?? ""]
        })
        let counts = Dictionary(grouping: s.articles, by: \.status).mapValues(\.count)
        text += "full texts: stored \(counts["stored"] ?? 0), missing \(counts["missing"] ?? 0), failed \(counts["failed"] ?? 0), not tried \(s.notTried)\n"
        for a in s.articles where a.status != "stored" {
            text += "  \(a.status)  \(a.articleId)  \(a.detail ?? "")\n"
        }
        try Output.write(text, to: nil)
    }
}
