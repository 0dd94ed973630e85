import ArgumentParser
import Foundation
import Study

/// `lostdata classify summary`: the data of the paper's Figure 3.
struct ClassifySummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Figure 3 data: articles per category and subcategory, images per topic and year.",
        discussion: """
        Figure 3A: articles per category and subcategory, with their share of all classified \
        articles (an article in several categories counts in each, so shares add up to more \
        than 100%). Decisions made in review count; proposals count where nobody decided.

        Figure 3B (when figure counts are in the study): published EM images per topic — the \
        top-level category of each article's primary category — and publication year.
        """
    )

    @OptionGroup var studyOptions: StudyOptions

    @Flag(name: .long, help: "Print JSON (one object) instead of tables.")
    var json = false

    @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE instead of stdout.", valueName: "FILE"))
    var output: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let study = try studyOptions.open()
        let summary = try study.classificationSummary()
        if summary.articles == 0 { Diagnostics.warning("no classified articles; run `lostdata classify` first") }
        try Output.write(json ? Self.json(summary) : Self.table(summary), to: output)
    }

    static func json(_ s: ClassificationSummary) -> String {
        var root: [String: Any] = [
            "articles": s.articles,
            "reviewed": s.reviewed,
            "categories": s.categories.map { c -> [String: Any] in
                ["id": c.id, "name": c.name, "parent": c.parent ?? NSNull(), "articles": c.articles,
                 "percent": (c.percent * 100).rounded() / 100, "reviewed": c.reviewed]
            },
        ]
        if let images = s.imagesByCategoryAndYear {
            root["imagesByCategoryAndYear"] = images.map { i -> [String: Any] in
                ["category": i.category, "year": i.year ?? NSNull(), "articles": i.articles,
                 "sem": i.sem, "stem": i.stem, "tem": i.tem, "images": i.images]
            }
        } else {
            root["imagesByCategoryAndYear"] = NSNull()
        }
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func table(_ s: ClassificationSummary) -> String {
        var out = "Figure 3A — \(s.articles) classified articles (\(s.reviewed) reviewed)\n\n"
        out += "| category | articles | % | reviewed |\n|---|---:|---:|---:|\n"
        for c in s.categories where c.articles > 0 || c.parent == nil {
            let name = c.parent == nil ? c.name : "  " + c.name
            out += "| \(name) | \(c.articles) | \(String(format: "%.1f", c.percent)) | \(c.reviewed) |\n"
        }
        if let images = s.imagesByCategoryAndYear {
            out += "\nFigure 3B — published EM images by topic and year\n\n"
            out += "| topic | year | articles | SEM | STEM | TEM | images |\n|---|---|---:|---:|---:|---:|---:|\n"
            for i in images {
                out += "| \(i.category) | \(i.year.map(String.init) ?? "?") | \(i.articles) | \(i.sem) | \(i.stem) | \(i.tem) | \(i.images) |\n"
            }
        } else {
            out += "\n(Figure 3B needs figure counts: run `lostdata figures import` first.)\n"
        }
        return out
    }
}
