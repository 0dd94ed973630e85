import Foundation

/// One article as written by `bib export`.
public struct ExportEntry: Sendable {
    public var id: String
    public var title: String?
    public var authors: [Author]
    public var year: Int?
    public var sourceTitle: String?
    public var volume: String?
    public var issue: String?
    public var pages: String?
    public var doi: String?
    public var issn: String?
    public var abstract: String?
    public var keywords: [String]
    public var documentType: String?
    public var exclusion: String?

    public init(id: String, title: String?, authors: [Author], year: Int?, sourceTitle: String?, volume: String?,
                issue: String?, pages: String?, doi: String?, issn: String?, abstract: String?, keywords: [String],
                documentType: String?, exclusion: String?) {
        self.id = id; self.title = title; self.authors = authors; self.year = year; self.sourceTitle = sourceTitle
        self.volume = volume; self.issue = issue; self.pages = pages; self.doi = doi; self.issn = issn
        self.abstract = abstract; self.keywords = keywords; self.documentType = documentType; self.exclusion = exclusion
    }
}

/// Writes the article list as CSV, RIS or BibTeX, for reference managers and spreadsheets.
public enum ExportWriter {
    public enum Format: String, CaseIterable, Sendable { case csv, ris, bibtex }

    static let csvColumns = ["id", "doi", "title", "authors", "year", "sourceTitle", "volume", "issue", "pages",
                             "issn", "documentType", "exclusion", "keywords", "abstract"]

    /// RIS TY for each canonical document type (JOUR when not listed).
    static let risTypes: [String: String] = [
        "conference-paper": "CPAPER", "conference-review": "CONF", "book": "BOOK", "book-chapter": "CHAP",
        "preprint": "UNPB", "data-paper": "DATA",
    ]
    static let bibtexTypes: [String: String] = [
        "conference-paper": "inproceedings", "conference-review": "proceedings", "book": "book",
        "book-chapter": "incollection", "preprint": "misc", "data-paper": "misc",
    ]

    public static func write(_ entries: [ExportEntry], as format: Format) -> String {
        switch format {
        case .csv: return csv(entries)
        case .ris: return ris(entries)
        case .bibtex: return bibtex(entries)
        }
    }

    static func authorList(_ a: [Author], _ sep: String) -> String {
        a.map { $0.given.isEmpty ? $0.family : "\($0.family), \($0.given)" }.joined(separator: sep)
    }

    static func csv(_ entries: [ExportEntry]) -> String {
        func q(_ s: String?) -> String {
            guard let s, !s.isEmpty else { return "" }
            if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return s
        }
        var out = csvColumns.joined(separator: ",") + "\n"
        for e in entries {
            let cells: [String?] = [e.id, e.doi, e.title, authorList(e.authors, "; "), e.year.map(String.init), e.sourceTitle,
                                    e.volume, e.issue, e.pages, e.issn, e.documentType, e.exclusion,
                                    e.keywords.joined(separator: "; "), e.abstract]
            out += cells.map(q).joined(separator: ",") + "\n"
        }
        return out
    }

    static func ris(_ entries: [ExportEntry]) -> String {
        var out = ""
        for e in entries {
            func line(_ tag: String, _ v: String?) {
                guard let v, !v.isEmpty else { return }
                out += "\(tag)  - " + v.replacingOccurrences(of: "\n", with: " ") + "\n"
            }
            line("TY", risTypes[e.documentType ?? ""] ?? "JOUR")
            line("ID", e.id)
            line("TI", e.title)
            for a in e.authors { line("AU", a.given.isEmpty ? a.family : "\(a.family), \(a.given)") }
            line("PY", e.year.map(String.init))
            line("T2", e.sourceTitle)
            line("VL", e.volume)
            line("IS", e.issue)
            if let p = e.pages {
                let parts = p.split(separator: "-", maxSplits: 1)
                line("SP", parts.first.map(String.init))
                if parts.count > 1 { line("EP", String(parts[1])) }
            }
            line("SN", e.issn)
            line("DO", e.doi)
            line("M3", e.documentType)
            for k in e.keywords { line("KW", k) }
            line("AB", e.abstract)
            if let x = e.exclusion { line("N1", "lostdata exclusion: \(x)") }
            out += "ER  - \n\n"
        }
        return out
    }

    static func bibtex(_ entries: [ExportEntry]) -> String {
        var out = ""
        var usedKeys: [String: Int] = [:]
        for e in entries {
            let family = e.authors.first.map { TitleKey.family($0.family) } ?? "anon"
            var key = family + (e.year.map(String.init) ?? "")
            if let n = usedKeys[key] { usedKeys[key] = n + 1; key += String(UnicodeScalar(UInt8(97 + min(n, 25)))) } else { usedKeys[key] = 1 }
            out += "@\(bibtexTypes[e.documentType ?? ""] ?? "article"){\(key),\n"
            func field(_ name: String, _ v: String?) {
                guard let v, !v.isEmpty else { return }
                let escaped = v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "{", with: "\\{")
                    .replacingOccurrences(of: "}", with: "\\}").replacingOccurrences(of: "&", with: "\\&")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "\n", with: " ")
                out += "  \(name) = {\(escaped)},\n"
            }
            field("title", e.title)
            field("author", authorList(e.authors, " and "))
            field("year", e.year.map(String.init))
            field(bibtexTypes[e.documentType ?? ""] == "inproceedings" ? "booktitle" : "journal", e.sourceTitle)
            field("volume", e.volume)
            field("number", e.issue)
            field("pages", e.pages.map { $0.replacingOccurrences(of: "-", with: "--") })
            field("issn", e.issn)
            field("doi", e.doi)
            field("keywords", e.keywords.joined(separator: "; "))
            field("abstract", e.abstract)
            field("type", e.documentType)
            field("lostdata-id", e.id)
            field("lostdata-exclusion", e.exclusion)
            out += "}\n\n"
        }
        return out
    }
}
