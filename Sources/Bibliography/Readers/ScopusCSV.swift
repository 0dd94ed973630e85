/// Scopus CSV, every header era 2016→2025: the header names changed ("Title"/"Titles",
/// "Year"/"Publication Year", "Index Keywords"/"Indexed Keywords", "Cited by"/"Cited By"), so each
/// field lists all its names. "Funding Text 1..N" and other unmapped columns stay in the raw record.
/// "Citation information only" exports simply have fewer columns.
enum ScopusCSV {
    static let aliases: [String: Field] = [
        "Authors": .authors, "Author full names": .authorFullNames, "Author(s) ID": .authorIDs,
        "Title": .title, "Titles": .title, "Document title": .title,
        "Year": .year, "Publication Year": .year,
        "Source title": .sourceTitle, "Source Title": .sourceTitle,
        "Abbreviated Source Title": .sourceAbbreviation,
        "Volume": .volume, "Issue": .issue, "Art. No.": .articleNumber,
        "Page start": .pageStart, "Page end": .pageEnd,
        "Cited by": .citedBy, "Cited By": .citedBy,
        "DOI": .doi, "Link": .url,
        "Affiliations": .affiliations, "Abstract": .abstract,
        "Author Keywords": .authorKeywords, "Index Keywords": .indexKeywords, "Indexed Keywords": .indexKeywords,
        "Publisher": .publisher, "ISSN": .issn, "ISBN": .isbn, "PubMed ID": .pmid,
        "Language of Original Document": .language, "Document Type": .documentType,
        "Source": .database, "EID": .eid,
    ]

    static let reader = TabularReader(format: .scopusCSV, separator: UInt8(ascii: ","), quotes: true,
                                      aliases: aliases, authorStyle: .scopus, allowsTrailingEmptyField: false)
}
