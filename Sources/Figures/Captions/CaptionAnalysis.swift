import Core
import Foundation

/// Reads one caption: which panels it names, what each panel is, which are reused, and the scale
/// bars it states.
///
/// How a labelled panel's kind is decided, first hit wins:
/// 1. its own text, from the label to the next label ("(a) FESEM micrograph …; (c) EDX spectra");
/// 2. the text before it since the previous label ("TEM images of GO (c)");
/// 3. a grid heading, when every label group has as many letters as the heading names kinds;
/// 4. the start of its clause ("FESEM images of the (a) …, (b) …");
/// 5. a caption-wide heading without labels ("TEM images; (a) & (b) …"), or a lead sentence naming
///    the figure's method ("SEM analysis of …. (a) …") — only for panels that none of 1–4 decided
///    at any of their mentions.
/// Within a stretch, the earliest vocabulary hit wins, so "SEM and EDS" is SEM and "histogram
/// … determined from TEM images" is a histogram. Inset descriptions are skipped.
public enum CaptionAnalysis {
    /// Words that mark an image as reused from other work.
    static let reuseWords: Set<String> = ["reproduced", "adapted", "reprinted", "republished", "courtesy", "copyright", "©"]
    static let reuseFilter = WordFilter(reuseWords)
    /// Words after a label that make it a suffix label ("FESEM image (c) and …"), built once.
    static let suffixConjunctions: Set<String> = ["and", ",", "or", "&", "while", "whereas"]
    /// Units of a scale bar and their size in nanometres.
    static let unitsNm: [String: Double] = ["nm": 1, "µm": 1_000, "um": 1_000, "mm": 1_000_000, "Å": 0.1, "pm": 0.001, "A": 0.1]
    /// Words allowed between "scale bar" and its value.
    static let scaleBarFiller: Set<String> = [":", "=", ",", "is", "are", "represents", "represent", "indicates", "indicate",
                                              "denotes", "denote", "–", "(", "of", "in", "all", "panels", "each", "correspond", "corresponds", "to"]

    /// Byte strings one of which every EM vocabulary entry contains ("SEM", "cryo-EM" → "EM";
    /// "electron" → "lectron"; "cryo-ET" → "-ET"; …). A caption with none of them cannot name an
    /// electron micrograph, so counting may skip its analysis.
    static let emHints: [[UInt8]] = ["EM", "-ET", "oET", "lectron", "HAADF", "ADF", "ABF", "ltrastruct", "ltrathin",
                                     "omogra", "ocused ion", "nnular"].map { Array($0.utf8) }

    /// Whether `caption` may name EM at all (a fast byte scan, no false negatives for the
    /// vocabulary in `TechniqueVocabulary`).
    public static func mayNameEM(_ caption: String) -> Bool {
        var text = caption
        // The tables are loaded once, not through the global accessor at every byte.
        let starts = hintStarts
        let hints = emHints
        return text.withUTF8 { bytes in
            let n = bytes.count
            var i = 0
            while i < n {
                let b = bytes[i]
                if i + 1 < n, starts[Int(b) &<< 8 | Int(bytes[i + 1])] {
                    for hint in hints where hint[0] == b && i + hint.count <= n {
                        var k = 1
                        while k < hint.count && bytes[i + k] == hint[k] { k += 1 }
                        if k == hint.count { return true }
                    }
                }
                i += 1
            }
            return false
        }
    }

    /// First two bytes of the hints, as a 65,536-entry table (every hint has at least two).
    /// One byte was not enough: "o", "l", "n" start hints and half the words of a caption.
    static let hintStarts: [Bool] = {
        var t = [Bool](repeating: false, count: 256 * 256)
        for h in emHints { t[Int(h[0]) << 8 | Int(h[1])] = true }
        return t
    }()

    /// - Parameter creditsReference: the caption is from a review and ends with a citation, the
    ///   way reviews credit a reproduced figure: every panel is reused.
    public static func read(_ caption: String, creditsReference: Bool = false) -> CaptionReading {
        let tokens = CaptionTokens(caption)
        let clauses = tokens.clauses()
        let matches = KindMatches(tokens)
        let labels = PanelLabels.find(in: tokens, clauses: clauses)

        // The clause of every token, computed once.
        var tokenClause = [Int](repeating: max(0, clauses.count - 1), count: tokens.count)
        for (ci, clause) in clauses.enumerated() { for t in clause { tokenClause[t] = ci } }
        func clauseIndex(_ token: Int) -> Int { tokenClause.indices.contains(token) ? tokenClause[token] : max(0, clauses.count - 1) }
        var firstLabelOfClause: [Int: Int] = [:]
        let labelClause = labels.map { clauseIndex($0.range.lowerBound) }
        for (k, c) in labelClause.enumerated() where firstLabelOfClause[c] == nil { firstLabelOfClause[c] = k }
        let labelStarts = Set(labels.map(\.range.lowerBound))
        let masked = insetMask(tokens, stops: labelStarts)

        // The caption heading: everything before the first label ("TEM images; (a) …",
        // "Scanning electron micrographs of **a** …").
        var heading: KindMatch?
        if let first = labels.first, first.range.lowerBound > 0 {
            let range = 0..<first.range.lowerBound
            if let m = matches.first(in: range, masked: masked), qualifies(m, in: range, tokens) { heading = m }
        }
        // A grid heading: "A, B and C of …: (a,d,g) X; (b,e,h) Y; …".
        var grid: [KindMatch] = []
        if let first = labels.first, let c = labelClause.first {
            let head = clauses[c].lowerBound..<first.range.lowerBound
            let kinds = matches.all(in: head)
            if head.count > 0, first.range.lowerBound > 0, tokens[first.range.lowerBound - 1].is(":"),
               kinds.count >= 2, labels.allSatisfy({ $0.letters.count == kinds.count }) {
                grid = kinds
            }
        }

        var decided: [Character: Panel] = [:]
        var order: [Character] = []
        // What decided each label, so a coordinated label can continue its neighbour's phrase.
        var choices: [(KindMatch, EvidencePlace, Range<Int>)?] = []
        var firstMention: [Character: Range<Int>] = [:]
        for (k, occ) in labels.enumerated() {
            let c = labelClause[k]
            let clause = clauses.indices.contains(c) ? clauses[c] : 0..<tokens.count
            let prevEnd = (k > 0 && labelClause[k - 1] == c) ? labels[k - 1].range.upperBound : clause.lowerBound
            let nextStart = (k + 1 < labels.count && labelClause[k + 1] == c) ? labels[k + 1].range.lowerBound : clause.upperBound
            let firstInClause = firstLabelOfClause[c] ?? k
            let after = occ.range.upperBound..<max(occ.range.upperBound, nextStart)
            let before = prevEnd..<max(prevEnd, occ.range.lowerBound)
            let clauseHead = clause.lowerBound..<max(clause.lowerBound, labels[firstInClause].range.lowerBound)

            var choice: (KindMatch, EvidencePlace, Range<Int>)?
            let own = matches.first(in: after, masked: masked)
            let preceding = grid.isEmpty ? matches.first(in: before, masked: masked) : nil
            // A label after its noun ("Optical micrographs (a,b) and FESEM image (c)") is followed
            // by a conjunction: then the words before it decide.
            let suffixStyle = after.first.map { suffixConjunctions.contains(tokens[$0].lower) } ?? false
            if suffixStyle, let m = preceding { choice = (m, .precedingText, before) }
            // "TEM images of GO (c) and G-NH2 (d)": a label after its noun, coordinated by "and"
            // with a label its noun decided, continues that phrase — not the clause's start
            // ("UV-Vis-NIR absorption spectra (b) and TEM images of GO (c) and G-NH2 (d)").
            if choice == nil, preceding == nil, after.isEmpty || suffixStyle, k > 0, labelClause[k - 1] == c,
               let first = before.first, suffixConjunctions.contains(tokens[first].lower),
               let previous = choices[k - 1], previous.1 == .precedingText {
                choice = (previous.0, .precedingText, previous.2.lowerBound..<before.upperBound)
            }
            if choice == nil, let m = own { choice = (m, .ownText, after) }
            if choice == nil, let m = preceding { choice = (m, .precedingText, before) }
            choices.append(choice)
            for (i, letter) in occ.letters.enumerated() {
                if decided[letter] == nil {
                    order.append(letter)
                    firstMention[letter] = occ.range
                    decided[letter] = Panel(label: String(letter), evidence: "", scaleBarsNm: [], reused: false)
                }
                guard decided[letter]?.kind == nil else { continue }
                var pick = choice
                if pick == nil, !grid.isEmpty, i < grid.count { pick = (grid[i], .grid, clauseHead) }
                if pick == nil, let m = matches.first(in: clauseHead, masked: masked) { pick = (m, .clauseStart, clauseHead) }
                let shown = pick.map { $0.2 } ?? after
                decided[letter]?.evidence = tokens.snippet(snippetRange(shown, occ.range, tokens.count))
                if let (m, place, _) = pick {
                    decided[letter]?.kind = m.kind
                    decided[letter]?.decidedBy = m.words
                    decided[letter]?.place = place
                }
            }
        }
        // The caption heading decides last: a panel is often mentioned before its own sentence
        // ("spheres in c indicate …. c Segmentation rendering …"), and its own words must win.
        if let m = heading {
            for letter in order where decided[letter]?.kind == nil {
                let shown = 0..<(m.token + m.length)
                decided[letter]?.evidence = tokens.snippet(snippetRange(shown, firstMention[letter] ?? shown, tokens.count))
                decided[letter]?.kind = m.kind
                decided[letter]?.decidedBy = m.words
                decided[letter]?.place = .captionHeading
            }
        }
        var panels = order.compactMap { decided[$0] }
        var unlabelled = false
        var implied = panels.contains { if case .electron(_, true)? = $0.kind { return true } else { return false } }

        // No labelled EM panel: the clauses without labels may still name EM images.
        if !panels.contains(where: { $0.technique != nil }) {
            let labelled = Set(labelClause)
            var seen: Set<Technique> = []
            for (ci, clause) in clauses.enumerated() where !labelled.contains(ci) {
                guard let m = matches.first(in: clause, masked: masked), case .electron(let t, let isImplied) = m.kind,
                      !seen.contains(t) else { continue }
                seen.insert(t)
                let plural = clause.contains { TechniqueVocabulary.pluralImageNouns.contains(tokens[$0].lower) }
                    || m.words.hasSuffix("s") && m.words.contains("micrograph")
                if plural { unlabelled = true }
                if isImplied { implied = true; unlabelled = true }
                panels.append(Panel(label: "", kind: m.kind, decidedBy: m.words, place: .unlabelled,
                                    evidence: tokens.snippet(clause), scaleBarsNm: [], reused: false))
            }
        }

        // Reuse.
        // Most tokens are ruled out by `reuseFilter` without hashing.
        let reuseAt = tokens.tokens.indices.filter { i in
            let lower = tokens.tokens[i].lower
            return reuseFilter.mayContain(lower) && reuseWords.contains(lower)
        }
        for r in reuseAt {
            let c = clauseIndex(r)
            let letters = Set(labels.indices.filter { labelClause[$0] == c }.flatMap { labels[$0].letters }.map(String.init))
            for i in panels.indices where letters.isEmpty || letters.contains(panels[i].label) { panels[i].reused = true }
        }
        if creditsReference { for i in panels.indices { panels[i].reused = true } }

        // Scale bars.
        var figureBars: [Double] = []
        for (value, at) in scaleBars(tokens) {
            var target: [Character] = []
            if at + 1 < tokens.count, let next = labels.first(where: { $0.range.lowerBound == at + 1 }) {
                target = next.letters
            } else if let prev = labels.indices.last(where: { labels[$0].range.upperBound <= at && labelClause[$0] == clauseIndex(at) }) {
                target = labels[prev].letters
            }
            let names = Set(target.map(String.init))
            let hits = panels.indices.filter { names.contains(panels[$0].label) }
            if hits.isEmpty {
                figureBars.append(value)
            } else {
                for i in hits { panels[i].scaleBarsNm.append(value) }
            }
        }
        return CaptionReading(panels: panels, unlabelled: unlabelled, implied: implied,
                              figureScaleBarsNm: figureBars, standardErrorsRemoved: matches.standardErrors.count)
    }

    /// Singular and plural image nouns, built once (not for every heading).
    static let imageNouns = TechniqueVocabulary.singularImageNouns.union(TechniqueVocabulary.pluralImageNouns)

    /// A heading counts when it is about images: a non-EM kind, or EM together with an image noun
    /// ("TEM images", "Scanning electron micrographs" — not "cryo-electron microscopy strategies").
    static func qualifies(_ m: KindMatch, in range: Range<Int>, _ tokens: CaptionTokens) -> Bool {
        guard m.kind.technique != nil else { return true }
        if m.words.contains("micrograph") { return true }
        if range.contains(where: { imageNouns.contains(tokens[$0].lower) }) { return true }
        // A lead sentence naming the technique as the figure's method — "SEM analysis of … spores
        // processed by … . (a) Conidiospores …" — states it for every panel after it.
        let next = (m.token + m.length)..<min(range.upperBound, m.token + m.length + 2)
        return next.contains { methodNouns.contains(tokens[$0].lower) }
    }

    /// Nouns that, right after a technique, make it the method of the whole figure
    /// ("SEM analysis", "TEM characterization", "SEM observations").
    static let methodNouns: Set<String> = ["analysis", "analyses", "characterization", "characterisation", "characterizations",
                                           "observation", "observations", "examination", "examinations", "investigation", "investigations"]

    /// Tokens describing an inset: from "inset" to the next comma, clause end or label.
    static func insetMask(_ tokens: CaptionTokens, stops: Set<Int>) -> Set<Int> {
        var masked = Set<Int>()
        var i = 0
        while i < tokens.count {
            let lower = tokens[i].lower
            if TechniqueVocabulary.insetFilter.mayContain(lower), TechniqueVocabulary.insetWords.contains(lower) {
                var j = i + 1
                while j < tokens.count, !stops.contains(j), tokens[j].text != ",", tokens[j].text != ";", tokens[j].text != "." {
                    masked.insert(j)
                    j += 1
                }
                i = j
                continue
            }
            i += 1
        }
        return masked
    }

    static func snippetRange(_ shown: Range<Int>, _ label: Range<Int>, _ count: Int) -> Range<Int> {
        let lower = min(shown.lowerBound, label.lowerBound)
        let upper = min(count, max(shown.upperBound, label.upperBound))
        return lower..<upper
    }

    /// "scale bar = 30 µm", "Scale bars: 200 nm", "bar, 1 µm", "inset bar: 1 µm", "scale bars
    /// 200 nm (a), 50 nm (b)": each value in nm with the token just after it.
    static func scaleBars(_ tokens: CaptionTokens) -> [(Double, Int)] {
        var out: [(Double, Int)] = []
        var i = 0
        while i < tokens.count {
            let lower = tokens[i].lower
            guard lower == "bar" || lower == "bars" else { i += 1; continue }
            var j = i + 1
            var skipped = 0
            while j < tokens.count, skipped < 4, scaleBarFiller.contains(tokens[j].lower) { j += 1; skipped += 1 }
            var found = 0
            while j < tokens.count, let (value, next) = measure(tokens, at: j) {
                out.append((value, next - 1))
                found += 1
                j = next
                // "200 nm (a), 50 nm (b)" / "1 µm and 200 nm": more values of the same statement.
                var k = j
                var hops = 0
                while k < tokens.count, hops < 5, !(measure(tokens, at: k) != nil), [",", "and", "(", ")", "/"].contains(tokens[k].lower) || tokens[k].isSingleLetter {
                    k += 1; hops += 1
                }
                if k < tokens.count, measure(tokens, at: k) != nil { j = k } else { break }
            }
            i = max(i + 1, j)
        }
        return out
    }

    /// A number followed by a length unit ("200 nm", "200nm", "1.5 µm") → (nm, index after).
    static func measure(_ tokens: CaptionTokens, at j: Int) -> (Double, Int)? {
        let t = tokens[j]
        if t.kind == .number, j + 1 < tokens.count, let f = unitsNm[tokens[j + 1].text],
           let v = Double(t.text.replacingOccurrences(of: ",", with: "")) {
            return (v * f, j + 2)
        }
        if t.kind == .word, let firstLetter = t.text.firstIndex(where: { $0.isLetter }), firstLetter != t.text.startIndex,
           let f = unitsNm[String(t.text[firstLetter...])], let v = Double(t.text[..<firstLetter]) {
            return (v * f, j + 1)
        }
        return nil
    }
}
