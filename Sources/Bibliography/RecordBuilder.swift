import Foundation
import Core

/// Builds the normalised `BibRecord` from a raw record and its reader's alias table. Written once
/// for every format: readers only say which of their tags means which `Field`.
struct RecordBuilder {
    /// How a format writes its author lists.
    enum AuthorStyle: Sendable {
        /// One person per value (WoS AU/AF lines, RIS AU) — "Family, Given" or "Family Initials".
        case onePerValue
        /// People separated by ";" (WoS tab-delimited, Scopus ≥2020, Lens).
        case semicolons
        /// BibTeX: people separated by " and ".
        case bibtexAnd
        /// Scopus CSV across its eras: ";" when present, else the old "Xie, L., Jin, X." form.
        case scopus
        /// OpenAlex: people separated by "|".
        case pipes
    }

    let aliases: [String: Field]
    let authorStyle: AuthorStyle
    let file: String
    let database: SourceDatabase
    /// Identification reads need only the first author (deduplication compares first authors);
    /// parsing every co-author of every record is most of a reader's work otherwise.
    var firstAuthorOnly = false

    func build(_ raw: RawRecord) -> BibRecord {
        var values = FieldValues()
        for tag in raw.tags {
            guard let field = aliases[tag.name] else { continue }
            // Value by value, not map + filter: two fewer arrays per tag of every record.
            for v in tag.values { values.add(v, to: field) }
        }
        return build(values, raw: raw)
    }

    /// Builds from values already sorted by field (what `build(_:)` gathers from the raw tags).
    /// Readers that know each value's field without a raw record — the delimited readers on an
    /// identification read — call it directly: no tag array, no alias lookup per value.
    func build(_ values: FieldValues, raw: RawRecord) -> BibRecord {
        func one(_ f: Field) -> String? { values[f]?.first }
        func joined(_ f: Field, _ sep: String = " ") -> String? { values[f].map { $0.joined(separator: sep) } }

        let ids = Identifiers(values: values)
        var db = database
        if db == .other { db = ids.impliedDatabase(declared: one(.database)) }
        let sourceID: String?
        switch db {
        case .scopus: sourceID = ids.eid
        case .wos: sourceID = ids.ut
        case .lens: sourceID = one(.lensID)
        case .openalex: sourceID = one(.openAlexID).map(Self.openAlexShortID)
        case .other: sourceID = ids.eid ?? ids.ut
        case .crossref: sourceID = values[.doi]?.lazy.compactMap(DOI.init).first?.value
        case .europepmc: sourceID = one(.databaseID)
        }
        var r = BibRecord(source: SourceRef(database: db, id: sourceID, file: file, line: raw.line, endLine: raw.endLine), raw: raw)
        r.title = one(.title).map(Self.collapseSpaces)
        let people = values[.authorFullNames].map { names(from: $0, fullNames: true) } ?? []
        r.authors = people.isEmpty ? names(from: values[.authors] ?? [], fullNames: false) : people
        r.year = one(.year).flatMap(Self.year) ?? one(.date).flatMap(Self.year)
        r.sourceTitle = one(.sourceTitle).map(Self.collapseSpaces)
        // The first of "1234-5678; 8765-4321", cut in UTF-8 (no array of pieces).
        r.issn = one(.issn).map { v in
            guard let cut = v.utf8.firstIndex(of: 0x3B) else { return Self.issn(v) }
            if cut != v.utf8.startIndex { return Self.issn(String(Substring(v.utf8[..<cut]))) }
            return Self.issn(String(v.split(separator: ";").first ?? ""))   // (";…": the first non-empty piece)
        }
        r.eissn = one(.eissn).map(Self.issn)
        r.volume = one(.volume)
        r.issue = one(.issue)
        if let s = one(.pageStart) {
            r.pages = one(.pageEnd).map { "\(s)-\($0)" } ?? s
        } else if let p = one(.pages) {
            r.pages = p.replacingAll(["–", "—", "--"], with: "-").filter { $0 != " " }
        } else {
            r.pages = one(.articleNumber)
        }
        r.doi = values[.doi]?.lazy.compactMap(DOI.init).first
        r.eid = ids.eid
        r.ut = ids.ut
        r.pmid = one(.pmid).flatMap(Self.pmid)
        r.rawDocumentType = (values[.documentType] ?? values[.entryType])?.joined(separator: "; ")
        r.documentType = DocumentType(raw: r.rawDocumentType)
        r.languages = Self.split(values[.language] ?? [], on: ";")
        r.abstract = joined(.abstract).map(Self.collapseSpaces).flatMap(Self.abstractText)
        r.authorKeywords = Self.split(values[.authorKeywords] ?? [], on: authorStyle == .pipes ? "|" : ";")
        r.indexKeywords = Self.split(values[.indexKeywords] ?? [], on: ";")
        r.affiliations = authorStyle == .onePerValue ? (values[.affiliations] ?? []) : Self.split(values[.affiliations] ?? [], on: authorStyle == .pipes ? "|" : ";")
        r.citedBy = one(.citedBy).flatMap { Int($0) } ?? values[.note]?.lazy.compactMap(Self.citedByNote).first
        r.publisher = one(.publisher)
        r.pmcid = one(.pmcid).flatMap(Self.pmcid)
        r.isOpenAccess = one(.openAccess).map { ["true", "y", "yes", "1"].contains($0.lowercased()) }
        return r
    }

    // MARK: - Identifiers

    /// EID, UT and the database they imply, gathered from id fields and from Scopus record URLs.
    struct Identifiers {
        var eid: String?
        var ut: String?

        init(values: FieldValues) {
            eid = values[.eid]?.lazy.compactMap(Self.eid).first
                ?? values[.url]?.lazy.compactMap(Self.eidFromURL).first
            ut = values[.ut]?.lazy.compactMap(Self.ut).first
        }

        static func eid(_ s: String) -> String? {
            let t = s.trimmed()
            return t.hasPrefix("2-s2.0-") ? t : nil
        }

        /// Scopus RIS and BibTeX carry the EID only inside the record link: "…?eid=2-s2.0-850…&doi=…".
        static func eidFromURL(_ s: String) -> String? {
            guard let r = s.range(of: "eid=2-s2.0-") else { return nil }
            let tail = s[s.index(r.lowerBound, offsetBy: 4)...]
            let id = tail.prefix { $0 != "&" && $0 != " " }
            return id.count > 7 ? String(id) : nil
        }

        /// "WOS:000371557900003", "ISI:000…", "000…" → "WOS:000…".
        /// On UTF-8 bytes, with the prefixes built once: every WoS record has a UT, and
        /// `hasPrefix` over an array literal (allocated per call) showed up in profiles.
        /// Reads the trimmed value's own UTF-8 buffer (no array copy, no generic `starts(with:)`),
        /// and hands back the value itself when it is already "WOS:…" — as nearly every WoS UT is.
        static func ut(_ s: String) -> String? {
            var t = s.trimmed()
            let (start, isCanonical) = t.withUTF8 { u -> (Int?, Bool) in
                var start = 0
                // The prefixes in their order, each at most once: "WOS:ISI:000…" loses both.
                for p in utPrefixes where u.count - start >= 4 && u[start] == p[0] && u[start + 1] == p[1] && u[start + 2] == p[2] && u[start + 3] == p[3] {
                    start += 4
                }
                guard start < u.count else { return (nil, false) }
                for i in start..<u.count {
                    let c = u[i]
                    guard (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) else { return (nil, false) }
                }
                return (start, start == 4 && u[0] == 0x57 && u[1] == 0x4F && u[2] == 0x53)   // "WOS:" + id
            }
            guard let start else { return nil }
            if isCanonical { return t }
            return "WOS:" + String(decoding: Array(t.utf8)[start...], as: UTF8.self)
        }

        static let utPrefixes: [[UInt8]] = ["WOS:", "ISI:", "wos:", "isi:"].map { Array($0.utf8) }

        func impliedDatabase(declared: String?) -> SourceDatabase {
            let d = declared?.lowercased() ?? ""
            if d.contains("scopus") { return .scopus }
            if d.contains("web of science") || d.contains("wos") || d.contains("isi") { return .wos }
            if eid != nil { return .scopus }
            if ut != nil { return .wos }
            return .other
        }
    }

    /// "https://openalex.org/W2741809807" → "W2741809807": what follows the last "/" (cut in
    /// UTF-8: splitting every id into an array of pieces was ~1 % of a walk's perf samples).
    static func openAlexShortID(_ s: String) -> String {
        var u = s.utf8[...]
        while u.last == UInt8(ascii: "/") { u = u.dropLast() }   // (a trailing "/" named no piece)
        guard !u.isEmpty else { return s }
        guard let slash = u.lastIndex(of: UInt8(ascii: "/")) else { return String(Substring(u)) }
        return String(Substring(u[u.index(after: slash)...]))
    }

    // MARK: - Authors

    func names(from values: [String], fullNames: Bool) -> [Author] {
        // One person per value, first only (WoS AU/AF on `inspect`): the first value's person,
        // without the one-element arrays the general path builds.
        if firstAuthorOnly, authorStyle == .onePerValue {
            return values.first.flatMap(Self.author).map { [$0] } ?? []
        }
        var people: [String] = []
        // Only the first person is wanted: cut the list at its first separator, before splitting.
        var values = values
        if firstAuthorOnly, let v = values.first {
            let cut: UInt8? = switch authorStyle {
            case .semicolons: 0x3B
            case .pipes: 0x7C
            case .scopus: (v.containsByte(0x3B) || fullNames) ? 0x3B : nil
            case .onePerValue, .bibtexAnd: nil
            }
            if let cut, let offset = v.utf8Offset(of: cut) {
                let i = v.utf8.index(v.utf8.startIndex, offsetBy: offset)
                values = [String(Substring(v.utf8[..<i]))]
            } else { values = [v] }
        }
        for v in values {
            switch authorStyle {
            case .onePerValue: people.append(v)
            // Split in UTF-8 (`split(_:on:)`), not by Character: grapheme breaking over every
            // author list was most of building a Scopus record. (It drops pieces that are empty
            // once trimmed; `author` would turn those into nil anyway.)
            case .semicolons: people += Self.split([v], on: ";")
            case .pipes: people += Self.split([v], on: "|")
            case .bibtexAnd: people += v.components(separatedByWord: " and ")
            case .scopus:
                if v.containsByte(0x3B) || fullNames { people += Self.split([v], on: ";") }
                else { people += Self.oldScopusAuthors(v) }
            }
        }
        if firstAuthorOnly {
            return people.lazy.compactMap(Self.author).first.map { [$0] } ?? []
        }
        return people.compactMap(Self.author)
    }

    /// Scopus ≤2019: "Xie, L., Jin, X., Zhou, M." (family, initials pairs) or, in 2016 exports,
    /// "Phillips J.C., Braun R." (one "Family Initials" per comma).
    static func oldScopusAuthors(_ s: String) -> [String] {
        let tokens = s.components(separatedByWord: ", ")
        if tokens.allSatisfy({ $0.utf8.contains(0x20) }) || tokens.count == 1 { return tokens }
        var out: [String] = []
        var i = 0
        while i < tokens.count {
            if i + 1 < tokens.count, looksLikeInitials(tokens[i + 1]) {
                out.append(tokens[i] + ", " + tokens[i + 1]); i += 2
            } else {
                out.append(tokens[i]); i += 1
            }
        }
        return out
    }

    static func looksLikeInitials(_ s: String) -> Bool {
        let u = s.utf8
        guard u.count <= 8 else { return false }
        var dot = false, allUpper = true
        for b in u {
            if b == 0x2E { dot = true } else if !((b >= 0x41 && b <= 0x5A) || b == 0x2D) { allUpper = false }
        }
        return dot || allUpper
    }

    /// "Family, Given", "Family Initials." or "Given Family" → `Author`. Scopus full names carry
    /// their id in parentheses ("Hao, Jiaqi (57221302630)"); it is dropped here (kept in raw).
    /// Works on UTF-8 bytes: this runs for every author of every record.
    static func author(_ raw: String) -> Author? {
        var b = Array(raw.utf8)
        b.removeAll { $0 == 0x7B || $0 == 0x7D }
        func trim(_ x: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var lo = x.startIndex, hi = x.endIndex
            while lo < hi, x[lo] == 0x20 || x[lo] == 0x09 || x[lo] == 0x0A || x[lo] == 0x0D { lo += 1 }
            while hi > lo, x[hi - 1] == 0x20 || x[hi - 1] == 0x09 || x[hi - 1] == 0x0A || x[hi - 1] == 0x0D { hi -= 1 }
            return x[lo..<hi]
        }
        var s = trim(b[...])
        if s.last == 0x29, let open = s.lastIndex(of: 0x28) { s = trim(s[..<open]) }
        guard !s.isEmpty, s.first != 0x5B else { return nil }   // "[No author name available]"
        func str(_ x: ArraySlice<UInt8>) -> String { String(decoding: x, as: UTF8.self) }
        if let comma = s.firstIndex(of: 0x2C) {
            return Author(family: str(trim(s[..<comma])), given: stripAffiliationMarks(str(trim(s[(comma + 1)...]))))
        }
        guard let space = s.lastIndex(of: 0x20) else { return Author(family: str(s), given: "") }
        let last = str(s[(space + 1)...]), rest = str(trim(s[..<space]))
        if looksLikeInitials(last) { return Author(family: rest, given: last) }
        return Author(family: last, given: rest)
    }

    /// Old Scopus BibTeX appends affiliation letters to the initials ("C.a", "M.a b"); they are
    /// not part of the name.
    static func stripAffiliationMarks(_ given: String) -> String {
        // No dot, nothing to strip (most given names, and every WoS one): no byte copy.
        guard given.containsByte(0x2E) else { return given }
        let u = Array(given.utf8)
        guard let lastDot = u.lastIndex(of: 0x2E), lastDot + 1 < u.count else { return given }
        // After the last dot: single lower-case letters separated by spaces ("a", "a b").
        var letters = 0
        var previousLetter = false
        for b in u[(lastDot + 1)...] {
            if b == 0x20 { previousLetter = false; continue }
            guard b >= 0x61 && b <= 0x7A, !previousLetter else { return given }
            previousLetter = true
            letters += 1
        }
        return letters > 0 ? String(decoding: u[...lastDot], as: UTF8.self) : given
    }

    // MARK: - Values

    /// The first year in `s`: the first four digits of a run of digits, when they are 1000–2999.
    /// Digits after the fourth are skipped, not accumulated (a run of 100 digits overflowed `Int`:
    /// a fuzzing finding).
    static func year(_ s: String) -> Int? {
        var digits = 0, value = 0
        for ch in s.utf8 {
            if ch >= 0x30 && ch <= 0x39 {
                guard digits < 4 else { continue }
                value = value * 10 + Int(ch - 0x30); digits += 1
                if digits == 4, (1000...2999).contains(value) { return value }
            } else { digits = 0; value = 0 }
        }
        return nil
    }

    /// "cited By 12" (Scopus BibTeX), "Cited By: 12" (Scopus RIS N1), "Times Cited: 12".
    static func citedByNote(_ s: String) -> Int? {
        let lower = s.lowercased()
        guard let r = lower.range(of: "cited by") else { return nil }
        let digits = lower[r.upperBound...].drop { $0 == ":" || $0 == " " }.prefix { $0.isNumber }
        return Int(digits)
    }

    /// "38580657", "https://pubmed.ncbi.nlm.nih.gov/38580657" → "38580657".
    static func pmid(_ s: String) -> String? {
        let digits = s.split(whereSeparator: { !$0.isNumber }).last.map(String.init)
        return digits.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// "PMC5815332", "5815332", "https://www.ncbi.nlm.nih.gov/pmc/articles/5815332" → "PMC5815332".
    static func pmcid(_ s: String) -> String? {
        let last = s.split(separator: "/").last.map(String.init) ?? s
        let digits = last.uppercased().hasPrefix("PMC") ? String(last.dropFirst(3)) : last
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return "PMC" + digits
    }

    /// "17509653", "1750-9653" → "1750-9653"; anything else is kept as written.
    static func issn(_ s: String) -> String {
        // Already "1234-567X" (most exports write it so): the rule below gives it back unchanged.
        let canonical = s.utf8.withContiguousStorageIfAvailable { u -> Bool in
            guard u.count == 9, u[4] == 0x2D else { return false }
            for i in 0..<9 where i != 4 {
                guard (u[i] >= 0x30 && u[i] <= 0x39) || u[i] == 0x58 else { return false }
            }
            return true
        }
        if canonical == true { return s }
        // ASCII (every ISSN seen): the same rule on bytes, without grapheme breaking.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            var chars: [UInt8] = []
            for b in s.utf8 where (b >= 0x30 && b <= 0x39) || b == 0x58 || b == 0x78 { chars.append(b == 0x78 ? 0x58 : b) }
            guard chars.count == 8, !s.utf8.contains(0x3B) || s.utf8.count <= 9 else { return s }
            return String(decoding: chars[..<4], as: UTF8.self) + "-" + String(decoding: chars[4...], as: UTF8.self)
        }
        let chars = s.uppercased().filter { $0.isNumber || $0 == "X" }
        guard chars.count == 8, !s.utf8.contains(0x3B) || s.utf8.count <= 9 else { return s }
        return String(chars.prefix(4)) + "-" + String(chars.suffix(4))
    }

    /// Splits list values ("a; b; c") in UTF-8; Character-based splitting of long affiliation
    /// lists was a fifth of the run time.
    static func split(_ values: [String], on separator: Character) -> [String] {
        guard let sep = separator.asciiValue else { return values }
        var out: [String] = []
        for v in values {
            var rest = Substring(v).utf8[...]
            while let i = rest.firstIndex(of: sep) {
                let piece = String(Substring(rest[..<i])).trimmed()
                if !piece.isEmpty { out.append(piece) }
                rest = rest[rest.index(after: i)...]
            }
            let piece = String(Substring(rest)).trimmed()
            if !piece.isEmpty { out.append(piece) }
        }
        return out
    }

    /// Runs of spaces, tabs and line breaks become one space. Checks in UTF-8 first, so the usual
    /// clean value is returned untouched.
    static func collapseSpaces(_ s: String) -> String {
        // The check runs over the string's own buffer: stepping through `utf8` byte by byte was
        // most of this function's 4 % of `bib inspect`.
        func check(_ bytes: some Sequence<UInt8>) -> Bool {
            var previousSpace = false
            for b in bytes {
                if b == 0x0A || b == 0x0D || b == 0x09 { return true }
                if b == 0x20 { if previousSpace { return true }; previousSpace = true } else { previousSpace = false }
            }
            return false
        }
        let needs = s.utf8.withContiguousStorageIfAvailable { check($0) } ?? check(s.utf8)
        guard needs else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var space = false
        for b in s.utf8 {
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { space = true; continue }
            if space && !out.isEmpty { out.append(0x20) }
            space = false
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Scopus writes "[No abstract available]" where there is none.
    static func abstractText(_ s: String) -> String? {
        s.hasPrefix("[No abstract available]") ? nil : s
    }
}

extension String {
    /// Splits on a multi-character separator (" and ", ", "), trimming the pieces; in UTF-8.
    func components(separatedByWord separator: String) -> [String] {
        let b = Array(utf8), sep = Array(separator.utf8)
        var out: [String] = []
        var start = 0, i = 0
        while i + sep.count <= b.count {
            if b[i] == sep[0] && b[i..<(i + sep.count)].elementsEqual(sep) {
                out.append(String(decoding: b[start..<i], as: UTF8.self).trimmed())
                i += sep.count; start = i
            } else { i += 1 }
        }
        out.append(String(decoding: b[start...], as: UTF8.self).trimmed())
        return out.filter { !$0.isEmpty }
    }

    func replacingAll(_ targets: [String], with replacement: String) -> String {
        var s = self
        for t in targets { s = s.replacingOccurrences(of: t, with: replacement) }
        return s
    }
}
