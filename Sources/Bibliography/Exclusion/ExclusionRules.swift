/// Decides which articles are set aside, and why. Machine output only: a person's decision
/// (stored by the Study) overrides it.
public struct ExclusionRules: Sendable {
    /// The study's years, inclusive; nil keeps every year.
    public var period: ClosedRange<Int>?
    /// ISSNs ("1063-7834") and normalised titles of translated journals.
    var translationISSNs: Set<String>
    var translationTitles: Set<String>

    /// - Parameters:
    ///   - extraTranslationISSNs, extraTranslationTitles: the study's additions to the shipped list.
    public init(period: ClosedRange<Int>? = nil, extraTranslationISSNs: [String] = [], extraTranslationTitles: [String] = []) {
        self.period = period
        let shipped = TranslatedJournals.list
        translationISSNs = Set((shipped.flatMap(\.issns) + extraTranslationISSNs).map { RecordBuilder.issn($0.trimmed()) })
        translationTitles = Set((shipped.map(\.title) + extraTranslationTitles).map(TitleKey.make))
    }

    public struct Verdict: Hashable, Sendable {
        /// The reason that applies, most specific first; nil when the record stays in.
        public var exclusion: ExclusionReason? { reasons.first }
        public var reasons: [ExclusionReason]
        /// Things a person should look at that are not grounds for exclusion.
        public var hints: [String]
    }

    public func judge(_ r: BibRecord) -> Verdict {
        var reasons: [ExclusionReason] = []
        var hints: [String] = []
        if let reason = ExclusionReason.byDocumentType[r.documentType] { reasons.append(reason) }
        let issns = [r.issn, r.eissn].compactMap { $0 }
        if issns.contains(where: translationISSNs.contains) || r.sourceTitle.map({ translationTitles.contains(TitleKey.make($0)) }) == true {
            reasons.append(.translation)
        } else if let doi = r.doi, doi.value.hasPrefix(TranslatedJournals.hintDOIPrefix) {
            hints.append("DOI prefix 10.1134 (Pleiades): possibly a translated journal; if so add its ISSN under bibliography.translations in study.yaml")
        }
        if let period {
            if let year = r.year {
                if !period.contains(year) { reasons.append(.outOfRange) }
            } else {
                hints.append("no publication year: cannot check the study period")
            }
        }
        return Verdict(reasons: reasons, hints: hints)
    }
}
