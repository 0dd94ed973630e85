/// Lens.org scholarly-works CSV export.
enum LensCSV {
    static let aliases: [String: Field] = [
        "Lens ID": .lensID, "Title": .title, "Date Published": .date, "Publication Year": .year,
        "Publication Type": .documentType, "Source Title": .sourceTitle, "ISSNs": .issn,
        "Publisher": .publisher, "Author/s": .authors, "Abstract": .abstract, "Volume": .volume,
        "Issue Number": .issue, "Start Page": .pageStart, "End Page": .pageEnd,
        "Keywords": .authorKeywords, "PMID": .pmid, "DOI": .doi, "Citing Works Count": .citedBy,
    ]

    static let reader = TabularReader(format: .lensCSV, separator: UInt8(ascii: ","), quotes: true,
                                      aliases: aliases, authorStyle: .semicolons, allowsTrailingEmptyField: false)
}
