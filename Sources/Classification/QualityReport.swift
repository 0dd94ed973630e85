/// Precision and recall of the classifier against a person's labels — how the shipped rules are
/// measured (docs/classification.md) and how a user can measure their own edited rules.
public struct CategoryQuality: Hashable, Sendable {
    public var category: String
    public var truePositives: Int
    public var falsePositives: Int
    public var falseNegatives: Int

    /// nil when the classifier never proposed the category (nothing to be precise about).
    public var precision: Double? {
        truePositives + falsePositives == 0 ? nil : Double(truePositives) / Double(truePositives + falsePositives)
    }
    /// nil when no label has the category.
    public var recall: Double? {
        truePositives + falseNegatives == 0 ? nil : Double(truePositives) / Double(truePositives + falseNegatives)
    }
    /// Articles labelled with the category.
    public var support: Int { truePositives + falseNegatives }
}

public enum QualityReport {
    /// Compares label sets with predicted sets, per category and per article id. Ids missing
    /// from `predicted` count as predicted "unclassified". Categories are listed in taxonomy order.
    public static func measure(labels: [String: Set<String>], predicted: [String: Set<String>],
                               taxonomy: Taxonomy) -> [CategoryQuality] {
        var all = Set<String>()
        for v in labels.values { all.formUnion(v) }
        for v in predicted.values { all.formUnion(v) }
        return taxonomy.sorted(all).map { category in
            var q = CategoryQuality(category: category, truePositives: 0, falsePositives: 0, falseNegatives: 0)
            for (id, truth) in labels {
                let guess = predicted[id] ?? [Taxonomy.unclassified]
                switch (truth.contains(category), guess.contains(category)) {
                case (true, true): q.truePositives += 1
                case (false, true): q.falsePositives += 1
                case (true, false): q.falseNegatives += 1
                case (false, false): break
                }
            }
            return q
        }
    }
}
