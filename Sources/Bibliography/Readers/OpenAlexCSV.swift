/// OpenAlex works CSV (the web UI's export, flattened JSON column names; lists joined with "|").
enum OpenAlexCSV {
    static let aliases: [String: Field] = [
        "id": .openAlexID, "doi": .doi, "title": .title, "display_name": .title,
        "publication_year": .year, "publication_date": .date, "language": .language,
        "type": .documentType, "cited_by_count": .citedBy, "abstract": .abstract,
        "primary_location.source.display_name": .sourceTitle, "primary_location.source.issn_l": .issn,
        "authorships.author.display_name": .authors, "authorships.institutions.display_name": .affiliations,
        "ids.pmid": .pmid, "keywords.display_name": .authorKeywords,
    ]

    static let reader = TabularReader(format: .openAlexCSV, separator: UInt8(ascii: ","), quotes: true,
                                      aliases: aliases, authorStyle: .pipes, allowsTrailingEmptyField: false)
}
