/// Scopus RIS: `DB  - Scopus`; `M3` holds the Scopus document type, `C2` the PubMed id, `N1`
/// "Cited By: N" and the references; the EID only appears inside the `UR` link.
enum ScopusRIS {
    static let aliases: [String: Field] = RISReader.commonAliases.merging([
        "C2": .pmid, "C7": .articleNumber,
    ]) { _, new in new }

    static let reader = RISReader(format: .scopusRIS, aliases: aliases)
}
