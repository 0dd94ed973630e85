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
        var position: [String: Int] = [:]
        for piece in rejoinedPieces(values) {
            guard let a = parse(piece) else { continue }
            let key = a.address.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
                .trimmingCharacters(in: CharacterSet(charactersIn: ".,; "))
            if let at = position[key] {
                for name in a.authors { add(name, to: &out[at].authors) }
            } else {
                position[key] = out.count
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
            for raw in value.split(whereSeparator: \.isNewline) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                guard !line.isEmpty else { continue }
                let joined = open.map { $0 + "; " + line } ?? line
                let opened = joined.filter { $0 == "[" }.count, closed = joined.filter { $0 == "]" }.count
                if opened > closed { open = joined } else { open = nil; pieces.append(joined) }
            }
        }
        if let open { pieces.append(open) }
        return pieces
    }

    /// "[A; B] Address", "Name (Reprint Author), Address" or a bare address; nil for nothing.
    static func parse(_ piece: String) -> Affiliation? {
        var text = piece.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        var authors: [String] = []
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            for name in text[text.index(after: text.startIndex)..<close].split(separator: ";") {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { add(trimmed, to: &authors) }
            }
            text = String(text[text.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        } else if let marker = text.range(of: #" \((reprint|corresponding) author\),? ?"#, options: [.regularExpression, .caseInsensitive]) {
            authors = [String(text[..<marker.lowerBound])]
            text = String(text[marker.upperBound...])
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: ",; "))
        return text.isEmpty ? nil : Affiliation(authors: authors, address: text)
    }
}
