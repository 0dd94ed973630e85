import Bibliography
import Foundation

/// Turns a `LiteratureQuery` into each API's request URLs: the first page and the page after a
/// cursor. The query languages are the services' own (docs/literature.md maps the paper's
/// Methods onto them).
struct QueryURLs {
    let query: LiteratureQuery
    let base: String
    /// OpenAlex ids for `cites`, resolved from DOIs beforehand.
    var citedIDs: [String] = []

    static let openAlexPageSize = 200
    static let crossrefPageSize = 1000
    static let europePMCPageSize = 1000

    /// The URL of the page that `cursor` opens ("*" for the first).
    func url(cursor: String) -> String {
        var items: [URLQueryItem] = []
        var path = "/works"
        switch query.source {
        case .openalex:
            var filters: [String] = []
            if let a = query.affiliation { filters.append("raw_affiliation_strings.search:" + Self.clean(a)) }
            if !query.instruments.isEmpty { filters.append("fulltext.search:" + query.instruments.map(Self.clean).joined(separator: " OR ")) }
            if let f = query.facility { filters.append("fulltext.search:" + Self.clean(f)) }
            if !citedIDs.isEmpty { filters.append("cites:" + citedIDs.joined(separator: "|")) }
            if let issn = query.issn { filters.append("primary_location.source.issn:" + issn) }
            if let v = query.volume { filters.append("biblio.volume:" + v) }
            if let i = query.issue { filters.append("biblio.issue:" + i) }
            if let y = yearRange(separator: "-") { filters.append("publication_year:" + y) }
            items = [.init(name: "filter", value: filters.joined(separator: ",")),
                     .init(name: "per_page", value: String(Self.openAlexPageSize)), .init(name: "cursor", value: cursor)]
        case .crossref:
            var filters: [String] = []
            if let from = query.from { filters.append("from-pub-date:\(from)") }
            if let to = query.to { filters.append("until-pub-date:\(to)") }
            if let issn = query.issn {
                // A journal issue: the journal's works, narrowed by year; volume and issue are
                // checked on each record (Crossref has no volume/issue filter).
                path = "/journals/\(issn)/works"
            }
            if let a = query.affiliation { items.append(.init(name: "query.affiliation", value: a)) }
            let words = query.instruments + (query.facility.map { [$0] } ?? [])
            if !words.isEmpty { items.append(.init(name: "query.bibliographic", value: words.joined(separator: " "))) }
            if !filters.isEmpty { items.append(.init(name: "filter", value: filters.joined(separator: ","))) }
            items += [.init(name: "rows", value: String(Self.crossrefPageSize)), .init(name: "cursor", value: cursor)]
        case .europepmc:
            path = "/search"
            var terms: [String] = []
            if let a = query.affiliation { terms.append("AFF:\"\(Self.clean(a))\"") }
            if !query.instruments.isEmpty {
                terms.append("(" + query.instruments.map { "METHODS:\"\(Self.clean($0))\"" }.joined(separator: " OR ") + ")")
            }
            if let f = query.facility { terms.append("ACK_FUND:\"\(Self.clean(f))\"") }
            if let issn = query.issn { terms.append("ISSN:\(issn)") }
            if let v = query.volume { terms.append("VOLUME:\(v)") }
            if let i = query.issue { terms.append("ISSUE:\(i)") }
            if let y = yearRange(separator: " TO ") { terms.append("PUB_YEAR:[\(y)]") }
            items = [.init(name: "query", value: terms.joined(separator: " AND ")), .init(name: "resultType", value: "core"),
                     .init(name: "format", value: "json"), .init(name: "pageSize", value: String(Self.europePMCPageSize)),
                     .init(name: "cursorMark", value: cursor)]
        }
        return Self.join(base, path, items)
    }

    func yearRange(separator: String) -> String? {
        switch (query.from, query.to) {
        case let (f?, t?): return "\(f)\(separator)\(t)"
        case let (f?, nil): return "\(f)\(separator)\(separator == "-" ? "" : "*")"
        case let (nil, t?): return "\(separator == "-" ? "" : "*")\(separator)\(t)"
        default: return nil
        }
    }

    /// Commas and pipes are OpenAlex's AND and OR inside a filter; a value must not carry them.
    static func clean(_ s: String) -> String {
        s.replacingOccurrences(of: ",", with: " ").replacingOccurrences(of: "|", with: " ").replacingOccurrences(of: "\"", with: " ")
    }

    static func join(_ base: String, _ path: String, _ items: [URLQueryItem]) -> String {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        var c = URLComponents()
        c.queryItems = items
        // URLComponents leaves "+" as is, which servers read as a space.
        let q = (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return trimmed + path + (q.isEmpty ? "" : "?" + q)
    }

    /// `/works/doi:…` (OpenAlex) to learn a cited work's id from its DOI.
    static func openAlexWork(base: String, doi: String) -> String {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed + "/works/doi:" + (doi.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? doi)
    }

    static func europePMC(base: String, pmcid: String, supplements: Bool) -> String {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed + "/\(pmcid)/" + (supplements ? "supplementaryFiles" : "fullTextXML")
    }

    /// `/works/{doi}` (Crossref): one work, to complete a record. The DOI's "/" stays a path
    /// separator, which Crossref reads as part of the DOI.
    static func crossrefWork(base: String, doi: String) -> String {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ";?#%")
        return trimmed + "/works/" + (doi.addingPercentEncoding(withAllowedCharacters: allowed) ?? doi)
    }
}
