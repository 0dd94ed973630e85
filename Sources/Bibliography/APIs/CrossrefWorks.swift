import Core
import Foundation

/// Crossref REST `/works` lists and `/works/{doi}` single works, as JSON.
///
/// A list is `{"status":"ok","message-type":"work-list","message":{"total-results",
/// "next-cursor","items":[…]}}`; a single work has `message-type` "work". Failures come as
/// `status: failed` (400/404 JSON) or `status: error` (500), and a 404 may be the plain text
/// "Resource not found." under a JSON content type. Field names:
/// https://github.com/CrossRef/rest-api-doc/blob/master/api_format.md
public enum CrossrefWorks {
    /// Crossref work field → common field.
    static let fields: [(path: String, field: Field)] = [
        ("DOI", .doi),
        ("title", .title),
        ("container-title", .sourceTitle),
        ("short-container-title", .sourceAbbreviation),
        ("ISSN", .issn),
        ("type", .documentType),
        ("issued.date-parts", .year),
        ("published-print.date-parts", .year),
        ("volume", .volume),
        ("issue", .issue),
        ("page", .pages),
        ("article-number", .articleNumber),
        ("author.affiliation.name", .affiliations),
        ("subject", .authorKeywords),
        ("language", .language),
        ("is-referenced-by-count", .citedBy),
        ("publisher", .publisher),
        ("URL", .url),
    ]

    /// `head` is told the page's hit count, next cursor and item count before the items are read,
    /// and answers whether to read them (false: the page comes back with its head only);
    /// `parsed` is `bytes` already read as JSON (`ParsedBody`), when it was.
    public static func read(_ bytes: [UInt8], provenance: PageProvenance, parsed: ParsedBody? = nil,
                            head: ((APIPageHead) -> Bool)? = nil) throws(InputError) -> APIPage {
        let text = String(decoding: bytes.prefix(64), as: UTF8.self)
        if text.hasPrefix("Resource not found.") {
            throw InputError("Crossref has no such resource (\"Resource not found.\"); check the DOI or the cursor", file: provenance.url)
        }
        let json = try APIJSON.object(bytes, url: provenance.url, parsed: parsed)
        let status = json["status"]?.string
        guard status == "ok" else {
            let kind = json["message-type"]?.string ?? "?"
            var detail = ""
            if let list = json["message"]?.array { detail = list.compactMap { $0["message"]?.string }.joined(separator: "; ") }
            else if let m = json["message"] { detail = (m["description"] ?? m["name"])?.scalarText ?? "" }
            throw InputError("Crossref answered status \(status ?? "?") (\(kind))\(detail.isEmpty ? "" : ": " + detail)", file: provenance.url)
        }
        guard let message = json["message"], message.object != nil else {
            throw InputError("a Crossref response without 'message'", file: provenance.url)
        }
        var page = APIPage()
        let items: [JSONNode]
        switch json["message-type"]?.string {
        case "work-list":
            page.total = message["total-results"]?.int
            page.nextCursor = message["next-cursor"]?.string
            items = message["items"]?.array.map(Array.init) ?? []
        case "work":
            items = [message]
        case let other:
            throw InputError("a Crossref \(other ?? "untyped") response, not works", file: provenance.url)
        }
        let mapper = APIRecordMapper(table: fields, database: .crossref, file: provenance.url)
        if let head, !head(APIPageHead(total: page.total, nextCursor: page.nextCursor, items: items.count)) { return page }
        for (i, item) in items.enumerated() {
            guard let work = item.object, work["DOI"]?.string != nil else {
                page.rejected.append(InputError("item \(i + 1) is not a Crossref work (no DOI); left out", file: provenance.url, record: String(i + 1)))
                continue
            }
            var computed: [(String, [String])] = []
            // "Family, Given": the order Crossref splits names in; an organisation is `name`.
            let people = (work["author"]?.array.map(Array.init) ?? []).compactMap { a -> String? in
                if let family = a["family"]?.string { return a["given"]?.string.map { "\(family), \($0)" } ?? family }
                return a["name"]?.string
            }
            computed.append(("lostdata.authors", people))
            if let abstract = work["abstract"]?.string {
                computed.append(("lostdata.abstract", [APIRecordMapper.plainText(abstract)]))
            }
            page.records.append(mapper.record(item, position: i + 1, provenance: provenance, computed: computed))
        }
        return page
    }
}
