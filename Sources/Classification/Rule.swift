import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// A negative rule across fields: when one of these phrases occurs in any of `contextFields`,
    /// the rule counts nowhere in the article ("catalyst" in a battery or sensor paper).
    public var unlessContext: [String]
    /// Where `unlessContext` phrases are looked for: the fields that say what an article is about.
    public var contextFields: [ArticleField]
    /// Line in the rules file, for messages.
    public var line: Int?

    public static let defaultContextFields: [ArticleField] = [.title, .authorKeywords, .indexKeywords, .sourceTitle]

    public init(id: String, category: String, pattern: Pattern, weight: Double, fields: [ArticleField],
                wholeWord: Bool = true, caseSensitive: Bool = false, unless: [String] = [],
                unlessContext: [String] = [], contextFields: [ArticleField] = Rule.defaultContextFields, line: Int? = nil) {
        self.id = id
        self.category = category
        self.pattern = pattern
        self.weight = weight
        self.fields = fields
        self.wholeWord = wholeWord
        self.caseSensitive = caseSensitive
        self.unless = unless
        self.unlessContext = unlessContext
        self.contextFields = contextFields
        self.line = line
    }
}

/// A rule compiled once into a regular expression, so classifying many articles does no
/// per-article setup. Phrases are escaped; whole-word uses look-arounds on letters and digits
/// rather than `\b`, so "Pt/C" and "Ni–Co" phrases behave as written.
final class CompiledRule: @unchecked Sendable {
    // NSRegularExpression is immutable and thread-safe once built (Foundation documents it so);
    // it is not annotated Sendable on every platform, hence @unchecked. A class, immutable, so the
    // hot loop passes one reference instead of copying the rule's strings and arrays.
    let rule: Rule
    let expression: NSRegularExpression
    let unless: [NSRegularExpression]
    let context: [NSRegularExpression]
    /// A word every match must contain, as ASCII bytes (lower-cased unless case-sensitive): a
    /// cheap byte search rules out most texts before the regular expression runs. nil for
    /// regular expressions and non-ASCII phrases, which always run.
    let literal: [UInt8]?

    init(_ rule: Rule) throws {
        self.rule = rule
        expression = try Self.compile(rule.pattern, wholeWord: rule.wholeWord, caseSensitive: rule.caseSensitive)
        unless = try rule.unless.map { try Self.compile(.phrase($0), wholeWord: true, caseSensitive: false) }
        context = try rule.unlessContext.map { try Self.compile(.phrase($0), wholeWord: true, caseSensitive: false) }
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

    /// Byte substring search: memchr finds each candidate first byte, memcmp checks the rest.
    /// (memmem would do, but Glibc does not export it to Swift.)
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= haystack.count else { return false }
        return haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                guard let base = h.baseAddress, let nb = n.baseAddress else { return false }
                let last = h.count - n.count
                var offset = 0
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, nb, n.count) == 0 { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }

    /// The first `unlessContext` phrase found in the article's context fields, with its field
    /// (`texts` indexed by `ArticleField.index`); nil when the rule is not cancelled.
    func cancellation(in texts: [String]) -> (field: ArticleField, range: Range<String.Index>)? {
        guard !context.isEmpty else { return nil }
        for field in rule.contextFields {
            let text = texts[field.index]
            guard !text.isEmpty else { continue }
            let whole = NSRange(text.startIndex..., in: text)
            for c in context {
                if let m = c.firstMatch(in: text, options: [], range: whole), let r = Range(m.range, in: text) { return (field, r) }
            }
        }
        return nil
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
