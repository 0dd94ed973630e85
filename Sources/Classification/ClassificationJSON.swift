import Foundation

/// The machine form of a classification, one JSON object per article per line (JSON Lines), as
/// printed by `lostdata classify --json`. Keys are written in a fixed order so outputs diff
/// cleanly; the shape is documented in docs/classification.md.
public enum ClassificationJSON {
    /// `{"id","doi","title","primary","categories":[…],"scores":{id:score},"ambiguous",
    /// "evidence":[{"rule","field","text"}]}` — no trailing newline. Scores are rounded to two
    /// decimals and listed in taxonomy order.
    public static func line(_ c: ArticleClassification, taxonomy: Taxonomy) -> String {
        var s = "{"
        s += "\"id\":" + string(c.articleID)
        s += ",\"doi\":" + (c.doi.map(string) ?? "null")
        s += ",\"title\":" + string(c.title)
        s += ",\"primary\":" + string(c.primary)
        s += ",\"categories\":[" + c.categories.map(string).joined(separator: ",") + "]"
        let scoreKeys = taxonomy.sorted(c.scores.keys)
        s += ",\"scores\":{" + scoreKeys.map { string($0) + ":" + number(c.scores[$0] ?? 0) }.joined(separator: ",") + "}"
        s += ",\"ambiguous\":" + (c.ambiguous ? "true" : "false")
        s += ",\"evidence\":[" + c.evidence.map {
            "{\"rule\":" + string($0.rule) + ",\"category\":" + string($0.category) + ",\"field\":" + string($0.field.rawValue)
                + ",\"text\":" + string($0.text) + ",\"points\":" + number($0.points) + "}"
        }.joined(separator: ",") + "]"
        return s + "}"
    }

    /// A number rounded to two decimals, without a trailing ".0" for whole numbers.
    static func number(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        if r == r.rounded(), abs(r) < 1e15 { return String(Int(r)) }
        return String(format: "%.2f", r).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func string(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
