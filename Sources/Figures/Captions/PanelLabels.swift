/// One place in a caption that names panels: "(a)", "(a,b)", "(a–c)", "a–d", "from a to h".
struct LabelOccurrence: Hashable, Sendable {
    /// The panel letters it names, ranges expanded, in order.
    var letters: [Character]
    var uppercase: Bool
    /// Tokens the label itself spans (parentheses included).
    var range: Range<Int>
}

/// Finds panel labels in a caption, in the styles the JATS note lists, and keeps one label class
/// per caption whose run starts at a/A.
///
/// Why the run rule: letters in parentheses are often not panels — element symbols "(C)", "(S)",
/// curve labels, list markers. A real panel sequence starts at a (EXSCLAIM's rule), and its
/// letters follow each other with at most one letter missing.
enum PanelLabels {
    /// Words allowed inside a label group besides letters: separators, range words, positions.
    static let separators: Set<String> = [",", "&", "and", "or"]
    static let rangeWords: Set<String> = ["–", "-", "to", "through"]
    static let positions: Set<String> = ["left", "right", "top", "bottom", "middle", "upper", "lower", "inset", "insets", "center", "centre"]
    /// Every word of the three sets above, to rule out most tokens without hashing (`WordFilter`).
    static let labelWords = WordFilter(separators.union(rangeWords).union(positions))
    /// Largest span a range may cover ("a–z" in a caption is not a panel range).
    static let maxRange = 15
    /// Largest gap between consecutive letters of a run (a, b, d is fine; a, b, s is not).
    static let maxGap = 2

    static func find(in tokens: CaptionTokens, clauses: [Range<Int>]) -> [LabelOccurrence] {
        var found: [LabelOccurrence] = []
        var covered = Set<Int>()
        var i = 0
        while i < tokens.count {
            if tokens[i].is("("), let occ = parenthesised(tokens, at: i) {
                found.append(occ)
                covered.formUnion(occ.range)
                i = occ.range.upperBound
                continue
            }
            if tokens[i].lower == "from", let occ = fromTo(tokens, at: i) {
                found.append(occ)
                covered.formUnion(occ.range)
                i = occ.range.upperBound
                continue
            }
            i += 1
        }
        // Bare labels: at the start of a clause, or set in bold anywhere.
        var starts = Set(clauses.map(\.lowerBound))
        for (k, t) in tokens.tokens.enumerated() where t.bold && t.kind == .word { starts.insert(k) }
        for s in starts.sorted() where !covered.contains(s) {
            if let occ = bare(tokens, at: s), covered.isDisjoint(with: occ.range) {
                found.append(occ)
                covered.formUnion(occ.range)
            }
        }
        found.sort { $0.range.lowerBound < $1.range.lowerBound }
        return keepRun(dropCurveLabels(mergeParenthesisedRanges(found, tokens), clauses: clauses))
    }

    /// "(c) J–V curves of devices on (a) FTO and (b) PVP": letters that go back below a panel
    /// already named in the same clause label curves or samples inside that panel, not panels.
    static func dropCurveLabels(_ occs: [LabelOccurrence], clauses: [Range<Int>]) -> [LabelOccurrence] {
        var out: [LabelOccurrence] = []
        var clause = -1
        var highest: [Bool: Character] = [:]
        for occ in occs {
            let c = clauses.firstIndex { $0.contains(occ.range.lowerBound) } ?? -1
            if c != clause { clause = c; highest = [:] }
            if let top = highest[occ.uppercase], occ.letters.allSatisfy({ $0 < top }) { continue }
            if let m = occ.letters.max() { highest[occ.uppercase] = max(highest[occ.uppercase] ?? m, m) }
            out.append(occ)
        }
        return out
    }

    // MARK: - label styles

    /// "(a)", "(a,b)", "(a and e)", "(a–c)", "(a1)", "(a-1,a-2)", "(b-top)", "(f–h, left)".
    static func parenthesised(_ tokens: CaptionTokens, at open: Int) -> LabelOccurrence? {
        var j = open + 1
        var items: [Item] = []
        while j < tokens.count, j - open <= 24 {
            let t = tokens[j]
            if t.is(")") { break }
            guard let more = self.items(t) else { return nil }
            items += more
            j += 1
        }
        guard j < tokens.count, tokens[j].is(")") else { return nil }
        guard let (letters, upper) = expand(items) else { return nil }
        return LabelOccurrence(letters: letters, uppercase: upper, range: open..<(j + 1))
    }

    /// "from a to h".
    static func fromTo(_ tokens: CaptionTokens, at i: Int) -> LabelOccurrence? {
        guard i + 3 < tokens.count, tokens[i + 1].isSingleLetter, tokens[i + 2].lower == "to", tokens[i + 3].isSingleLetter,
              let from = tokens[i + 1].text.first, let to = tokens[i + 3].text.first,
              let (letters, upper) = expand([.letter(from), .range, .letter(to)]),
              letters.count > 1 else { return nil }
        return LabelOccurrence(letters: letters, uppercase: upper, range: (i + 1)..<(i + 4))
    }

    /// "a …", "b– d …", "a, d …", "k–l …" at a clause start (lower case only: a sentence never
    /// starts with a lower-case word), or any bold letter chain.
    static func bare(_ tokens: CaptionTokens, at s: Int) -> LabelOccurrence? {
        let bold = tokens[s].bold
        var items: [Item] = []
        var j = s
        var expectLetter = true
        while j < tokens.count {
            let t = tokens[j]
            if expectLetter {
                guard t.kind == .word, t.text.count == 1 || t.text.count == 3, let more = self.items(t),
                      more.first.map(isLetter) == true else { break }
                if !bold && t.text.first?.isLowercase != true { return nil }
                items += more
                expectLetter = false
            } else {
                guard let more = self.items(t), more.count == 1, !isLetter(more[0]), more[0] != .position,
                      j + 1 < tokens.count, tokens[j + 1].kind == .word,
                      tokens[j + 1].text.count == 1 || tokens[j + 1].text.count == 3 else { break }
                items += more
                expectLetter = true
            }
            j += 1
        }
        if expectLetter && !items.isEmpty { items.removeLast(); j -= 1 }
        guard !items.isEmpty else { return nil }
        if !bold {
            // The label must be followed by the panel's words, not end the caption or a clause.
            guard j < tokens.count else { return nil }
            let next = tokens[j]
            guard next.kind == .word || next.kind == .number || next.is("(") else { return nil }
        }
        guard let (letters, upper) = expand(items) else { return nil }
        return LabelOccurrence(letters: letters, uppercase: upper, range: s..<j)
    }

    // MARK: - items

    enum Item: Equatable { case letter(Character), range, separator, position }

    static func isLetter(_ i: Item) -> Bool { if case .letter = i { return true } else { return false } }

    /// What one token means inside a label; nil when it cannot be part of one.
    static func items(_ t: CaptionToken) -> [Item]? {
        let s = t.text
        if t.kind == .punct {
            guard labelWords.mayContain(s) else { return nil }
            if separators.contains(s) { return [.separator] }
            if rangeWords.contains(s) { return [.range] }
            return nil
        }
        // The tokenizer's lower case: the same as `s.lowercased()` for words, and numbers (the
        // only other kind that gets here) match none of the sets below either way.
        let lower = t.lower
        if labelWords.mayContain(lower) {
            if separators.contains(lower) { return [.separator] }
            if rangeWords.contains(lower) { return [.range] }
            if positions.contains(lower) { return [.position] }
        }
        guard t.kind == .word, let first = s.first, first.isLetter, first.isASCII else { return nil }
        if s.count == 1 { return [.letter(first)] }
        let rest = s.dropFirst()
        // "a1", "a-1", "b-top": a sub-panel of a.
        if rest.allSatisfy(\.isNumber) { return [.letter(first)] }
        if rest.first == "-" {
            let tail = rest.dropFirst()
            if !tail.isEmpty, tail.allSatisfy(\.isNumber) { return [.letter(first)] }
            if positions.contains(tail.lowercased()) { return [.letter(first)] }
            // "a-d" written with a hyphen: a range.
            if tail.count == 1, let last = tail.first, last.isLetter, last.isASCII { return [.letter(first), .range, .letter(last)] }
        }
        return nil
    }

    /// Letters with ranges expanded; nil when the group mixes cases or holds no letter.
    static func expand(_ items: [Item]) -> ([Character], Bool)? {
        var letters: [Character] = []
        var pendingRange = false
        for item in items {
            switch item {
            case .letter(let c):
                if pendingRange, let from = letters.last, let a = from.asciiValue, let b = c.asciiValue {
                    guard b > a, b - a <= UInt8(maxRange), from.isUppercase == c.isUppercase else { return nil }
                    for v in (a + 1)...b { letters.append(Character(Unicode.Scalar(v))) }
                } else {
                    letters.append(c)
                }
                pendingRange = false
            case .range:
                pendingRange = true
            case .separator, .position:
                pendingRange = false
            }
        }
        guard let first = letters.first else { return nil }
        let upper = first.isUppercase
        guard letters.allSatisfy({ $0.isUppercase == upper }) else { return nil }
        return (letters, upper)
    }

    // MARK: - caption-wide rules

    /// "(a)–(c)": two single-letter groups joined by a dash are a range.
    static func mergeParenthesisedRanges(_ occs: [LabelOccurrence], _ tokens: CaptionTokens) -> [LabelOccurrence] {
        var out: [LabelOccurrence] = []
        for occ in occs {
            if let last = out.last, last.letters.count == 1, occ.letters.count == 1,
               last.uppercase == occ.uppercase,
               last.range.upperBound + 1 == occ.range.lowerBound,
               tokens[last.range.upperBound].is("–") || tokens[last.range.upperBound].is("-"),
               let (letters, _) = expand([.letter(last.letters[0]), .range, .letter(occ.letters[0])]) {
                out[out.count - 1] = LabelOccurrence(letters: letters, uppercase: occ.uppercase,
                                                     range: last.range.lowerBound..<occ.range.upperBound)
                continue
            }
            out.append(occ)
        }
        return out
    }

    /// One label class per caption (the case whose run contains a/A and is used most), and only
    /// the letters of its run from a.
    static func keepRun(_ occs: [LabelOccurrence]) -> [LabelOccurrence] {
        func run(upper: Bool) -> Set<Character> {
            let letters = Set(occs.filter { $0.uppercase == upper }.flatMap(\.letters)).sorted()
            let start: Character = upper ? "A" : "a"
            guard letters.first == start else { return [] }
            var kept: [Character] = [start]
            for c in letters.dropFirst() {
                guard let prev = kept.last?.asciiValue, let v = c.asciiValue, v - prev <= UInt8(maxGap) else { break }
                kept.append(c)
            }
            return Set(kept)
        }
        let lower = run(upper: false), upper = run(upper: true)
        let lowerUses = occs.filter { !$0.uppercase }.count, upperUses = occs.filter(\.uppercase).count
        let useUpper = !upper.isEmpty && (lower.isEmpty || upperUses > lowerUses)
        let keep = useUpper ? upper : lower
        return occs.compactMap { occ in
            guard occ.uppercase == useUpper else { return nil }
            var o = occ
            o.letters = occ.letters.filter { keep.contains($0) }
            return o.letters.isEmpty ? nil : o
        }
    }
}
