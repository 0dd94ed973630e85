/// What deduplication compares of one record, computed once: a few hundred bytes instead of the
/// whole record, so a caller can deduplicate a list too large to hold as records (the Study
/// rebuilds a 200,000-record list from these and reads each record back only to merge it).
public struct DedupKeys: Sendable {
    /// The normalised title (`TitleKey.bytes`).
    var title: [UInt8]
    /// The first author's normalised family name.
    var family: String
    var year: Int?
    var doi: String?
    /// Which database the record came from (tier 1 and the survivor's precedence).
    var database: SourceDatabase
    /// That database's id for the record (tier 1).
    var sourceID: String?

    public init(_ r: BibRecord) {
        title = TitleKey.bytes(r.title ?? "")
        family = r.authors.first.map { TitleKey.family($0.family) } ?? ""
        year = r.year
        doi = r.doi?.value
        database = r.source.database
        sourceID = r.source.id
    }
}
