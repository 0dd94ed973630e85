import Core
import Foundation

/// The machine form of a classification, one JSON object per article per line (JSON Lines), as
/// printed by `lostdata classify --json`. Keys are written in a fixed order so outputs diff
/// cleanly; the shape is documented in docs/classification.md.
public enum ClassificationJSON {
    /// `{"id","doi","title","primary","categories":[…],"scores":{id:score},"ambiguous",
    /// "evidence":[{"rule","field","text"}]}` — no trailing newline. Scores are rounded to two
    /// decimals and listed in taxonomy order.
    public static func line(_ c: ArticleClassification, taxonomy: Taxonomy) -> String {
        let scores = taxonomy.sorted(c.scores.keys).map { ($0, number(c.scores[$0] ?? 0)) }
        return JSONValue.object([
            ("id", .string(c.articleID)),
            ("doi", c.doi.map { .string($0) } ?? .null),
            ("title", .string(c.title)),
            ("primary", .string(c.primary)),
            ("categories", .array(c.categories.map { .string($0) })),
            ("scores", .object(scores)),
            ("ambiguous", .bool(c.ambiguous)),
            ("evidence", .array(c.evidence.map {
                .object([("rule", .string($0.rule)), ("category", .string($0.category)), ("field", .string($0.field.rawValue)),
                         ("text", .string($0.text)), ("points", number($0.points))])
            })),
        ]).rendered()
    }

    /// A number rounded to two decimals, without a trailing ".0" for whole numbers.
    static func number(_ x: Double) -> JSONValue {
        let r = (x * 100).rounded() / 100
        if r == r.rounded(), abs(r) < 1e15 { return .int(Int(r)) }
        return .number(String(format: "%.2f", r).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression))
    }

}
