/// How much of each record a reader keeps.
public enum ReadDetail: Sendable, Hashable {
    /// Every field and every raw tag: what a study stores (`bib import`, `bib show`).
    case full
    /// Only what identifies, deduplicates and classifies a record (title, authors, year, source,
    /// ISSNs, ids, DOI, document type); no raw tags, abstracts, keywords or affiliations. What
    /// `bib inspect` needs — the abstracts are most of an export's bytes.
    case identification

    static let identifying: Set<Field> = [
        .title, .authors, .authorFullNames, .year, .date, .sourceTitle, .issn, .eissn, .doi, .eid, .ut, .pmid,
        .lensID, .openAlexID, .documentType, .entryType, .database, .url,
    ]

    var keepsRaw: Bool { self == .full }

    /// The alias table restricted to the fields this detail keeps.
    func filter(_ aliases: [String: Field]) -> [String: Field] {
        self == .full ? aliases : aliases.filter { Self.identifying.contains($0.value) }
    }
}
