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
}
