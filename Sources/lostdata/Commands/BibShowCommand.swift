import ArgumentParser
import Foundation
import Study

/// `lostdata bib show ID`
struct BibShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one article: its merged fields, every record it came from (file:line and raw tags), the merge log and decisions.",
        discussion: "ID is the article id from `bib list`, or any DOI, Scopus EID or WoS UT of its records."
    )

    @Argument(help: ArgumentHelp("Article id, DOI, EID or UT.", valueName: "ID"))
    var id: String

    @Flag(name: .long, help: "Also print every raw tag of every source record.")
    var raw = false

    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let study = try studyOptions.open()
        let d = try study.article(id)
        var out = "\(d.row.id)\n"
        let order = ["title", "authors", "year", "sourceTitle", "volume", "issue", "pages", "doi", "eid", "ut", "pmid", "issn", "eissn",
                     "documentType", "rawDocumentType", "languages", "publisher", "citedBy", "authorKeywords", "indexKeywords",
                     "machineExclusion", "exclusionReasons", "exclusion", "hints", "abstract"]
        for key in order { if let v = d.record[key] { out += "  \(key): \(v)\n" } }
        if d.row.exclusion == nil { out += "  exclusion: none (included)\n" }
        out += "sources (\(d.sources.count)), survivor first:\n"
        for s in d.sources {
            out += "  \(s.database) \(s.id ?? "(no id)")  \(s.path):\(s.line)-\(s.endLine)\n"
            if raw, let r = s.raw {
                for t in r.tags { for v in t.values { out += "      \(t.name): \(v.prefix(200))\n" } }
            }
        }
        if !d.merges.isEmpty {
            out += "merge log:\n"
            for m in d.merges { out += "  \(m.merged) joined \(m.into) by \(m.rule) (\(m.detail))\n" }
        }
        if !d.decisions.isEmpty {
            out += "decisions:\n"
            for x in d.decisions { out += "  \(x.decidedAt) \(x.author): \(x.value)\(x.note.map { " — \($0)" } ?? "")\n" }
        }
        try Output.write(out, to: nil)
    }
}
