import Core
import Foundation

/// Scores articles against a rule set. Deterministic (same rules and text, same result, in the
/// same order) and explainable (every point comes with the rule, field and words behind it).
///
/// Scoring: a rule adds `weight × fieldWeight` once for every field it matches in. A category's
/// score is the sum over its rules; a top-level category also gets its best subcategory's score
/// (a "metal-on-carbon" article is a materials article), and its negative total is carried into
/// each matched subcategory. A category is assigned at or above its
/// threshold (scaled by `thresholdFactorWithoutAbstract` for a record without an abstract); a
/// top-level category is also assigned when one of its subcategories is. Rules under
/// `unclassified` add up out-of-scope evidence: unless the best category scores at least
/// `unclassifiedMargin` above it, nothing is assigned. A rule with `unlessContext` does not count
/// in an article whose context fields hold one of those phrases (a negative rule across fields).
public struct Classifier: Sendable {
    public let ruleSet: RuleSet
    private let compiled: [CompiledRule]
    /// The compiled rules by id, for `matchedRanges(ofRule:in:)`.
    let compiledByID: [String: [CompiledRule]]
    /// Context kept on each side of a match in evidence snippets.
    static let snippetContext = 30

    public init(_ ruleSet: RuleSet) throws {
        self.ruleSet = ruleSet
        compiled = try ruleSet.rules.map { try CompiledRule($0) }
        compiledByID = Dictionary(grouping: compiled, by: \.rule.id)
    }

    /// Classifies a batch, on all cores; results come back in input order.
    public func classify(_ articles: [ClassifiableArticle], progress: any ProgressReporter = SilentProgress()) -> [ArticleClassification] {
        let chunk = 64
        let chunks = (articles.count + chunk - 1) / chunk
        let box = ResultBox(count: articles.count)
        let done = Counter()
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let range = (c * chunk)..<min(articles.count, (c + 1) * chunk)
            let out = range.map { classify(articles[$0]) }
            box.store(out, at: range.lowerBound)
            progress.report(done: done.add(range.count), total: articles.count, unit: "articles")
        }
        progress.finish()
        return box.values
    }

    public func classify(_ article: ClassifiableArticle) -> ArticleClassification {
        let taxonomy = ruleSet.taxonomy
        var own: [String: Double] = [:]
        var evidence: [Evidence] = []
        // Each field's text, its bytes and its ASCII-lower-cased bytes, made once per article.
        let texts = ArticleField.allCases.map { field -> FieldText in
            let text = article.text(of: field)
            let bytes = Array(text.utf8)
            return FieldText(text: text, bytes: bytes, lowered: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
        }
        for cr in compiled {
            // Whether the article's context cancels this rule, looked up once, on its first match.
            var cancelled: Bool? = nil
            for field in cr.rule.fields {
                let t = texts[field.index]
                guard !t.bytes.isEmpty, cr.mayMatch(bytes: t.bytes, lowered: t.lowered) else { continue }
                let text = t.text
                guard let range = cr.firstMatch(in: text) else { continue }
                let points = cr.rule.weight * ruleSet.weight(of: field)
                guard points != 0 else { continue }
                if cancelled == nil {
                    cancelled = false
                    if let c = cr.cancellation(in: texts.map(\.text)) {
                        cancelled = true
                        // Shown with 0 points so a reviewer sees why a matching word did not count.
                        let where_ = texts[c.field.index].text
                        evidence.append(Evidence(rule: cr.rule.id, category: cr.rule.category, field: c.field,
                                                 text: "not counted, context: " + Self.snippet(where_, around: c.range), points: 0))
                    }
                }
                if cancelled == true { break }
                own[cr.rule.category, default: 0] += points
                evidence.append(Evidence(rule: cr.rule.id, category: cr.rule.category, field: field,
                                         text: Self.snippet(text, around: range), points: points))
            }
        }
        // Title, keywords and journal alone: the same thresholds, scaled by the calibrated factor.
        let thresholdFactor = article.abstract.isEmpty ? ruleSet.thresholdFactorWithoutAbstract : 1
        // Out-of-scope evidence (rules under `unclassified`): what the best category must beat.
        let outOfScope = own[Taxonomy.unclassified] ?? 0

        var scores: [String: Double] = [:]
        var assigned = Set<String>()
        if outOfScope != 0 { scores[Taxonomy.unclassified] = outOfScope }
        for top in taxonomy.topLevel where top.id != Taxonomy.unclassified {
            let children = taxonomy.children(of: top.id)
            // A parent's negative phrases speak for its whole branch: "magnetic tape" counts
            // against materials/minerals-ceramics as much as against materials.
            let parentPenalty = min(0, own[top.id] ?? 0)
            var bestChild = 0.0
            for child in children {
                let s = (own[child.id] ?? 0) + (own[child.id] == nil ? 0 : parentPenalty)
                if s != 0 { scores[child.id] = s }
                if s >= child.threshold * thresholdFactor { assigned.insert(child.id) }
                bestChild = max(bestChild, s)
            }
            let s = (own[top.id] ?? 0) + bestChild
            if s != 0 { scores[top.id] = s }
            if s >= top.threshold * thresholdFactor || children.contains(where: { assigned.contains($0.id) }) { assigned.insert(top.id) }
        }

        let ranked = { (ids: [String]) in
            ids.sorted { (-(scores[$0] ?? 0), taxonomy.order(of: $0)) < (-(scores[$1] ?? 0), taxonomy.order(of: $1)) }
        }
        var primary = Taxonomy.unclassified
        var ambiguous = false
        let tops = ranked(taxonomy.topLevel.map(\.id).filter { $0 != Taxonomy.unclassified && (scores[$0] ?? 0) > 0 })
        if let best = tops.first, let bestScore = scores[best], outOfScope > 0 {
            // Close to the out-of-scope evidence either way: a person should look.
            let gap = bestScore - outOfScope - ruleSet.unclassifiedMargin
            if abs(gap) <= ruleSet.ambiguityMargin * bestScore { ambiguous = true }
            // Not clearly above it: nothing is claimed.
            if gap < 0 { assigned.removeAll() }
        }
        if let best = tops.first, assigned.contains(best) {
            primary = best
            ambiguous = ambiguous || isClose(tops, scores)
            let subs = ranked(taxonomy.children(of: best).map(\.id).filter { (scores[$0] ?? 0) > 0 })
            if let bestSub = subs.first, assigned.contains(bestSub) {
                primary = bestSub
                ambiguous = ambiguous || isClose(subs, scores)
            }
        }
        let categories = assigned.isEmpty ? [Taxonomy.unclassified] : taxonomy.sorted(assigned)
        evidence.sort { (taxonomy.order(of: $0.category), $0.field) < (taxonomy.order(of: $1.category), $1.field) }
        return ArticleClassification(articleID: article.id, doi: article.doi, title: article.title, year: article.year,
                                     primary: primary, categories: categories, scores: scores,
                                     ambiguous: ambiguous, evidence: evidence)
    }

    /// The first two of `ranked` score within the ambiguity margin of each other.
    private func isClose(_ ranked: [String], _ scores: [String: Double]) -> Bool {
        guard ranked.count >= 2, let s1 = scores[ranked[0]], let s2 = scores[ranked[1]], s1 > 0 else { return false }
        return s2 >= (1 - ruleSet.ambiguityMargin) * s1
    }

    static func snippet(_ text: String, around range: Range<String.Index>) -> String {
        let start = text.index(range.lowerBound, offsetBy: -snippetContext, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(range.upperBound, offsetBy: snippetContext, limitedBy: text.endIndex) ?? text.endIndex
        var s = text[start..<end].split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if start > text.startIndex { s = "…" + s }
        if end < text.endIndex { s += "…" }
        return s
    }
}

/// One field of one article, ready for matching.
private struct FieldText {
    let text: String
    let bytes: [UInt8]
    let lowered: [UInt8]
}

/// Collects results written by concurrent chunks at disjoint positions.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ArticleClassification?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ values: [ArticleClassification], at offset: Int) {
        lock.lock(); defer { lock.unlock() }
        for (i, v) in values.enumerated() { slots[offset + i] = v }
    }
    var values: [ArticleClassification] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add(_ k: Int) -> Int { lock.lock(); defer { lock.unlock() }; n += k; return n }
}
