/// A caption cut into words and punctuation, the unit every caption rule works on.
///
/// Why tokens and not regular expressions: the rules look at neighbours ("is this `SEM` preceded
/// by *mean* or ±?", "is this letter alone in parentheses?"), which is plain index arithmetic
/// here, and a caption is tokenised once for all of them. It works on Unicode scalars with an
/// ASCII fast path: grapheme-cluster `Character`s cost ten times more and captions need none.
struct CaptionToken: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case word, number, punct }
    var text: String
    /// `text` lower-cased, computed once.
    var lower: String
    var kind: Kind
    /// Set by the JATS reader for letters in `<bold>` (Springer/Nature panel labels).
    var bold: Bool
    /// Offsets into the caption's scalars, for snippets.
    var start: Int
    var end: Int
    /// One ASCII or non-ASCII letter ("a", "B").
    var isSingleLetter: Bool

    func `is`(_ s: String) -> Bool { text == s }
}

struct CaptionTokens: Sendable {
    let text: [Unicode.Scalar]
    let tokens: [CaptionToken]

    @inline(__always)
    static func isLetter(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return (u.value | 0x20) >= 0x61 && (u.value | 0x20) <= 0x7A }
        return u.properties.isAlphabetic
    }

    @inline(__always)
    static func isDigit(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return u.value >= 0x30 && u.value <= 0x39 }
        return u.properties.numericType != nil
    }

    @inline(__always)
    static func isWordScalar(_ u: Unicode.Scalar) -> Bool {
        isLetter(u) || isDigit(u) || u == "'" || u == "\u{2019}"
    }

    init(_ caption: String) {
        let mark = CaptionText.boldLabelMark.unicodeScalars.first!
        var chars: [Unicode.Scalar] = []
        chars.reserveCapacity(caption.utf8.count)
        var boldAt: Set<Int> = []
        for u in caption.unicodeScalars {
            if u == mark { boldAt.insert(chars.count); continue }
            chars.append(u)
        }
        text = chars
        var out: [CaptionToken] = []
        out.reserveCapacity(chars.count / 4)
        var i = 0
        var boldRun = false
        func make(_ from: Int, _ to: Int, _ kind: CaptionToken.Kind, _ bold: Bool) -> CaptionToken {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: chars[from..<to])
            let word = String(s)
            let single = to - from == 1 && Self.isLetter(chars[from])
            return CaptionToken(text: word, lower: kind == .word ? word.lowercased() : word, kind: kind, bold: bold,
                                start: from, end: to, isSingleLetter: kind == .word && single)
        }
        while i < chars.count {
            let c = chars[i]
            if !boldAt.isEmpty, boldAt.contains(i) { boldRun = true }
            if c == " " || (c.value >= 0x80 && c.properties.isWhitespace) { i += 1; continue }
            if Self.isWordScalar(c) {
                let start = i
                var allDigits = true
                while i < chars.count {
                    let d = chars[i]
                    if Self.isWordScalar(d) {
                        if !Self.isDigit(d) { allDigits = false }
                        i += 1
                    } else if d == "-", i + 1 < chars.count, Self.isWordScalar(chars[i + 1]) {
                        allDigits = false
                        i += 1
                    } else if d == "." || d == ",", allDigits, i > start, i + 1 < chars.count, Self.isDigit(chars[i + 1]) {
                        i += 1
                    } else { break }
                }
                let token = make(start, i, allDigits ? .number : .word, boldRun)
                out.append(token)
                if !token.isSingleLetter { boldRun = false }
                continue
            }
            out.append(make(i, i + 1, .punct, boldRun))
            if !(c == "\u{2013}" || c == "-" || c == ",") { boldRun = false }
            i += 1
        }
        tokens = out
    }

    var count: Int { tokens.count }
    subscript(i: Int) -> CaptionToken { tokens[i] }

    /// The caption text between two token positions (for evidence), at most `limit` characters.
    func snippet(_ range: Range<Int>, limit: Int = 160) -> String {
        guard !range.isEmpty, range.lowerBound < tokens.count else { return "" }
        let from = tokens[range.lowerBound].start
        let to = tokens[min(range.upperBound, tokens.count) - 1].end
        var s = String.UnicodeScalarView()
        s.append(contentsOf: text[from..<to])
        let whole = String(s)
        return whole.count > limit ? String(whole.prefix(limit - 1)) + "…" : whole
    }

    /// Abbreviations after which a full stop does not end a sentence.
    static let abbreviations: Set<String> = [
        "fig", "figs", "ref", "refs", "al", "eg", "ie", "vs", "ca", "approx", "no", "eq",
        "resp", "cf", "sp", "spp", "etc", "mag", "dr", "st",
    ]

    /// Clause boundaries: `;` and a full stop that ends a sentence. Returns token ranges.
    func clauses() -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        for i in tokens.indices {
            let t = tokens[i]
            guard t.kind == .punct else { continue }
            var ends = t.text == ";"
            if t.text == "." || t.text == "!" || t.text == "?" {
                let prev = i > 0 ? tokens[i - 1].lower : ""
                if i + 1 < tokens.count {
                    let next = tokens[i + 1]
                    let startsUpper = next.text.unicodeScalars.first.map { $0.properties.isUppercase } ?? false
                    ends = !CaptionTokens.abbreviations.contains(prev)
                        && (startsUpper || next.isSingleLetter || next.text == "(" || next.kind == .number)
                } else {
                    ends = true
                }
            }
            if ends {
                if start < i { result.append(start..<i) }
                start = i + 1
            }
        }
        if start < tokens.count { result.append(start..<tokens.count) }
        return result
    }
}
