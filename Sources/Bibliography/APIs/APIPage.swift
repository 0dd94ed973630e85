import Core
import Foundation

/// The web APIs whose responses the stage reads.
public enum LiteratureAPI: String, CaseIterable, Hashable, Sendable, Codable {
    case openalex, crossref, europepmc

    public var database: SourceDatabase {
        switch self {
        case .openalex: return .openalex
        case .crossref: return .crossref
        case .europepmc: return .europepmc
        }
    }

    /// One page of this API's responses, read by its reader (`OpenAlexWorks`, `CrossrefWorks`,
    /// `EuropePMCSearch`; `head` and `parsed` as they take them).
    public func read(_ bytes: [UInt8], provenance: PageProvenance, parsed: ParsedBody? = nil,
                     head: ((APIPageHead) -> Bool)? = nil) throws(InputError) -> APIPage {
        switch self {
        case .openalex: return try OpenAlexWorks.read(bytes, provenance: provenance, parsed: parsed, head: head)
        case .crossref: return try CrossrefWorks.read(bytes, provenance: provenance, parsed: parsed, head: head)
        case .europepmc: return try EuropePMCSearch.read(bytes, provenance: provenance, parsed: parsed, head: head)
        }
    }
}

/// One page of search results, read: its records, what could not be read, and where the walk
/// goes next.
public struct APIPage: Sendable {
    public var records: [BibRecord] = []
    /// Items of the page that could not be read (each names the page and the item's position).
    public var rejected: [InputError] = []
    /// The hit count the service announced for the whole query, when it did.
    public var total: Int?
    /// The cursor to ask for the next page; nil when the service says there is none.
    public var nextCursor: String?
    /// Items in the page (records + rejected).
    public var itemCount: Int { records.count + rejected.count }

    public init() {}
}

/// What a reader knows of a page before it reads the page's items: the hit count, the next
/// cursor and how many items there are. A walk hands it to `read(…, head:)` so that it can ask
/// for the next page while this page's items are read (`PageFetcher`).
public struct APIPageHead: Sendable {
    public var total: Int?
    public var nextCursor: String?
    public var items: Int
}

/// A response body read as JSON ahead of its page: the thread that fetched the next page of a
/// walk reads it there while the walk's thread maps the page before (`PageFetcher`), and hands it
/// to the reader with the bytes (`read(…, parsed:)`). The same checks and messages as the
/// reader's own parse.
public struct ParsedBody: Sendable {
    let object: Result<JSONObject, InputError>

    public init(_ bytes: [UInt8], url: String) {
        object = Result { () throws(InputError) in try APIJSON.object(bytes, url: url) }
    }
}

/// Where a page's records came from: the query (as the Study names it) and when it was fetched.
/// Kept in each record's raw tags, so `bib show` says which channel found an article.
public struct PageProvenance: Sendable {
    public var url: String
    public var query: String
    public var retrieved: String

    public init(url: String, query: String, retrieved: String) {
        self.url = url
        self.query = query
        self.retrieved = retrieved
    }
}

/// Reads a JSON response body, refusing what is not JSON in words a person can act on: an HTML
/// page (a proxy's or a rate limiter's error page served with 200), a cut or broken body.
enum APIJSON {
    /// `parsed`'s object when the body was read ahead, else the body read now.
    static func object(_ bytes: [UInt8], url: String, parsed: ParsedBody?) throws(InputError) -> JSONObject {
        if let parsed { return try parsed.object.get() }
        return try object(bytes, url: url)
    }

    static func object(_ bytes: [UInt8], url: String) throws(InputError) -> JSONObject {
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
        guard let first else { throw InputError("the response is empty, not a JSON page; run the command again", file: url) }
        if first == UInt8(ascii: "<") {
            let text = String(decoding: bytes.prefix(400), as: UTF8.self).lowercased()
            let what = text.contains("<html") || text.contains("<!doctype html") ? "an HTML page (an error or rate-limit page of the service or a proxy)" : "XML"
            throw InputError("the response is \(what), not JSON; nothing from it was stored — check the endpoint, wait and run the command again", file: url)
        }
        let parsed: JSONNode
        do { parsed = try JSONNode.parse(bytes) } catch {
            throw InputError("the response is not valid JSON (cut short or broken at byte \(error.offset) of \(bytes.count)); nothing from it was stored — run the command again", file: url)
        }
        guard let object = parsed.object else {
            throw InputError("the response is JSON but not an object; is the endpoint right?", file: url)
        }
        return object
    }
}

/// Turns one API item into a `BibRecord` through a field table, the way the export readers do:
/// each (path, field) pair becomes a raw tag named by its path, and `RecordBuilder` normalises.
struct APIRecordMapper {
    let table: [(path: String, field: Field)]
    let splitPaths: [[String]]
    let fieldOfPath: [Field]
    let builder: RecordBuilder

    init(table: [(path: String, field: Field)], database: SourceDatabase, file: String) {
        self.table = table
        splitPaths = table.map { $0.path.split(separator: ".").map(String.init) }
        var aliases: [String: Field] = [:]
        for (path, field) in table { aliases[path] = field }
        // Tags the readers compute (author names rebuilt from parts, abstracts made text).
        aliases["lostdata.authors"] = .authors
        aliases["lostdata.abstract"] = .abstract
        aliases["lostdata.affiliations"] = .affiliations
        builder = RecordBuilder(aliases: aliases, authorStyle: .onePerValue, file: file, database: database)
        fieldOfPath = table.map { aliases[$0.path]! }
    }

    /// `computed` are tags a reader worked out itself; they come first, before the table's.
    /// The values go straight into their fields as the tags are made (the table names each
    /// path's field), instead of through `build(raw)`'s alias lookup per tag: the same values in
    /// the same order, one hashing of ~25 tag names per record fewer.
    func record(_ item: JSONNode, position: Int, provenance: PageProvenance, computed: [(String, [String])]) -> BibRecord {
        var raw = RawRecord(line: position, endLine: position)
        raw.tags.reserveCapacity(table.count + computed.count + 2)
        var values = FieldValues()
        for (name, found) in computed where !found.isEmpty {
            raw.tags.append(.init(name: name, values: found))
            if let field = builder.aliases[name] { for v in found { values.add(v, to: field) } }
        }
        for (i, entry) in table.enumerated() {
            let found = JSONPath.values(item, splitPaths[i])
            if found.isEmpty { continue }
            raw.tags.append(.init(name: entry.path, values: found))
            // The alias table's field for the path: the last entry of a path named twice.
            let field = fieldOfPath[i]
            for v in found { values.add(v, to: field) }
        }
        raw.tags.append(.init(name: "lostdata.query", values: [provenance.query]))
        raw.tags.append(.init(name: "lostdata.retrieved", values: [provenance.retrieved]))
        var r = builder.build(values, raw: raw)
        // One institution appears once per author in the APIs; the list keeps each once (a scan
        // for the usual few, a set for a consortium's hundreds).
        if r.affiliations.count <= 32 {
            var kept: [String] = []
            kept.reserveCapacity(r.affiliations.count)
            for a in r.affiliations where !kept.contains(a) { kept.append(a) }
            r.affiliations = kept
        } else {
            var seen = Set<String>()
            r.affiliations = r.affiliations.filter { seen.insert($0).inserted }
        }
        return r
    }

    /// Markup removed and white space collapsed: Crossref's JATS abstracts, Europe PMC's HTML ones.
    static func plainText(_ markup: String) -> String {
        var out = ""
        var inTag = false
        for ch in markup {
            if ch == "<" { inTag = true; out.append(" "); continue }
            if ch == ">" { inTag = false; continue }
            if !inTag { out.append(ch) }
        }
        let decoded = out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        return decoded.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}
