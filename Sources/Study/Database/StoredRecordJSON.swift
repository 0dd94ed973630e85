import Bibliography
import Core
import Foundation

/// The stored form of a record (`bibRecord.json`, `bibRecord.raw`), written and read by hand.
///
/// This encoder defines the stored form: JSONEncoder's fields, values and escapes (nil fields
/// left out, `/` written `\/`, control characters as `\b \f \n \r \t` or `\u00XX`), with the keys
/// always in declaration order — so `JSONDecoder` reads every row, and the same record is always
/// the same bytes. It is not JSONEncoder's bytes: on Linux `JSONEncoder` writes an object's keys
/// in `Dictionary` order, which the per-process hash seed changes from run to run (rows stored by
/// the JSONEncoder versions differ in key order between imports). `decode` reads keys in any
/// order, so those rows read too (StoredRecordJSONTests). Doing it by hand is about speed:
/// `JSONEncoder` and `JSONDecoder` went through `Codable`'s containers for every field and were
/// most of the CPU of storing a web API's page and of rebuilding the article list (perf,
/// bench/acquisition; docs/performance.md).
enum StoredRecordJSON {
    // MARK: Writing

    /// The record's stored form (JSONEncoder's values and escapes, keys in declaration order).
    static func encode(_ r: BibRecord) -> [UInt8] {
        var w = Writer()
        w.out.reserveCapacity(512 + (r.abstract?.utf8.count ?? 0))
        w.byte("{")
        w.key("source", first: true)
        w.byte("{")
        w.key("database", first: true); w.string(r.source.database.rawValue)
        if let id = r.source.id { w.key("id"); w.string(id) }
        w.key("file"); w.string(r.source.file)
        w.key("line"); w.int(r.source.line)
        w.key("endLine"); w.int(r.source.endLine)
        w.byte("}")
        w.optional("title", r.title)
        w.key("authors")
        w.byte("[")
        for (i, a) in r.authors.enumerated() {
            if i > 0 { w.byte(",") }
            w.byte("{"); w.key("family", first: true); w.string(a.family); w.key("given"); w.string(a.given); w.byte("}")
        }
        w.byte("]")
        if let y = r.year { w.key("year"); w.int(y) }
        w.optional("sourceTitle", r.sourceTitle)
        w.optional("issn", r.issn)
        w.optional("eissn", r.eissn)
        w.optional("volume", r.volume)
        w.optional("issue", r.issue)
        w.optional("pages", r.pages)
        w.optional("doi", r.doi?.value)
        w.optional("eid", r.eid)
        w.optional("ut", r.ut)
        w.optional("pmid", r.pmid)
        w.key("documentType"); w.string(r.documentType.rawValue)
        w.optional("rawDocumentType", r.rawDocumentType)
        w.key("languages"); w.strings(r.languages)
        w.optional("abstract", r.abstract)
        w.key("authorKeywords"); w.strings(r.authorKeywords)
        w.key("indexKeywords"); w.strings(r.indexKeywords)
        w.key("affiliations"); w.strings(r.affiliations)
        if let c = r.citedBy { w.key("citedBy"); w.int(c) }
        w.optional("publisher", r.publisher)
        w.optional("pmcid", r.pmcid)
        if let oa = r.isOpenAccess { w.key("isOpenAccess"); w.ascii(oa ? "true" : "false") }
        w.key("raw")
        w.byte("{")
        w.key("line", first: true); w.int(r.raw.line)
        w.key("endLine"); w.int(r.raw.endLine)
        w.key("tags"); w.tags(r.raw.tags)
        w.byte("}")
        w.byte("}")
        return w.out
    }

    /// Raw tags' stored form (`bibRecord.raw`).
    static func encode(_ tags: [RawRecord.Tag]) -> [UInt8] {
        var w = Writer()
        w.tags(tags)
        return w.out
    }

    private struct Writer {
        var out: [UInt8] = []

        mutating func byte(_ c: Unicode.Scalar) { out.append(UInt8(c.value)) }
        mutating func ascii(_ s: StaticString) { out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)) }
        mutating func int(_ v: Int) { out.append(contentsOf: String(v).utf8) }

        mutating func key(_ k: StaticString, first: Bool = false) {
            if !first { byte(",") }
            byte("\"")
            ascii(k)
            byte("\"")
            byte(":")
        }

        mutating func optional(_ k: StaticString, _ v: String?) {
            guard let v else { return }
            key(k)
            string(v)
        }

        mutating func strings(_ list: [String]) {
            byte("[")
            for (i, s) in list.enumerated() {
                if i > 0 { byte(",") }
                string(s)
            }
            byte("]")
        }

        mutating func tags(_ tags: [RawRecord.Tag]) {
            byte("[")
            for (i, t) in tags.enumerated() {
                if i > 0 { byte(",") }
                byte("{"); key("name", first: true); string(t.name); key("values"); strings(t.values); byte("}")
            }
            byte("]")
        }

        /// JSONEncoder's escaping: `"`, `\`, `/`, the short forms of control characters and
        /// `\u00XX` for the others; everything else as its UTF-8 bytes.
        mutating func string(_ s: String) {
            byte("\"")
            var s = s
            s.withUTF8 { u in
                var start = 0
                for i in 0..<u.count {
                    let c = u[i]
                    guard c < 0x20 || c == 0x22 || c == 0x5C || c == 0x2F else { continue }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i]))
                    start = i + 1
                    switch c {
                    case 0x22: ascii("\\\"")
                    case 0x5C: ascii("\\\\")
                    case 0x2F: ascii("\\/")
                    case 0x08: ascii("\\b")
                    case 0x0C: ascii("\\f")
                    case 0x0A: ascii("\\n")
                    case 0x0D: ascii("\\r")
                    case 0x09: ascii("\\t")
                    default:
                        let hex: [UInt8] = Array("0123456789abcdef".utf8)
                        ascii("\\u00")
                        out.append(hex[Int(c >> 4)])
                        out.append(hex[Int(c & 0xF)])
                    }
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<u.count]))
            }
            byte("\"")
        }
    }

    // MARK: Reading

    struct Malformed: Error { var what: String }

    /// A stored record, from the bytes `encode` (or `JSONEncoder`) wrote (`StoredRecordReader`).
    static func decode(_ bytes: [UInt8]) throws(Malformed) -> BibRecord {
        // (`withUnsafeBytes` rethrows untyped errors: the result carries the typed one out.)
        try bytes.withUnsafeBytes { b in Result { () throws(Malformed) in try StoredRecordReader.record(b) } }.get()
    }

    /// The same, from a row's bytes without copying them into an array first.
    static func decode(_ data: Data) throws(Malformed) -> BibRecord {
        try data.withUnsafeBytes { b in Result { () throws(Malformed) in try StoredRecordReader.record(b) } }.get()
    }

    /// Stored raw tags (`bibRecord.raw`).
    static func decodeTags(_ bytes: [UInt8]) throws(Malformed) -> [RawRecord.Tag] {
        let node: JSONNode
        do { node = try JSONNode.parse(bytes) } catch { throw Malformed(what: "not JSON at byte \(error.offset)") }
        return try tags(node)
    }

    private static func strings(_ node: JSONNode?) -> [String] {
        node?.array?.compactMap(\.string) ?? []
    }

    private static func tags(_ node: JSONNode?) throws(Malformed) -> [RawRecord.Tag] {
        guard let list = node?.array else { return [] }
        return try list.map { (t: JSONNode) throws(Malformed) -> RawRecord.Tag in
            guard let name = t["name"]?.string else { throw Malformed(what: "a raw tag without a name") }
            return RawRecord.Tag(name: name, values: strings(t["values"]))
        }
    }
}
