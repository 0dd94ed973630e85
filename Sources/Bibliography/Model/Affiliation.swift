import Core
import Foundation

/// One address of an article's authors, with the authors the record places there (when it says).
///
/// Readers keep affiliations as the export writes them (`BibRecord.affiliations`), and each
/// database writes them its own way:
/// - WoS plain text `C1`: one address a line, "[Family, Given; Family, Given] Address.";
///   WoS tab-delimited `C1` puts them in one cell, "; "-joined, which the reader's split on ";"
///   cuts inside the brackets ("[Smith, John", "Doe, Anna] Univ B").
/// - WoS BibTeX `Affiliation`: the addresses on lines of one value, the first often the reprint
///   address "Family, I (Reprint Author), Address." (newer exports: "(Corresponding Author)").
/// - Scopus CSV `Affiliations`, Scopus BibTeX `affiliation`: "a; b"; RIS `AD`: one a tag.
/// - OpenAlex, Crossref, Europe PMC: one string a value (OpenAlex gives both the raw string and
///   the institution's name).
/// `Affiliation.list(from:)` turns all of these into one list: addresses deduplicated (case,
/// spacing and a final full stop do not count), the authors of repeated addresses joined.
public struct Affiliation: Hashable, Sendable {
    /// The authors as the record names them at this address; empty when it does not say.
    public var authors: [String]
    public var address: String

    public init(authors: [String] = [], address: String) {
        self.authors = authors
        self.address = address
    }

    /// One line, in WoS's own shape: "[Family, Given; Family, Given] Address" (no brackets when
    /// no author is named). `list(from:)` reads it back to the same value.
    public var line: String {
        authors.isEmpty ? address : "[" + authors.joined(separator: "; ") + "] " + address
    }

    /// The record's affiliation values as one deduplicated list, in the order they first appear.
    public static func list(from values: [String]) -> [Affiliation] {
        var out: [Affiliation] = []
        // Each address's key, in `out`'s order: a record has a handful to a few dozen addresses,
        // scanned instead of hashed into a dictionary (the dictionary was ~20 % of this function
        // in the rebuild after a search; perf, bench/acquisition round 8 — the function as a whole
        // went from 13.7 to 9.2 % of the rebuild's samples with the other changes here). A
        // consortium's hundreds go through a dictionary.
        var keys: [String] = []
        var position: [String: Int]?
        for piece in rejoinedPieces(values) {
            guard let a = parse(piece) else { continue }
            // `parse` collapsed the address's white space already, and lowercasing adds none.
            let key = trimmed(a.address.lowercased(), dropping: .keyPunctuation)
            if position == nil, keys.count == 32 {
                position = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            }
            let at = position.map { $0[key] } ?? keys.firstIndex(of: key)
            if let at {
                for name in a.authors { add(name, to: &out[at].authors) }
            } else {
                position?[key] = out.count
                keys.append(key)
                out.append(a)
            }
        }
        return out
    }

    /// Adds a name unless the same person is listed (WoS names the reprint author with initials,
    /// "D'Ambrosio, A", and again in full): the fuller form is kept, where the first stood.
    static func add(_ name: String, to names: inout [String]) {
        if let at = names.firstIndex(where: { PersonName.same($0, name) }) {
            if name.count > names[at].count { names[at] = name }
        } else {
            names.append(name)
        }
    }

    /// The values cut into one piece per address: lines of a value apart, and pieces that a split
    /// on ";" cut inside a "[names]" bracket joined again.
    static func rejoinedPieces(_ values: [String]) -> [String] {
        var pieces: [String] = []
        var open: String?
        for value in values {
            // Most values are one line: splitting by `Character` walked every grapheme of every
            // value (3.5 % of a literature search's CPU, perf); bytes tell when there is no line
            // break (ASCII ones, and U+0085, U+2028, U+2029 by their lead bytes).
            let lines = value.utf8.contains { (0x0A...0x0D).contains($0) || $0 == 0xC2 || $0 == 0xE2 }
                ? value.split(whereSeparator: \.isNewline) : [value[...]]
            for raw in lines {
                let line = trimmed(raw, dropping: .whiteSpace)
                guard !line.isEmpty else { continue }
                let joined = open.map { $0 + "; " + line } ?? line
                var depth = 0
                for b in joined.utf8 where b == UInt8(ascii: "[") || b == UInt8(ascii: "]") { depth += b == UInt8(ascii: "[") ? 1 : -1 }
                if depth > 0 { open = joined } else { open = nil; pieces.append(joined) }
            }
        }
        if let open { pieces.append(open) }
        return pieces
    }

    /// "[A; B] Address", "Name (Reprint Author), Address" or a bare address; nil for nothing.
    static func parse(_ piece: String) -> Affiliation? {
        var text = collapsingWhitespace(piece)
        var authors: [String] = []
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            for name in text[text.index(after: text.startIndex)..<close].split(separator: ";") {
                let name = trimmed(name, dropping: .whiteSpace)
                if !name.isEmpty { add(name, to: &authors) }
            }
            text = trimmed(text[text.index(after: close)...], dropping: .whiteSpace)
        } else if text.utf8.contains(UInt8(ascii: "(")), text.lowercased().contains(" author)"),
                  let marker = text.range(of: #" \((reprint|corresponding) author\),? ?"#, options: [.regularExpression, .caseInsensitive]) {
            authors = [String(text[..<marker.lowerBound])]
            text = String(text[marker.upperBound...])
        }
        text = trimmed(text, dropping: .separators)
        return text.isEmpty ? nil : Affiliation(authors: authors, address: text)
    }

    /// Runs of white space as one space, none at the ends. ASCII text (nearly every affiliation)
    /// is done on bytes: splitting by `Character` walked grapheme clusters, 8 % of the rebuild.
    static func collapsingWhitespace(_ s: String) -> String {
        var s = s
        var collapsed = false
        let ascii: String? = s.withUTF8 { u in
            guard u.allSatisfy({ $0 < 0x80 }) else { return nil }
            // Most addresses have single spaces only and none at the ends: they stay as they are,
            // without a copy.
            var previousSpace = true
            var clean = true
            for b in u {
                let space = b == 0x20 || (b >= 0x09 && b <= 0x0D)
                if space && (previousSpace || b != 0x20) { clean = false; break }
                previousSpace = space
            }
            if clean && !previousSpace || u.isEmpty { collapsed = true; return nil }
            var out: [UInt8] = []
            out.reserveCapacity(u.count)
            var pendingSpace = false
            for b in u {
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(0x20); pendingSpace = false }
                    out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        if collapsed { return s }
        return ascii ?? s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// What `trimmed` cuts from the ends of a text: a test on `Character`s, and the same test on
    /// ASCII bytes. (The pairs must agree on every ASCII character: `AffiliationTests` checks.)
    struct Ends: Sendable {
        let byte: @Sendable (UInt8) -> Bool
        let character: @Sendable (Character) -> Bool

        /// Unicode white space (ASCII: tab, line feed, vertical tab, form feed, CR, space).
        static let whiteSpace = Ends(byte: { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }, character: \.isWhitespace)
        /// ",", ";" and space: what separates an address from the names or the next address.
        static let separators = Ends(byte: { $0 == 0x2C || $0 == 0x3B || $0 == 0x20 }, character: { $0 == "," || $0 == ";" || $0 == " " })
        /// Those and "." (a final full stop does not make an address another): the dedup key's ends.
        static let keyPunctuation = Ends(byte: { $0 == 0x2E || $0 == 0x2C || $0 == 0x3B || $0 == 0x20 },
                                         character: { $0 == "." || $0 == "," || $0 == ";" || $0 == " " })
    }

    /// `s` without the characters `drop` matches at either end. (Foundation's
    /// `trimmingCharacters(in:)` bridged through NSString, and the regular expression above was
    /// compiled on every call: together a third of the CPU of rebuilding a 23,000-record list
    /// after `literature search` — perf, bench/acquisition.)
    ///
    /// Ends made of ASCII (nearly every affiliation) are cut on bytes: walking `Character`s from
    /// each end and testing each (`isWhitespace`'s Unicode property lookup, `contains` over a
    /// string of `Character`s) was 2.5 % of the rebuild's perf samples, ~5 % of its cluster thread,
    /// which bounds the rebuild after a search (bench/acquisition, round 7). Two ASCII bytes other than CR are always
    /// two `Character`s, so the byte cut is the same cut; when an end reaches a byte that is not
    /// ASCII, or a CR (CR LF is one `Character`), the `Character` walk decides.
    static func trimmed(_ s: some StringProtocol, dropping drop: Ends) -> String {
        if let cut = s.utf8.withContiguousStorageIfAvailable({ asciiEnds($0, dropping: drop.byte) }) ?? nil {
            let u = s.utf8
            return String(s[u.index(u.startIndex, offsetBy: cut.lowerBound)..<u.index(u.startIndex, offsetBy: cut.upperBound)])
        }
        guard let first = s.firstIndex(where: { !drop.character($0) }), let last = s.lastIndex(where: { !drop.character($0) }) else { return "" }
        return String(s[first...last])
    }

    /// The range left when `drop`'s ASCII bytes are cut from both ends; nil when an end meets a
    /// byte that is not ASCII, or a CR, before the cut.
    private static func asciiEnds(_ u: UnsafeBufferPointer<UInt8>, dropping drop: (UInt8) -> Bool) -> Range<Int>? {
        var lo = 0, hi = u.count
        while lo < hi {
            let b = u[lo]
            if b >= 0x80 || b == 0x0D { return nil }
            if !drop(b) { break }
            lo += 1
        }
        if lo == hi { return lo..<hi }
        while true {
            let j = hi - 1
            let b = u[j]
            if b >= 0x80 || b == 0x0D { return nil }
            if !drop(b) { break }
            hi = j
        }
        return lo..<hi
    }
}
