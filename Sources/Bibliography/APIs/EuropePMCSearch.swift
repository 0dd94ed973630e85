import Core
import Foundation

/// Europe PMC REST `search` responses (`format=json`, `resultType=core` or `lite`).
///
/// `{"hitCount", "nextCursorMark", "request":{cursorMark…}, "resultList":{"result":[…]}}`;
/// a walk ends on an empty `result` or a `nextCursorMark` that stops changing. Field names:
/// https://europepmc.org/RestfulWebService
public enum EuropePMCSearch {
    /// Europe PMC result field → common field.
    static let fields: [(path: String, field: Field)] = [
        ("id", .databaseID),
        ("doi", .doi),
        ("title", .title),
        ("pubYear", .year),
        ("journalInfo.journal.title", .sourceTitle),
        ("journalTitle", .sourceTitle),
        ("journalInfo.journal.isoabbreviation", .sourceAbbreviation),
        ("journalInfo.journal.issn", .issn),
        ("journalIssn", .issn),
        ("journalInfo.journal.essn", .eissn),
        ("journalInfo.volume", .volume),
        ("journalInfo.issue", .issue),
        ("pageInfo", .pages),
        ("pmid", .pmid),
        ("pmcid", .pmcid),
        ("pubTypeList.pubType", .documentType),
        ("pubType", .documentType),
        ("language", .language),
        ("authorList.author.authorAffiliationDetailsList.authorAffiliation.affiliation", .affiliations),
        ("affiliation", .affiliations),
        ("keywordList.keyword", .authorKeywords),
        ("meshHeadingList.meshHeading.descriptorName", .indexKeywords),
        ("citedByCount", .citedBy),
        ("isOpenAccess", .openAccess),
    ]

    /// `head` is told the page's hit count, next cursor and item count before the items are read,
    /// and answers whether to read them (false: the page comes back with its head only);
    /// `parsed` is `bytes` already read as JSON (`ParsedBody`), when it was.
    public static func read(_ bytes: [UInt8], provenance: PageProvenance, parsed: ParsedBody? = nil,
                            head: ((APIPageHead) -> Bool)? = nil) throws(InputError) -> APIPage {
        let json = try APIJSON.object(bytes, url: provenance.url, parsed: parsed)
        guard json["hitCount"] != nil || json["resultList"] != nil else {
            let detail = (json["errMsg"] ?? json["message"])?.scalarText.map { ": \($0)" } ?? ""
            throw InputError("not a Europe PMC search response (no hitCount, no resultList)\(detail)", file: provenance.url)
        }
        var page = APIPage()
        page.total = json["hitCount"]?.int
        page.nextCursor = json["nextCursorMark"]?.string
        let items = json["resultList"]?["result"]?.array.map(Array.init) ?? []
        let mapper = APIRecordMapper(table: fields, database: .europepmc, file: provenance.url)
        if let head, !head(APIPageHead(total: page.total, nextCursor: page.nextCursor, items: items.count)) { return page }
        for (i, item) in items.enumerated() {
            guard let result = item.object, result["id"] != nil else {
                page.rejected.append(InputError("item \(i + 1) is not a Europe PMC result (no id); left out", file: provenance.url, record: String(i + 1)))
                continue
            }
            var computed: [(String, [String])] = []
            // "Family, Given" from the parts (`core`), else the short "Smith J, Doe A." string (`lite`).
            let people = result["authorList"]?["author"]?.array.map(Array.init) ?? []
            var names = people.compactMap { a -> String? in
                if let last = a["lastName"]?.string { return a["firstName"]?.string.map { "\(last), \($0)" } ?? last }
                return (a["fullName"] ?? a["collectiveName"])?.string
            }
            if names.isEmpty, let short = result["authorString"]?.string {
                names = short.components(separatedBy: ", ").map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
            }
            computed.append(("lostdata.authors", names))
            if let abstract = result["abstractText"]?.string {
                computed.append(("lostdata.abstract", [APIRecordMapper.plainText(abstract)]))
            }
            page.records.append(mapper.record(item, position: i + 1, provenance: provenance, computed: computed))
        }
        return page
    }
}
