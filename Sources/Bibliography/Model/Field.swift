/// The fields of the common record. Every reader maps its own tags or column headers onto these
/// through an alias table at the top of its file, so that format knowledge stays data and the
/// normalisation (`RecordBuilder`) is written once.
/// (Int raw values, not String ones: `FieldValues` indexes a flat array by them, which beats
/// hashing a dictionary key per field per record.)
public enum Field: Int, CaseIterable, Hashable, Sendable {
    case title
    /// Short author names as exported ("Adams, WC", "Hao J.", "Xie, L.").
    case authors
    /// Full author names where the database gives them (WoS AF, Scopus "Author full names").
    case authorFullNames
    case authorIDs
    case year
    /// A publication date from which the year is taken when no year field exists (Lens, OpenAlex).
    case date
    case sourceTitle
    case sourceAbbreviation
    case issn
    case eissn
    case isbn
    case volume
    case issue
    case pageStart
    case pageEnd
    /// A page range "12-34" or "12 – 34" (BibTeX, RIS fallbacks).
    case pages
    case articleNumber
    case doi
    case eid
    case ut
    case pmid
    /// Other databases' own ids (Lens ID, OpenAlex id).
    case lensID
    case openAlexID
    case documentType
    /// The container type of the format (RIS `TY`, a BibTeX `@article`): used as the document
    /// type only when the record has no explicit one.
    case entryType
    case language
    case abstract
    case authorKeywords
    case indexKeywords
    case affiliations
    case citedBy
    case publisher
    case url
    /// PubMed Central id ("PMC5815332"): where Europe PMC serves the open full text.
    case pmcid
    /// Open-access status as the API states it ("true", "Y").
    case openAccess
    /// A web API's own id for the record where it is not one of the above (Europe PMC's `id`).
    case databaseID
    /// Free notes; Scopus BibTeX keeps "cited By N" here, Scopus RIS "Cited By: N".
    case note
    /// The database named inside the record itself (RIS `DB`, BibTeX `source`).
    case database
}

/// The database an exported record came from: decides id kinds and merge precedence.
public enum SourceDatabase: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    case wos, scopus, lens, openalex, other
    /// Records fetched from the Crossref and Europe PMC APIs (`literature search`). Last in the
    /// case list so that the order of the older cases (and `<`) is unchanged.
    case crossref, europepmc

    /// Default precedence: Web of Science first (as bibliometrix and the paper's Methods do),
    /// then Scopus, then the open indexes.
    public static let defaultPrecedence: [SourceDatabase] = [.wos, .scopus, .lens, .openalex, .crossref, .europepmc, .other]

    public static func < (l: SourceDatabase, r: SourceDatabase) -> Bool {
        (allCases.firstIndex(of: l) ?? 0) < (allCases.firstIndex(of: r) ?? 0)
    }
}
