/// Why two records were taken for one article. Tiers are tried in this order; each later tier
/// only joins what the earlier ones left apart.
public enum MergeRule: String, CaseIterable, Hashable, Sendable, Codable {
    /// Same database, same id (Scopus EID, WoS UT, Lens ID, OpenAlex id): chunked exports overlap.
    case sameSourceID = "same-id"
    /// Same normalised DOI. Records without a DOI never match here.
    case doi
    /// Same normalised title and first author's family name, years at most one apart.
    case titleAuthorYear = "title-author-year"
    /// Normalised titles at least 95 % similar (edit distance), inside a block, years at most one apart.
    case fuzzyTitle = "fuzzy-title"
}

/// One line of the merge log: record `merged` was joined to `into` (indices into the input
/// records) by `rule`; `detail` says on what (the DOI, the title key, the similarity).
public struct MergeEvent: Hashable, Sendable, Codable {
    public var merged: Int
    public var into: Int
    public var rule: MergeRule
    public var detail: String
}
