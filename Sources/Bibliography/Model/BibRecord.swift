import Core

/// A person as named in a record.
public struct Author: Hashable, Sendable, Codable {
    public var family: String
    public var given: String
    public init(family: String, given: String) { self.family = family; self.given = given }
}

/// Where a record came from: database, that database's id for it, file and line range.
public struct SourceRef: Hashable, Sendable, Codable {
    public var database: SourceDatabase
    /// EID for Scopus, UT for WoS, Lens ID, OpenAlex id; nil when the export carries none
    /// (Scopus BibTeX has no EID).
    public var id: String?
    public var file: String
    public var line: Int
    public var endLine: Int

    /// Public for the Study's stored-record reader (`StoredRecordJSON`), which rebuilds records
    /// without going through `Codable`.
    public init(database: SourceDatabase, id: String?, file: String, line: Int, endLine: Int) {
        self.database = database; self.id = id; self.file = file; self.line = line; self.endLine = endLine
    }
}

/// One exported record, normalised to the common fields. Empty strings never stand for a value:
/// a missing field is nil or an empty list.
public struct BibRecord: Hashable, Sendable, Codable {
    public var source: SourceRef
    public var title: String?
    public var authors: [Author] = []
    public var year: Int?
    public var sourceTitle: String?
    public var issn: String?
    public var eissn: String?
    public var volume: String?
    public var issue: String?
    public var pages: String?
    public var doi: DOI?
    public var eid: String?
    public var ut: String?
    public var pmid: String?
    public var documentType: DocumentType = .unknown
    public var rawDocumentType: String?
    public var languages: [String] = []
    public var abstract: String?
    public var authorKeywords: [String] = []
    public var indexKeywords: [String] = []
    public var affiliations: [String] = []
    public var citedBy: Int?
    public var publisher: String?
    /// PubMed Central id ("PMC5815332"), from the web APIs: where an open full text can be fetched.
    public var pmcid: String?
    /// Whether the API says the article is open access (nil: it did not say).
    public var isOpenAccess: Bool?
    /// Everything the reader saw, tag by tag.
    public var raw: RawRecord

    public init(source: SourceRef, raw: RawRecord) {
        self.source = source
        self.raw = raw
    }

    /// The id people's decisions are keyed on: DOI, else Scopus EID, else WoS UT, else PubMed id,
    /// else a hash of the normalised title and year. Prefixed so the kinds never collide.
    public var stableID: String {
        if let doi { return "doi:" + doi.value }
        if let eid { return "eid:" + eid }
        if let ut { return "wos:" + ut }
        if let pmid { return "pmid:" + pmid }
        let key = TitleKey.make(title ?? "") + "|" + (year.map(String.init) ?? "")
        return "title:" + FNV1a.hex(Array(key.utf8))
    }
}

/// 64-bit FNV-1a: a tiny, dependency-free, stable hash for ids and file fingerprints (not for
/// security). Stable across runs and platforms, unlike `Hasher`.
public enum FNV1a {
    public static func hash(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        // Contiguous bytes (a whole page of a web API, ~130 KB, names the page's stored file) are
        // hashed through a pointer: the array's checked iteration was 4 % of a walk's CPU (perf).
        if let h = bytes.withContiguousStorageIfAvailable({ buffer -> UInt64 in
            var h = seed
            for b in buffer { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
            return h
        }) { return h }
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let s = String(hash(bytes), radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
