import Bibliography
import Core

/// Reads a stored record (`StoredRecordJSON`) straight from its bytes into a `BibRecord`, field
/// by field, keys in any order (rows stored by the JSONEncoder versions have them in hash order).
///
/// Why not `JSONNode`: it builds a dictionary for every object — the record, its source, every
/// author, every raw tag — and the fields are then looked up by hashing; after `literature
/// search` the rebuild decodes every stored record, and hashing and allocating were most of that
/// decode (perf, bench/acquisition). This reader allocates only the strings and arrays the record
/// keeps. What it accepts and refuses is what the `JSONNode` decode did (StoredRecordJSONTests).
struct StoredRecordReader {
    typealias Malformed = StoredRecordJSON.Malformed
    private let b: UnsafeRawBufferPointer
    private var i = 0

    static func record(_ bytes: UnsafeRawBufferPointer) throws(Malformed) -> BibRecord {
        var r = StoredRecordReader(b: bytes)
        let record = try r.record()
        r.space()
        guard r.i == bytes.count else { throw Malformed(what: "not JSON at byte \(r.i)") }
        return record
    }

    private init(b: UnsafeRawBufferPointer) { self.b = b }

    // MARK: The record

    private mutating func record() throws(Malformed) -> BibRecord {
        var source: SourceRef?
        var raw: RawRecord?
        var r = BibRecord(source: SourceRef(database: .other, id: nil, file: "", line: 0, endLine: 0), raw: RawRecord(line: 0, endLine: 0, tags: []))
        try object { (k: String, reader: inout StoredRecordReader) throws(Malformed) in
            switch k {
            case "source": source = try reader.sourceRef()
            case "raw": raw = try reader.rawRecord()
            case "title": r.title = try reader.optionalString()
            case "authors": r.authors = try reader.authors()
            case "year": r.year = try reader.optionalInt()
            case "sourceTitle": r.sourceTitle = try reader.optionalString()
            case "issn": r.issn = try reader.optionalString()
            case "eissn": r.eissn = try reader.optionalString()
            case "volume": r.volume = try reader.optionalString()
            case "issue": r.issue = try reader.optionalString()
            case "pages": r.pages = try reader.optionalString()
            case "doi":
                if let d = try reader.optionalString() {
                    guard let doi = DOI(d) else { throw Malformed(what: "not a DOI: \(d)") }
                    r.doi = doi
                }
            case "eid": r.eid = try reader.optionalString()
            case "ut": r.ut = try reader.optionalString()
            case "pmid": r.pmid = try reader.optionalString()
            case "documentType":
                if let t = try reader.optionalString() {
                    guard let type = DocumentType(rawValue: t) else { throw Malformed(what: "unknown document type \(t)") }
                    r.documentType = type
                }
            case "rawDocumentType": r.rawDocumentType = try reader.optionalString()
            case "languages": r.languages = try reader.strings()
            case "abstract": r.abstract = try reader.optionalString()
            case "authorKeywords": r.authorKeywords = try reader.strings()
            case "indexKeywords": r.indexKeywords = try reader.strings()
            case "affiliations": r.affiliations = try reader.strings()
            case "citedBy": r.citedBy = try reader.optionalInt()
            case "publisher": r.publisher = try reader.optionalString()
            case "pmcid": r.pmcid = try reader.optionalString()
            case "isOpenAccess": r.isOpenAccess = try reader.optionalBool()
            default: try reader.skipValue()
            }
        }
        guard let source else { throw Malformed(what: "no source") }
        guard let raw else { throw Malformed(what: "no raw") }
        r.source = source
        r.raw = raw
        return r
    }

    private mutating func sourceRef() throws(Malformed) -> SourceRef {
        var database: SourceDatabase?, id: String?, file: String?, line: Int?, endLine: Int?
        try object { (k: String, reader: inout StoredRecordReader) throws(Malformed) in
            switch k {
            case "database": database = try reader.optionalString().flatMap(SourceDatabase.init(rawValue:))
            case "id": id = try reader.optionalString()
            case "file": file = try reader.optionalString()
            case "line": line = try reader.optionalInt()
            case "endLine": endLine = try reader.optionalInt()
            default: try reader.skipValue()
            }
        }
        guard let database, let file, let line, let endLine else { throw Malformed(what: "no source") }
        return SourceRef(database: database, id: id, file: file, line: line, endLine: endLine)
    }

    private mutating func rawRecord() throws(Malformed) -> RawRecord {
        var line: Int?, endLine: Int?, tags: [RawRecord.Tag] = []
        try object { (k: String, reader: inout StoredRecordReader) throws(Malformed) in
            switch k {
            case "line": line = try reader.optionalInt()
            case "endLine": endLine = try reader.optionalInt()
            case "tags": tags = try reader.tags()
            default: try reader.skipValue()
            }
        }
        guard let line, let endLine else { throw Malformed(what: "no raw") }
        return RawRecord(line: line, endLine: endLine, tags: tags)
    }

    private mutating func authors() throws(Malformed) -> [Author] {
        var out: [Author] = []
        guard isArrayNext() else { try skipValue(); return out }
        try array { (reader: inout StoredRecordReader) throws(Malformed) in
            var family: String?, given: String?
            try reader.object { (k: String, reader: inout StoredRecordReader) throws(Malformed) in
                switch k {
                case "family": family = try reader.optionalString()
                case "given": given = try reader.optionalString()
                default: try reader.skipValue()
                }
            }
            guard let family, let given else { throw Malformed(what: "an author without family or given") }
            out.append(Author(family: family, given: given))
        }
        return out
    }

    private mutating func tags() throws(Malformed) -> [RawRecord.Tag] {
        var out: [RawRecord.Tag] = []
        guard isArrayNext() else { try skipValue(); return out }
        try array { (reader: inout StoredRecordReader) throws(Malformed) in
            var name: String?, values: [String] = []
            try reader.object { (k: String, reader: inout StoredRecordReader) throws(Malformed) in
                switch k {
                case "name": name = try reader.optionalString()
                case "values": values = try reader.strings()
                default: try reader.skipValue()
                }
            }
            guard let name else { throw Malformed(what: "a raw tag without a name") }
            out.append(RawRecord.Tag(name: name, values: values))
        }
        return out
    }

    // MARK: JSON

    private func fail() -> Malformed { Malformed(what: "not JSON at byte \(i)") }

    private mutating func space() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func expect(_ c: UInt8) throws(Malformed) {
        space()
        guard i < b.count, b[i] == c else { throw fail() }
        i += 1
    }

    /// True (and moves past it) when the next token is `c`.
    private mutating func next(is c: UInt8) -> Bool {
        space()
        if i < b.count, b[i] == c { i += 1; return true }
        return false
    }

    /// An object: `body` reads each key's value; keys are short (inline strings, no allocation).
    private mutating func object(_ body: (String, inout StoredRecordReader) throws(Malformed) -> Void) throws(Malformed) {
        try expect(UInt8(ascii: "{"))
        if next(is: UInt8(ascii: "}")) { return }
        repeat {
            space()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail() }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try body(key, &self)
        } while next(is: UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// A list where a list is expected; anything else reads as an empty list, as before.
    private mutating func isArrayNext() -> Bool {
        space()
        return i < b.count && b[i] == UInt8(ascii: "[")
    }

    private mutating func array(_ element: (inout StoredRecordReader) throws(Malformed) -> Void) throws(Malformed) {
        try expect(UInt8(ascii: "["))
        if next(is: UInt8(ascii: "]")) { return }
        repeat { try element(&self) } while next(is: UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// A string value; nil for `null` or a value of another kind (the JSONNode decode read such
    /// a field as absent), which is skipped.
    private mutating func optionalString() throws(Malformed) -> String? {
        space()
        guard i < b.count else { throw fail() }
        if b[i] == UInt8(ascii: "\"") { return try string() }
        try skipValue()
        return nil
    }

    /// A list of strings; what is not a string in it is left out, as before.
    private mutating func strings() throws(Malformed) -> [String] {
        guard isArrayNext() else { try skipValue(); return [] }
        var out: [String] = []
        try array { (reader: inout StoredRecordReader) throws(Malformed) in
            if let s = try reader.optionalString() { out.append(s) }
        }
        return out
    }

    /// A number read as `JSONNode.int` reads it; nil for anything else.
    private mutating func optionalInt() throws(Malformed) -> Int? {
        space()
        let start = i
        try skipValue()
        guard start < i, b[start] == 0x2D || (b[start] >= 0x30 && b[start] <= 0x39) else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        return Int(text) ?? Double(text).flatMap { Int(exactly: $0) }
    }

    private mutating func optionalBool() throws(Malformed) -> Bool? {
        space()
        if literal("true") { return true }
        if literal("false") { return false }
        try skipValue()
        return nil
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        for k in 0..<n where b[i + k] != word.utf8Start[k] { return false }
        i += n
        return true
    }

    /// Any value, checked as JSON and passed over.
    private mutating func skipValue() throws(Malformed) {
        space()
        guard i < b.count else { throw fail() }
        switch b[i] {
        case UInt8(ascii: "{"): try object { (_: String, reader: inout StoredRecordReader) throws(Malformed) in try reader.skipValue() }
        case UInt8(ascii: "["): try array { (reader: inout StoredRecordReader) throws(Malformed) in try reader.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): guard literal("true") else { throw fail() }
        case UInt8(ascii: "f"): guard literal("false") else { throw fail() }
        case UInt8(ascii: "n"): guard literal("null") else { throw fail() }
        default:
            let start = i
            while i < b.count, (b[i] >= 0x30 && b[i] <= 0x39) || b[i] == 0x2D || b[i] == 0x2B || b[i] == 0x2E || b[i] == 0x65 || b[i] == 0x45 { i += 1 }
            guard i > start else { throw fail() }
        }
    }

    /// At the opening quote: the decoded string, past the closing quote (`JSONString`, as
    /// `JSONNode` reads strings).
    private mutating func string() throws(Malformed) -> String {
        do { return try JSONString.read(b.assumingMemoryBound(to: UInt8.self), at: &i) } catch {
            throw Malformed(what: "not JSON at byte \(error.offset)")
        }
    }
}
