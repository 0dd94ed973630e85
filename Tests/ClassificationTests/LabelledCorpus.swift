import Classification
import Core
import Foundation
import XCTest

/// The hand-labelled records of Fixtures/classification/labels.csv, with their text read in place
/// from ../shared/corpora (never copied). The labels file holds only ids, categories and short
/// titles; titles, abstracts and keywords come from the real files.
///
/// The two tiny readers below (WoS plain-text tags, JATS front matter) are test support only:
/// they pull the handful of fields the classifier needs from two known files, nothing more.
struct LabelledRecord {
    var article: ClassifiableArticle
    var labels: Set<String>
    var heldOut: Bool
}

/// One record of Fixtures/classification/primary-labels.csv: the annotator's primary category,
/// the other defensible reading when there was one, and the file it came from (the split is by
/// file: the bit-patterned-media WoS export is the tuning ("dev") part, every other file held out).
struct PrimaryLabelledRecord {
    var article: ClassifiableArticle
    var primary: String
    var alternative: String?
    var source: String
    var heldOut: Bool
}

enum LabelledCorpus {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let corpora = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    static let labelsFile = packageRoot.appendingPathComponent("Fixtures/classification/labels.csv")
    static let primaryLabelsFile = packageRoot.appendingPathComponent("Fixtures/classification/primary-labels.csv")

    /// The primary-category labels (id, source, split, primary, alternative), texts read in place.
    static func loadPrimary() throws -> [PrimaryLabelledRecord] {
        guard FileManager.default.fileExists(atPath: corpora.path) else {
            throw XCTSkip("../shared is absent: \(corpora.path)")
        }
        let parsed = CSV.parse(try Data(contentsOf: primaryLabelsFile))
        XCTAssertNil(parsed.error)
        let rows = Array(parsed.rows.dropFirst())
        var texts: [String: [String: ClassifiableArticle]] = [:]
        for source in Set(rows.map { $0.fields[1] }) {
            texts[source] = try articles(in: source)
        }
        return try rows.map { row in
            let id = row.fields[0], source = row.fields[1]
            guard let article = texts[source]?[id] else {
                throw XCTSkip("labelled record \(id) (primary-labels.csv:\(row.line)) not found in \(source)")
            }
            let alternative = row.fields.count > 4 && !row.fields[4].isEmpty ? row.fields[4] : nil
            return PrimaryLabelledRecord(article: article, primary: row.fields[3], alternative: alternative,
                                         source: source, heldOut: row.fields[2] == "heldout")
        }
    }

    /// Every record of one corpus file, by the id the labels use (first occurrence wins).
    static func articles(in source: String) throws -> [String: ClassifiableArticle] {
        let url = corpora.appendingPathComponent(source)
        let list: [ClassifiableArticle]
        if source.hasPrefix("jats/") { list = [try jats(url)] }
        else if source.hasSuffix(".ris") { list = try ris(url) }
        else if source.hasSuffix(".csv") { list = try scopusCSV(url) }
        else { list = try wosPlainText(url) }
        var out: [String: ClassifiableArticle] = [:]
        for a in list where out[a.id] == nil { out[a.id] = a }
        return out
    }

    /// Scopus RIS: `TAG  - value` lines, `ER` ends a record. Id: `doi:<doi>`, or `ris:<n>` (the
    /// record's 0-based position in the file) when it has no DOI. These exports carry no abstract.
    static func ris(_ url: URL) throws -> [ClassifiableArticle] {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        var out: [ClassifiableArticle] = []
        var fields: [String: [String]] = [:]
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.hasPrefix("\u{FEFF}") ? String(raw.dropFirst()) : String(raw)
            let chars = Array(line.utf8)
            guard chars.count >= 5, chars[2] == 0x20, chars[3] == 0x20, chars[4] == 0x2D,
                  chars[0] >= 0x41, chars[0] <= 0x5A else { continue }
            let tag = String(line.prefix(2))
            let value = String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces)
            if tag == "ER" {
                let doi = fields["DO"]?.first?.lowercased() ?? ""
                let source = fields["T2"]?.first ?? fields["J2"]?.first ?? ""
                out.append(ClassifiableArticle(id: doi.isEmpty ? "ris:\(out.count)" : "doi:" + doi, doi: doi.isEmpty ? nil : doi,
                                               title: (fields["TI"] ?? []).joined(separator: " "),
                                               authorKeywords: fields["KW"] ?? [], sourceTitle: source))
                fields = [:]
            } else {
                fields[tag, default: []].append(value)
            }
        }
        return out
    }

    /// Scopus CSV (header row names the columns). Id: `eid:<EID>`.
    static func scopusCSV(_ url: URL) throws -> [ClassifiableArticle] {
        let parsed = CSV.parse(try Data(contentsOf: url))
        guard let header = parsed.rows.first?.fields else { return [] }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return parsed.rows.dropFirst().compactMap { row in
            func field(_ name: String) -> String {
                guard let i = column[name], i < row.fields.count else { return "" }
                return row.fields[i]
            }
            let eid = field("EID")
            guard !eid.isEmpty else { return nil }
            let keywords = { (s: String) in s.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            let doi = field("DOI").lowercased()
            return ClassifiableArticle(id: "eid:" + eid, doi: doi.isEmpty ? nil : doi, title: field("Title"),
                                       abstract: field("Abstract"), authorKeywords: keywords(field("Author Keywords")),
                                       indexKeywords: keywords(field("Index Keywords")), sourceTitle: field("Source title"))
        }
    }

    static func load() throws -> [LabelledRecord] {
        guard FileManager.default.fileExists(atPath: corpora.path) else {
            throw XCTSkip("../shared is absent: \(corpora.path)")
        }
        let parsed = CSV.parse(try Data(contentsOf: labelsFile))
        XCTAssertNil(parsed.error)
        var wanted: [String: [CSVRow]] = [:]
        for row in parsed.rows.dropFirst() { wanted[row.fields[1], default: []].append(row) }
        var texts: [String: ClassifiableArticle] = [:]
        for source in wanted.keys {
            let url = corpora.appendingPathComponent(source)
            if source.hasPrefix("jats/") {
                let a = try jats(url)
                texts[a.id] = a
            } else {
                for a in try wosPlainText(url) where texts[a.id] == nil { texts[a.id] = a }
            }
        }
        return try parsed.rows.dropFirst().map { row in
            let id = row.fields[0]
            guard let article = texts[id] else {
                throw XCTSkip("labelled record \(id) (labels.csv:\(row.line)) not found in \(row.fields[1])")
            }
            let labels = Set(row.fields[3].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
            return LabelledRecord(article: article, labels: labels, heldOut: row.fields[2] == "heldout")
        }
    }

    /// WoS plain text: two-letter tags, continuation lines indented by three spaces, `ER` ends a record.
    static func wosPlainText(_ url: URL) throws -> [ClassifiableArticle] {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        var out: [ClassifiableArticle] = []
        var fields: [String: [String]] = [:]
        var tag = ""
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.hasPrefix("\u{FEFF}") ? String(raw.dropFirst()) : String(raw)
            if line.hasPrefix("ER") {
                let j = { (t: String, sep: String) in (fields[t] ?? []).joined(separator: sep) }
                let keywords = { (t: String) in j(t, " ").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) } }
                if let ut = fields["UT"]?.first {
                    out.append(ClassifiableArticle(id: ut, doi: fields["DI"]?.first?.lowercased(), title: j("TI", " "),
                                                   year: fields["PY"]?.first.flatMap { Int($0) }, abstract: j("AB", " "),
                                                   authorKeywords: keywords("DE"), indexKeywords: keywords("ID"),
                                                   sourceTitle: j("SO", " ")))
                }
                fields = [:]; tag = ""
                continue
            }
            if line.count >= 3, line.hasPrefix("   "), !tag.isEmpty {
                fields[tag, default: []].append(String(line.dropFirst(3)))
            } else if line.count >= 2, !line.hasPrefix(" ") {
                tag = String(line.prefix(2))
                fields[tag, default: []].append(String(line.dropFirst(3)))
            }
        }
        return out
    }

    /// JATS front matter: the first article-title, the abstract, kwd elements, journal-title, DOI.
    static func jats(_ url: URL) throws -> ClassifiableArticle {
        let xml = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        func first(_ element: String) -> String {
            guard let r = xml.range(of: "<\(element)[^>]*>([\\s\\S]*?)</\(element)>", options: .regularExpression) else { return "" }
            return plain(String(xml[r]))
        }
        func all(_ element: String) -> [String] {
            var out: [String] = []
            var rest = xml[...]
            while let r = rest.range(of: "<\(element)[^>]*>([\\s\\S]*?)</\(element)>", options: .regularExpression) {
                out.append(plain(String(rest[r])))
                rest = rest[r.upperBound...]
            }
            return out
        }
        var doi = ""
        if let r = xml.range(of: "<article-id pub-id-type=\"doi\">[^<]*</article-id>", options: .regularExpression) {
            doi = plain(String(xml[r])).lowercased()
        }
        return ClassifiableArticle(id: "doi:" + doi, doi: doi, title: first("article-title"), abstract: first("abstract"),
                                   authorKeywords: all("kwd"), sourceTitle: first("journal-title"))
    }

    /// Tags removed, entities for the few characters JATS escapes decoded, white space collapsed.
    static func plain(_ s: String) -> String {
        let noTags = s.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        let decoded = noTags.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return decoded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
