/// Web of Science field tags → common fields. Shared by the plain-text export (one tag per line)
/// and the tab-delimited export (tags as the header row), which use the same tags.
enum WoSTags {
    static let aliases: [String: Field] = [
        "TI": .title, "AU": .authors, "AF": .authorFullNames, "RI": .authorIDs,
        "PY": .year, "PD": .date, "EA": .date,
        "SO": .sourceTitle, "J9": .sourceAbbreviation, "SN": .issn, "EI": .eissn, "BN": .isbn,
        "VL": .volume, "IS": .issue, "BP": .pageStart, "EP": .pageEnd, "AR": .articleNumber,
        "DI": .doi, "UT": .ut, "PM": .pmid,
        "DT": .documentType, "LA": .language, "AB": .abstract,
        "DE": .authorKeywords, "ID": .indexKeywords, "C1": .affiliations,
        "TC": .citedBy, "PU": .publisher,
    ]

    /// Tags whose continuation lines are further values (one person, address or reference per
    /// line) rather than wrapped text.
    static let listTags: Set<String> = ["AU", "AF", "BA", "BF", "BE", "CA", "GP", "CR", "C1", "C3", "RI", "OI"]
}
