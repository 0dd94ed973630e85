import Foundation

/// One line of evidence-giving knowledge: "this pattern, in these fields, adds this weight to
/// this category". A negative weight makes it a negative phrase (e.g. "magnetic recording channel"
/// counting against materials). Rules are data, read from the rules file.
public struct Rule: Hashable, Sendable {
    public enum Pattern: Hashable, Sendable {
        /// Literal text; matched case-insensitively unless `caseSensitive`, at word boundaries
        /// when `wholeWord`.
        case phrase(String)
        /// An ICU regular expression (NSRegularExpression syntax).
        case regex(String)
    }

    /// Stable id shown in evidence: the rules file's `id:` or "<category>: <pattern>".
    public var id: String
    public var category: String
    public var pattern: Pattern
    public var weight: Double
    public var fields: [ArticleField]
    public var wholeWord: Bool
    public var caseSensitive: Bool
    /// Phrases that cancel this rule in a field where they occur ("standard error of the mean"
    /// cancels "SEM").
    public var unless: [String]
    /// Line in the rules file, for messages.
    public var line: Int?

    public init(id: String, category: String, pattern: Pattern, weight: Double, fields: [ArticleField],
                wholeWord: Bool = true, caseSensitive: Bool = false, unless: [String] = [], line: Int? = nil) {
        self.id = id
        self.category = category
        self.pattern = pattern
        self.weight = weight
        self.fields = fields
        self.wholeWord = wholeWord
        self.caseSensitive = caseSensitive
        self.unless = unless
        self.line = line
    }
}

/// A rule compiled once into a regular expression, so classifying many articles does no
/// per-article setup. Phrases are escaped; whole-word uses look-arounds on letters and digits
/// rather than `\b`, so "Pt/C" and "Ni–Co" phrases behave as written.
struct CompiledRule: @unchecked Sendable {
    // NSRegularExpression is immutable and thread-safe once built (Foundation documents it so);
    // it is not annotated Sendable on every platform, hence @unchecked.
    let rule: Rule
    let expression: NSRegularExpression
    let unless: [NSRegularExpression]
    /// A word every match must contain, as ASCII bytes (lower-cased unless case-sensitive): a
    /// cheap byte search rules out most texts before the regular expression runs. nil for
    /// regular expressions and non-ASCII phrases, which always run.
    let literal: [UInt8]?

    init(_ rule: Rule) throws {
        self.rule = rule
        expression = try Self.compile(rule.pattern, wholeWord: rule.wholeWord, caseSensitive: rule.caseSensitive)
        unless = try rule.unless.map { try Self.compile(.phrase($0), wholeWord: true, caseSensitive: false) }
        if case .phrase(let p) = rule.pattern,
           let longest = Self.words(of: p).max(by: { $0.utf8.count < $1.utf8.count }),
           longest.utf8.allSatisfy({ $0 < 0x80 }) {
            literal = Array((rule.caseSensitive ? String(longest) : longest.lowercased()).utf8)
        } else {
            literal = nil
        }
    }

    static func words(of phrase: String) -> [Substring] {
        phrase.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "\u{2010}" || $0 == "\u{2013}" })
    }

    static func compile(_ pattern: Rule.Pattern, wholeWord: Bool, caseSensitive: Bool) throws -> NSRegularExpression {
        var source: String
        switch pattern {
        case .phrase(let p):
            // Any run of white space or hyphens in a phrase matches any other such run:
            // "metal organic framework" finds "metal-organic framework".
            source = words(of: p).map { NSRegularExpression.escapedPattern(for: String($0)) }
                .joined(separator: "[\\s\\-\u{2010}\u{2011}\u{2013}]+")
        case .regex(let r):
            source = "(?:\(r))"
        }
        if wholeWord { source = "(?<![\\p{L}\\p{N}])" + source + "(?![\\p{L}\\p{N}])" }
        return try NSRegularExpression(pattern: source, options: caseSensitive ? [] : [.caseInsensitive])
    }

    /// Whether the text (given as its bytes and its ASCII-lower-cased bytes) can hold a match.
    func mayMatch(bytes: [UInt8], lowered: [UInt8]) -> Bool {
        guard let literal else { return true }
        return Self.contains(rule.caseSensitive ? bytes : lowered, literal)
    }

    /// Byte substring search; texts are short (an abstract), so a first-byte scan is enough.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var i = 0
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i + j] == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// The first match in `text`, unless an `unless` phrase occurs in the same text.
    func firstMatch(in text: String) -> Range<String.Index>? {
        let whole = NSRange(text.startIndex..., in: text)
        guard let m = expression.firstMatch(in: text, options: [], range: whole),
              let range = Range(m.range, in: text) else { return nil }
        for u in unless where u.firstMatch(in: text, options: [], range: whole) != nil { return nil }
        return range
    }
}
