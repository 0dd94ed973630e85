import Core
import Foundation

/// OpenAlex `/works` list responses and single works (`/works/W…`), as JSON.
///
/// A list is `{"meta": {count, next_cursor, page}, "results": [work…]}`; cursor walks end when
/// `next_cursor` is null or `results` is empty. A `group_by` response holds counts, not works,
/// and is refused. Field names: https://docs.openalex.org/api-entities/works/work-object
public enum OpenAlexWorks {
    /// OpenAlex work field → common field.
    static let fields: [(path: String, field: Field)] = [
        ("id", .openAlexID),
        ("doi", .doi),
        ("ids.doi", .doi),
        ("title", .title),
        ("display_name", .title),
        ("publication_year", .year),
        ("publication_date", .date),
        ("type", .documentType),
        ("language", .language),
        ("primary_location.source.display_name", .sourceTitle),
        ("primary_location.source.issn_l", .issn),
        ("primary_location.source.host_organization_name", .publisher),
        ("biblio.volume", .volume),
        ("biblio.issue", .issue),
        ("biblio.first_page", .pageStart),
        ("biblio.last_page", .pageEnd),
        ("authorships.author.display_name", .authors),
        ("authorships.raw_affiliation_strings", .affiliations),
        ("authorships.institutions.display_name", .affiliations),
        ("ids.pmid", .pmid),
        ("ids.pmcid", .pmcid),
        ("open_access.is_oa", .openAccess),
        ("cited_by_count", .citedBy),
        ("keywords.display_name", .authorKeywords),
    ]

    /// `head` is told the page's hit count, next cursor and item count before the items are read,
    /// and answers whether to read them (false: the page comes back with its head only);
    /// `parsed` is `bytes` already read as JSON (`ParsedBody`), when it was.
    public static func read(_ bytes: [UInt8], provenance: PageProvenance, parsed: ParsedBody? = nil,
                            head: ((APIPageHead) -> Bool)? = nil) throws(InputError) -> APIPage {
        let json = try APIJSON.object(bytes, url: provenance.url, parsed: parsed)
        if let error = json["error"]?.string {
            throw InputError("OpenAlex refused the request: \(error) \(json["message"]?.scalarText ?? "")", file: provenance.url)
        }
        let mapper = APIRecordMapper(table: fields, database: .openalex, file: provenance.url)
        var page = APIPage()
        let items: [JSONNode]
        if let results = json["results"]?.array {
            let meta = json["meta"]
            if let groups = json["group_by"]?.array, !groups.isEmpty, results.isEmpty {
                throw InputError("this is a group_by response (counts of \(groups.count) groups), not a page of works; drop group_by from the query", file: provenance.url)
            }
            page.total = meta?["count"]?.int
            page.nextCursor = meta?["next_cursor"]?.string
            items = Array(results)
        } else if json["id"] != nil {
            items = [json.node]   // a single work
        } else {
            throw InputError("not an OpenAlex works response (no 'results' and no work 'id')", file: provenance.url)
        }
        if let head, !head(APIPageHead(total: page.total, nextCursor: page.nextCursor, items: items.count)) { return page }
        for (i, item) in items.enumerated() {
            guard let work = item.object, work["id"]?.string != nil else {
                page.rejected.append(InputError("item \(i + 1) is not an OpenAlex work (no id); left out", file: provenance.url, record: String(i + 1)))
                continue
            }
            var computed: [(String, [String])] = []
            if let index = work["abstract_inverted_index"]?.object, let text = abstract(fromInvertedIndex: index) {
                computed.append(("lostdata.abstract", [text]))
            }
            page.records.append(mapper.record(item, position: i + 1, provenance: provenance, computed: computed))
        }
        return page
    }

    /// OpenAlex ships abstracts as word → positions (for licensing reasons); the text is the
    /// words sorted by position.
    public static func abstract(fromInvertedIndex index: JSONObject) -> String? {
        var placed: [(Int, String)] = []
        for (word, positions) in index {
            guard let list = positions.array else { continue }
            for p in list {
                if let n = p.int { placed.append((n, word)) }
            }
        }
        guard !placed.isEmpty else { return nil }
        placed.sort { $0.0 < $1.0 }
        return placed.map(\.1).joined(separator: " ")
    }
}
