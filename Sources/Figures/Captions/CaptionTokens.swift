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
    /// Byte offsets into the caption's UTF-8, for snippets.
    var start: Int
    var end: Int
    /// One ASCII or non-ASCII letter ("a", "B").
    var isSingleLetter: Bool
    /// The word has an inner hyphen ("cryo-TEM", "a-1").
    var hasHyphen: Bool = false

    func `is`(_ s: String) -> Bool { text == s }
}

struct CaptionTokens: Sendable {
    /// The caption's UTF-8 bytes; token offsets point into them.
    let text: [UInt8]
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

    /// The scalar starting at byte `i` and its length in bytes (the caption is valid UTF-8: it
    /// comes from a Swift `String`).
    @inline(__always)
    static func scalar(_ bytes: [UInt8], _ i: Int) -> (Unicode.Scalar, Int) {
        bytes.withUnsafeBufferPointer { scalar($0, i) }
    }

    @inline(__always)
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Unicode.Scalar, Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let n = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2
        guard i + n <= bytes.count else { return ("\u{FFFD}", 1) }
        var v = UInt32(b0) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07)
        for k in 1..<n { v = v << 6 | (UInt32(bytes[i + k]) & 0x3F) }
        return (Unicode.Scalar(v) ?? "\u{FFFD}", n)
    }

    init(_ caption: String) {
        let bytes = Array(caption.utf8)
        text = bytes
        let mark = CaptionText.boldLabelMark.unicodeScalars.first!
        var out: [CaptionToken] = []
        out.reserveCapacity(bytes.count / 4)
        var i = 0
        var boldRun = false
        func make(_ from: Int, _ to: Int, _ kind: CaptionToken.Kind, _ bold: Bool, single: Bool) -> CaptionToken {
            let word = String(decoding: bytes[from..<to], as: UTF8.self)
            return CaptionToken(text: word, lower: kind == .word ? Self.lowercase(word, bytes[from..<to]) : word, kind: kind, bold: bold,
                                start: from, end: to, isSingleLetter: kind == .word && single)
        }
        while i < bytes.count {
            let (c, n) = Self.scalar(bytes, i)
            if c == mark { boldRun = true; i += n; continue }
            if c == " " || (c.value >= 0x80 && c.properties.isWhitespace) { i += n; continue }
            if Self.isWordScalar(c) {
                let start = i
                var allDigits = true
                var scalars = 0
                var firstIsLetter = false
                var hyphen = false
                while i < bytes.count {
                    let (d, m) = Self.scalar(bytes, i)
                    if Self.isWordScalar(d) {
                        if scalars == 0 { firstIsLetter = Self.isLetter(d) }
                        if !Self.isDigit(d) { allDigits = false }
                        scalars += 1
                        i += m
                    } else if d == "-", i + 1 < bytes.count, Self.isWordScalar(Self.scalar(bytes, i + 1).0) {
                        allDigits = false
                        hyphen = true
                        scalars += 1
                        i += 1
                    } else if d == "." || d == ",", allDigits, i > start, i + 1 < bytes.count, Self.isDigit(Self.scalar(bytes, i + 1).0) {
                        scalars += 1
                        i += 1
                    } else { break }
                }
                var token = make(start, i, allDigits ? .number : .word, boldRun, single: scalars == 1 && firstIsLetter)
                token.hasHyphen = hyphen
                out.append(token)
                if !token.isSingleLetter { boldRun = false }
                continue
            }
            out.append(make(i, i + n, .punct, boldRun, single: false))
            if !(c == "\u{2013}" || c == "-" || c == ",") { boldRun = false }
            i += n
        }
        tokens = out
    }

    /// `word.lowercased()`, without the general Unicode path for ASCII words (most of them):
    /// a word with no capital is its own lower case, and an ASCII capital is one bit away.
    @inline(__always)
    static func lowercase(_ word: String, _ utf8: ArraySlice<UInt8>) -> String {
        var capitals = false
        for b in utf8 {
            if b >= 0x80 { return word.lowercased() }
            if b >= 0x41 && b <= 0x5A { capitals = true }
        }
        guard capitals else { return word }
        return String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    var count: Int { tokens.count }
    subscript(i: Int) -> CaptionToken { tokens[i] }

    /// The caption text between two token positions (for evidence), at most `limit` characters.
    func snippet(_ range: Range<Int>, limit: Int = 160) -> String {
        guard !range.isEmpty, range.lowerBound < tokens.count else { return "" }
        let from = tokens[range.lowerBound].start
        let to = tokens[min(range.upperBound, tokens.count) - 1].end
        let whole = String(decoding: text[from..<to], as: UTF8.self)
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
