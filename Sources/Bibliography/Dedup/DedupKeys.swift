/// What deduplication compares of one record, computed once: a few hundred bytes instead of the
/// whole record. `KeyedCandidates` deduplicates from these in memory; the Study stores them
/// beside each record, so that a list too large to hold is deduplicated from its database.
public struct DedupKeys: Sendable {
    /// The normalised title (`TitleKey.bytes`).
    public internal(set) var title: [UInt8]
    /// The first author's normalised family name.
    public internal(set) var family: String
    public internal(set) var year: Int?
    public internal(set) var doi: String?
    /// Which database the record came from (tier 1 and the survivor's precedence).
    public internal(set) var database: SourceDatabase
    /// That database's id for the record (tier 1).
    public internal(set) var sourceID: String?

    /// Bump when what the keys are made of changes: keys stored by an older version are then
    /// made again from their records before the next deduplication.
    public static let version = 1

    /// A missing year, in the 32-bit years the tiers compare.
    public static let noYear = Int32.min

    public init(_ r: BibRecord) {
        title = TitleKey.bytes(r.title ?? "")
        family = r.authors.first.map { TitleKey.family($0.family) } ?? ""
        year = r.year
        doi = r.doi?.value
        database = r.source.database
        sourceID = r.source.id
    }

    /// A year as the tiers hold it: 32 bits, `noYear` for none (a year beyond 32 bits cannot be
    /// within one of a real one, so clamping changes no join).
    public static func compactYear(_ year: Int?) -> Int32 {
        guard let y = year else { return noYear }
        return Int32(clamping: y) == noYear ? noYear + 1 : Int32(clamping: y)
    }
}
