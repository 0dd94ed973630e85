import Foundation

extension Classifier {
    /// Every stretch of `text` that the rule with this id matches, found exactly as `classify`
    /// finds it (the same compiled pattern: phrase or regular expression, whole word, case, and an
    /// `unless` phrase in the same text cancelling the rule), in text order, empty matches left
    /// out. Empty when no rule has this id or the rule does not match.
    ///
    /// For showing people which words decided (the review page marks them): `classify` keeps only
    /// a snippet around the first match, and a regular expression's id names a pattern, not the
    /// words it found, so a page cannot find them again without the classifier's own matcher.
    /// Several rules may share an id (a `phrases:` list with an explicit `id:`); all of them count.
    public func matchedRanges(ofRule id: String, in text: String) -> [Range<String.Index>] {
        guard !text.isEmpty, let rules = compiledByID[id] else { return [] }
        var ranges: [Range<String.Index>] = []
        let whole = NSRange(text.startIndex..., in: text)
        for cr in rules where cr.firstMatch(in: text) != nil {
            for m in cr.expression.matches(in: text, options: [], range: whole) {
                if let r = Range(m.range, in: text), !r.isEmpty { ranges.append(r) }
            }
        }
        return ranges.sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
    }
}
