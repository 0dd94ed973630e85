import Foundation

/// Web of Science BibTeX: keys `WOS:…`/`ISI:…`, `Unique-ID` holds the UT, `Type` the WoS
/// document type, `Keywords-Plus` the index keywords, `Times-Cited` the count.
enum WoSBibTeX {
    static let aliases: [String: Field] = BibTeXReader.commonAliases.merging([
        "unique-id": .ut, "type": .documentType, "journal-iso": .sourceAbbreviation,
        "keywords": .authorKeywords, "keywords-plus": .indexKeywords, "times-cited": .citedBy,
        "affiliation": .affiliations, "eissn": .eissn, "article-number": .articleNumber,
        "pubmed-id": .pmid,
    ]) { _, new in new }

    static let reader = BibTeXReader(format: .wosBibTeX, aliases: aliases)

    /// WoS BibTeX's `Affiliation` lines name their authors without C1's brackets:
    /// "Iorio, Carmela; D'Ambrosio, Antonio, Univ Naples, Italy." (and older exports have bare
    /// addresses, "Univ Naples, Italy."). A line that starts with names of the entry's own
    /// `Author` list is rewritten as C1 writes it, "[Iorio, Carmela; D'Ambrosio, Antonio] Univ
    /// Naples, Italy.", so `Affiliation.list` pairs authors and addresses for both formats; any
    /// other line (an address, the "(Reprint Author)" line) stays as it is.
    static func bracketAffiliations(_ fields: inout [(String, String)]) {
        guard let a = fields.firstIndex(where: { $0.0 == "affiliation" }),
              let authorField = fields.first(where: { $0.0 == "author" })?.1 else { return }
        // Longest first: "Li, Wei" must not take the start of "Li, Weiming".
        let authors = authorField.components(separatedBy: " and ").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        fields[a].1 = fields[a].1.split(separator: "\n").map { line -> String in
            var rest = Substring(line), names: [String] = [], addressFollows = false
            while let name = authors.first(where: { rest.hasPrefix($0 + ";") || rest.hasPrefix($0 + ",") }) {
                names.append(name)
                rest = rest.dropFirst(name.count)
                addressFollows = rest.removeFirst() == ","
                rest = rest.drop(while: { $0 == " " })
                if addressFollows { break }
            }
            // Names, then ", " and an address; anything else is not this shape and stays.
            guard addressFollows, !rest.isEmpty else { return String(line) }
            return "[" + names.joined(separator: "; ") + "] " + rest
        }.joined(separator: "\n")
    }
}
