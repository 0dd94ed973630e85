/// A caption cut into words and punctuation, the unit every caption rule works on.
///
/// Why tokens and not regular expressions: the rules look at neighbours ("is this `SEM` preceded
/// by *mean* or ±?", "is this letter alone in parentheses?"), which is plain index arithmetic
/// here, and a caption is tokenised once for all of them.
struct CaptionToken: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case word, number, punct }
    var text: String
    var kind: Kind
    /// Set by the JATS reader for letters in `<bold>` (Springer/Nature panel labels).
    var bold: Bool
    /// Offsets into the caption's characters, for snippets.
    var start: Int
    var end: Int

    var lower: String { text.lowercased() }
    var isSingleLetter: Bool { kind == .word && text.count == 1 && text.first!.isLetter }
    func `is`(_ s: String) -> Bool { text == s }
}

struct CaptionTokens: Sendable {
    let text: [Character]
    let tokens: [CaptionToken]

    init(_ caption: String) {
        var chars: [Character] = []
        var boldAt: Set<Int> = []
        for c in caption {
            if c == CaptionText.boldLabelMark { boldAt.insert(chars.count); continue }
            chars.append(c)
        }
        text = chars
        var out: [CaptionToken] = []
        var i = 0
        var boldRun = false
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "'" || c == "’" }
        while i < chars.count {
            let c = chars[i]
            if boldAt.contains(i) { boldRun = true }
            if c.isWhitespace { i += 1; continue }
            if isWordChar(c) {
                let start = i
                var allDigits = true
                while i < chars.count {
                    let d = chars[i]
                    if isWordChar(d) {
                        if !d.isNumber { allDigits = false }
                        i += 1
                    } else if d == "-", i + 1 < chars.count, isWordChar(chars[i + 1]) {
                        allDigits = false
                        i += 1
                    } else if (d == "." || d == ","), allDigits, i + 1 < chars.count, chars[i + 1].isNumber, i > start {
                        i += 1
                    } else { break }
                }
                let word = String(chars[start..<i])
                out.append(CaptionToken(text: word, kind: allDigits ? .number : .word, bold: boldRun, start: start, end: i))
                if !word.first!.isLetter || word.count > 1 { boldRun = false }
                continue
            }
            out.append(CaptionToken(text: String(c), kind: .punct, bold: boldRun, start: i, end: i + 1))
            if !"–-, ".contains(c) { boldRun = false }
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
        var s = String(text[from..<to])
        if s.count > limit { s = String(s.prefix(limit - 1)) + "…" }
        return s
    }

    /// Abbreviations after which a full stop does not end a sentence.
    static let abbreviations: Set<String> = [
        "fig", "figs", "ref", "refs", "al", "e.g", "i.e", "eg", "ie", "vs", "ca", "approx", "no", "eq",
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
                let next = i + 1 < tokens.count ? tokens[i + 1] : nil
                ends = !CaptionTokens.abbreviations.contains(prev)
                    && (next == nil || next!.text.first!.isUppercase || next!.isSingleLetter || next!.text == "(" || next!.kind == .number)
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
