/// Scopus BibTeX: document type under `document_type` (≤2022) or `type` (2023+), cited-by in
/// `note = {cited By N}`, author keywords in `author_keywords`, index keywords in `keywords`,
/// no EID field (it is taken from the `url` link).
enum ScopusBibTeX {
    static let aliases: [String: Field] = BibTeXReader.commonAliases.merging([
        "document_type": .documentType, "type": .documentType, "abbrev_source_title": .sourceAbbreviation,
        "author_keywords": .authorKeywords, "keywords": .indexKeywords,
        "affiliation": .affiliations, "affiliations": .affiliations, "pubmed_id": .pmid,
        "source": .database, "art_number": .articleNumber,
    ]) { _, new in new }

    static let reader = BibTeXReader(format: .scopusBibTeX, aliases: aliases)
}
