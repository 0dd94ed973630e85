/// A vocabulary hit in a caption: at which token, what kind, and the words that matched.
struct KindMatch: Hashable, Sendable {
    var token: Int
    var length: Int
    var kind: PanelKind
    var words: String
}

/// Every vocabulary hit of one caption, in order, after the standard-error uses of "SEM" are
/// removed — "mean ± SEM", "mean values and SEM", "(SEM)" without a microscope before it,
/// "SEM of n = 3" — because in a biomedical article they outnumber the microscopes.
struct KindMatches: Sendable {
    let matches: [KindMatch]
    /// The standard-error uses removed, for `figures show`.
    let standardErrors: [Int]

    /// Words that, shortly before "SEM", make it the standard error of the mean.
    static let standardErrorCues: Set<String> = ["mean", "means", "average", "averages", "±", "+/-", "error", "errors",
                                                 "bars", "sd", "s.d", "standard", "represent", "represents"]
    /// Words that, right after "SEM of", make it statistical ("SEM of n = 3", "SEM of three …").
    static let statisticalCounts: Set<String> = ["n", "three", "two", "four", "five", "triplicate", "independent", "at"]
    static let cueWindow = 5

    init(_ tokens: CaptionTokens) {
        var found: [KindMatch] = []
        var removed: [Int] = []
        // Lower-case words for phrases; hyphenated tokens split into parts ("field-emission").
        var words: [(word: String, token: Int)] = []
        for (i, t) in tokens.tokens.enumerated() {
            if t.kind == .punct { words.append(("", i)); continue }
            let lower = t.lower
            if t.hasHyphen {
                for part in lower.split(separator: "-") { words.append((String(part), i)) }
            } else {
                words.append((lower, i))
            }
        }
        var w = 0
        while w < words.count {
            let (word, ti) = words[w]
            let firstPartOfToken = w == 0 || words[w - 1].token != ti
            w += 1
            if word.isEmpty { continue }
            // Phrases first: the longest match starting at this word.
            if word.utf8.count >= TechniqueVocabulary.shortestFirstWord, TechniqueVocabulary.phraseStarts.mayContain(word),
               let candidates = TechniqueVocabulary.phrasesByFirstWord[word] {
                let at = w - 1
                if let p = candidates.first(where: { p in
                    at + p.words.count <= words.count
                        && zip(p.words, words[at..<(at + p.words.count)]).allSatisfy { $0 == $1.word }
                }) {
                    let endToken = words[at + p.words.count - 1].token
                    found.append(KindMatch(token: ti, length: endToken - ti + 1, kind: p.kind, words: p.words.joined(separator: " ")))
                    w = at + p.words.count
                    while w < words.count, words[w].token == endToken { w += 1 }
                    continue
                }
            }
            // Acronyms: once per token, case-sensitive, whole token or hyphen part.
            guard firstPartOfToken else { continue }
            let text = tokens[ti].text
            // Every acronym starts with a capital or is hyphenated ("cryo-TEM"): skip the rest unhashed.
            guard let lead = text.utf8.first, (lead >= 0x41 && lead <= 0x5A) || lead == UInt8(ascii: "c") || tokens[ti].hasHyphen,
                  let kind = Self.acronym(text, hyphenated: tokens[ti].hasHyphen) else { continue }
            if kind.technique == .stem, ti + 1 < tokens.count, TechniqueVocabulary.stemCellWords.contains(tokens[ti + 1].lower) { continue }
            if kind.technique == .sem, text == "SEM", Self.isStandardError(tokens, at: ti) {
                removed.append(ti)
                continue
            }
            found.append(KindMatch(token: ti, length: 1, kind: kind, words: text))
            while w < words.count, words[w].token == ti { w += 1 }
        }
        matches = found
        standardErrors = removed
    }

    /// - Parameter hyphenated: whether `text` holds a "-", when the caller knows (a word token's
    ///   `hasHyphen`): scanning every capitalised word for one showed in profiles.
    static func acronym(_ text: String, hyphenated: Bool? = nil) -> PanelKind? {
        if TechniqueVocabulary.acronymFilter.mayContain(text), let k = TechniqueVocabulary.acronyms[text] { return k }
        guard hyphenated ?? text.utf8.contains(UInt8(ascii: "-")) else { return nil }
        let parts = text.split(separator: "-")
        // "TEM-1" (a β-lactamase), "SEM-2": a number in the token means it is a name.
        guard !parts.contains(where: { $0.allSatisfy(\.isNumber) }) else { return nil }
        for p in parts { if let k = TechniqueVocabulary.acronyms[String(p)] { return k } }
        return nil
    }

    static func isStandardError(_ tokens: CaptionTokens, at i: Int) -> Bool {
        let from = max(0, i - cueWindow)
        for j in from..<i where standardErrorCues.contains(tokens[j].lower) {
            // A microscope named in between ("mean size from SEM images") is not a cue… but
            // "mean ± SEM" is: only cues in the same clause, not across ";" or ".".
            if !(j..<i).contains(where: { [";", "."].contains(tokens[$0].text) }) { return true }
        }
        if i > 0, i + 1 < tokens.count, tokens[i - 1].is("("), tokens[i + 1].is(")") {
            let before = max(0, i - 5)..<(i - 1)
            let named = before.contains { tokens[$0].lower.hasPrefix("micro") || tokens[$0].lower == "electron" }
            if !named { return true }
        }
        if i + 2 < tokens.count, tokens[i + 1].lower == "of",
           statisticalCounts.contains(tokens[i + 2].lower) || tokens[i + 2].kind == .number {
            return true
        }
        if i + 1 < tokens.count, ["values", "value"].contains(tokens[i + 1].lower) { return true }
        return false
    }

    /// The first hit in `range`, skipping tokens in `masked` (inset descriptions).
    func first(in range: Range<Int>, masked: Set<Int> = []) -> KindMatch? {
        matches.first { range.contains($0.token) && !masked.contains($0.token) }
    }

    /// Every hit in `range`, adjacent repeats of one kind merged ("scanning electron microscopy (SEM)").
    func all(in range: Range<Int>) -> [KindMatch] {
        var out: [KindMatch] = []
        for m in matches where range.contains(m.token) {
            if let last = out.last, last.kind == m.kind, m.token - (last.token + last.length) <= 2 { continue }
            out.append(m)
        }
        return out
    }
}
