import Foundation
import Core

/// BibTeX, as exported by Scopus, Web of Science and reference managers. Text outside entries is
/// ignored (Scopus starts with a "Scopus / EXPORT DATE" preamble); an entry that never closes or
/// cannot be parsed is rejected with its line, and reading resumes at the next `@`.
struct BibTeXReader {
    let format: ExportFormat
    /// Field names, lower-cased, → common fields.
    let aliases: [String: Field]

    static let commonAliases: [String: Field] = [
        "@type": .entryType, "title": .title, "author": .authors, "year": .year, "date": .date,
        "journal": .sourceTitle, "journaltitle": .sourceTitle, "booktitle": .sourceTitle,
        "volume": .volume, "number": .issue, "pages": .pages, "doi": .doi, "issn": .issn, "isbn": .isbn,
        "abstract": .abstract, "keywords": .authorKeywords, "language": .language,
        "publisher": .publisher, "url": .url, "note": .note, "pmid": .pmid,
    ]

    static let generic = BibTeXReader(format: .bibtex, aliases: commonAliases)

    /// Entry types that hold no record (`@string` defines a macro, read by the parser).
    static let nonRecordTypes: Set<String> = ["comment", "preamble", "string"]

    func read(_ text: [UInt8], file: String, encoding: InputText.Encoding, detail: ReadDetail, firstLine: Int = 1) -> FileReadResult {
        let keepRaw = detail.keepsRaw
        let aliases = detail.filter(self.aliases)
        var result = FileReadResult(file: file, format: format, encoding: encoding)
        var builder = RecordBuilder(aliases: aliases, authorStyle: .bibtexAnd, file: file, database: format.database)
        builder.firstAuthorOnly = !keepRaw
        var p = BibTeXParser(text, firstLine: firstLine)
        // WoS writes one address a line in `Affiliation`: the line breaks are the only separators.
        if format == .wosBibTeX { p.lineFields = ["affiliation"] }
        while let start = p.nextEntryStart() {
            let line = p.line
            switch p.entry() {
            case .skipped: continue
            case .failure(let reason):
                result.rejected.append(InputError(reason, file: file, line: line))
            case .entry(let type, let key, var fields):
                if format == .wosBibTeX { WoSBibTeX.bracketAffiliations(&fields) }
                var raw = RawRecord(line: line, endLine: p.line)
                raw.tags.append(.init(name: "@type", values: [type]))
                raw.tags.append(.init(name: "@key", values: [key]))
                for (name, value) in fields where keepRaw || aliases[name] != nil {
                    raw.append(name, value)
                }
                var built = builder.build(raw)
                if !keepRaw { built.raw.tags = [] }
                result.records.append(built)
            }
            _ = start
        }
        result.nextLine = p.line
        return result
    }
}

/// The byte-level BibTeX grammar: `@type{key, name = {value} | "value" | bare, … }`.
struct BibTeXParser {
    enum Outcome {
        case entry(type: String, key: String, fields: [(String, String)])
        case skipped
        case failure(String)
    }

    let b: [UInt8]
    var i = 0
    var line = 1
    /// `@string{name = value}` macros met so far (names lower-cased), and BibTeX's predefined
    /// month names; a bare word in a value that names one is replaced by its text.
    var macros: [String: String] = BibTeXParser.monthMacros
    /// Fields whose line breaks separate values: each line is cleaned on its own, and the lines
    /// are joined with "\n" instead of collapsed into one.
    var lineFields: Set<String> = []

    static let monthMacros: [String: String] = [
        "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
        "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
    ]

    init(_ bytes: [UInt8], firstLine: Int = 1) { b = bytes; line = firstLine }

    /// True where the previous entry ended (its closing brace, or the `@` of the entry that cut it
    /// short): an `@` there starts an entry even mid-line. Scopus writes `}@ARTICLE{Key2023,` —
    /// only looking at line starts lost that second entry without a word.
    var atEntryBoundary = false

    /// Moves to the next `@` that starts an entry: the first non-blank byte of a line, or the first
    /// non-blank byte after the previous entry's end. Any other `@` (an e-mail address in the
    /// preamble, the rest of a rejected entry) is text between entries.
    mutating func nextEntryStart() -> Int? {
        var atLineStart = atEntryBoundary || (i == 0) || (i > 0 && b[i - 1] == 0x0A)
        atEntryBoundary = false
        while i < b.count {
            let c = b[i]
            if c == 0x40 && atLineStart { return i }
            if c == 0x0A { line += 1; atLineStart = true }
            else if c != 0x20 && c != 0x09 && c != 0x0D { atLineStart = false }
            i += 1
        }
        return nil
    }

    mutating func advance() {
        if b[i] == 0x0A { line += 1 }
        i += 1
    }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0xC2 && i + 1 < b.count && b[i + 1] == 0xA0 {
            if b[i] == 0xC2 { i += 1 }
            advance()
        }
    }

    /// Parses one entry at `@`. On failure, leaves the cursor after the `@` so the next search resumes.
    mutating func entry() -> Outcome {
        let entryLine = line
        i += 1
        let typeStart = i
        while i < b.count, isNameByte(b[i]) { i += 1 }
        let type = String(decoding: b[typeStart..<i], as: UTF8.self).lowercased()
        skipSpace()
        guard i < b.count, b[i] == 0x7B || b[i] == 0x28 else { return .failure("'@\(type)' is not followed by '{'") }
        let close: UInt8 = b[i] == 0x7B ? 0x7D : 0x29
        advance()
        if type == "string", let (name, value) = macroDefinition(close: close) {
            macros[name] = value
            atEntryBoundary = true
            return .skipped
        }
        if BibTeXReader.nonRecordTypes.contains(type) {
            var depth = 1
            while i < b.count, depth > 0 {
                if b[i] == 0x7B { depth += 1 } else if b[i] == 0x7D { depth -= 1 }
                advance()
            }
            atEntryBoundary = depth == 0
            return .skipped
        }
        skipSpace()
        let keyStart = i
        while i < b.count, b[i] != 0x2C, b[i] != close, b[i] != 0x0A { i += 1 }
        let key = String(decoding: b[keyStart..<i], as: UTF8.self).trimmed()
        var fields: [(String, String)] = []
        while true {
            skipSpace()
            guard i < b.count else { return .failure("entry '\(key)' starting at line \(entryLine) is not closed before the end of the file; it is truncated") }
            if b[i] == 0x2C { advance(); continue }
            if b[i] == close { advance(); atEntryBoundary = true; return .entry(type: type, key: key, fields: fields) }
            if b[i] == 0x40 { atEntryBoundary = true; return .failure("entry '\(key)' starting at line \(entryLine) is not closed before the next entry at line \(line); it is truncated") }
            let nameStart = i
            while i < b.count, b[i] != 0x3D, b[i] != 0x0A, b[i] != close, b[i] != 0x2C { i += 1 }
            guard i < b.count, b[i] == 0x3D else {
                return .failure("entry '\(key)': expected 'name = value' at line \(line)")
            }
            // Old Scopus files write one key with a no-break space ("funding\u{A0}details").
            let name = String(decoding: b[nameStart..<i], as: UTF8.self).replacingOccurrences(of: "\u{A0}", with: " ").trimmed().lowercased()
            i += 1
            switch value(close: close) {
            case .success(let value): fields.append((name, lineFields.contains(name) ? BibTeXText.cleanLines(value) : BibTeXText.clean(value)))
            case .failure(.endOfFile):
                return .failure("entry '\(key)' starting at line \(entryLine) is not closed before the end of the file; it is truncated")
            case .failure(.unclosedBrace):
                return .failure("field '\(name)' of entry '\(key)' opens a brace that never closes; the entry is truncated")
            case .failure(.unclosedQuote):
                return .failure("field '\(name)' of entry '\(key)' opens a quote that never closes; the entry is truncated")
            }
        }
    }

    enum ValueProblem: Error { case endOfFile, unclosedBrace, unclosedQuote }

    /// A field value after its `=`: `{…}`, `"…"`, a number or a macro name, joined by `#`.
    mutating func value(close: UInt8) -> Result<String, ValueProblem> {
        var value = ""
        while true {
            skipSpace()
            guard i < b.count else { return .failure(.endOfFile) }
            if b[i] == 0x7B {
                guard let v = braced() else { return .failure(.unclosedBrace) }
                value += v
            } else if b[i] == 0x22 {
                guard let v = quoted() else { return .failure(.unclosedQuote) }
                value += v
            } else {
                let s = i
                while i < b.count, b[i] != 0x2C, b[i] != close, b[i] != 0x23, b[i] != 0x0A { i += 1 }
                let word = String(decoding: b[s..<i], as: UTF8.self).trimmed()
                // A macro name stands for its text; an unknown name (or a number) is kept as written.
                value += macros[word.lowercased()] ?? word
            }
            skipSpace()
            if i < b.count, b[i] == 0x23 { i += 1; continue }   // "a" # "b"
            return .success(value)
        }
    }

    /// The inside of `@string{name = value}`, with the cursor after its closing brace; nil (cursor
    /// unmoved) when it is not a single definition — the entry is then skipped as before.
    mutating func macroDefinition(close: UInt8) -> (String, String)? {
        let (start, startLine) = (i, line)
        skipSpace()
        let nameStart = i
        while i < b.count, isNameByte(b[i]) || b[i] == 0x2E || b[i] == 0x3A { i += 1 }
        let name = String(decoding: b[nameStart..<i], as: UTF8.self).lowercased()
        skipSpace()
        if !name.isEmpty, i < b.count, b[i] == 0x3D {
            i += 1
            if case .success(let v) = value(close: close) {
                skipSpace()
                if i < b.count, b[i] == close { i += 1; return (name, v) }
            }
        }
        (i, line) = (start, startLine)
        return nil
    }

    /// `{…}` with nested braces; returns the inside.
    mutating func braced() -> String? {
        var depth = 0
        let s = i + 1
        while i < b.count {
            let c = b[i]
            if c == 0x5C { advance(); if i < b.count { advance() }; continue }
            if c == 0x7B { depth += 1 } else if c == 0x7D {
                depth -= 1
                if depth == 0 { let v = String(decoding: b[s..<i], as: UTF8.self); i += 1; return v }
            } else if c == 0x40 && i > 0 && b[i - 1] == 0x0A && depth <= 2 {
                return nil   // an entry starts inside this value: the value was never closed
            }
            advance()
        }
        return nil
    }

    mutating func quoted() -> String? {
        var depth = 0
        let s = i + 1
        advance()
        while i < b.count {
            let c = b[i]
            if c == 0x5C { advance(); if i < b.count { advance() }; continue }
            if c == 0x7B { depth += 1 } else if c == 0x7D { depth -= 1 }
            else if c == 0x22 && depth == 0 { let v = String(decoding: b[s..<i], as: UTF8.self); i += 1; return v }
            else if c == 0x40 && i > 0 && b[i - 1] == 0x0A { return nil }
            advance()
        }
        return nil
    }

    func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
    }
}

/// Turns a BibTeX value into plain text: braces dropped, common LaTeX escapes undone, white
/// space collapsed.
enum BibTeXText {
    /// Escapes that stand for one character.
    static let escapes: [(String, String)] = [
        ("\\&", "&"), ("\\%", "%"), ("\\_", "_"), ("\\$", "$"), ("\\#", "#"), ("{\\textendash}", "–"),
        ("\\textendash", "–"), ("\\textemdash", "—"), ("--", "–"),
    ]
    /// Accent commands: the accent is dropped, the letter kept (titles compare accent-folded anyway).
    static let accentMarks: Set<Character> = ["'", "\"", "^", "`", "~", "=", ".", "c", "v", "u", "H"]

    /// `clean` line by line; empty lines dropped, the others joined with "\n".
    static func cleanLines(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).map { clean(String($0)) }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    static func clean(_ s: String) -> String {
        var t = s
        if t.contains("\\") || t.contains("--") {
            for (from, to) in escapes { t = t.replacingOccurrences(of: from, with: to) }
        }
        if t.contains("\\") {
            var out = ""
            var it = Array(t)
            var k = 0
            while k < it.count {
                if it[k] == "\\", k + 1 < it.count, accentMarks.contains(it[k + 1]) { k += 2; continue }
                out.append(it[k]); k += 1
            }
            it = []
            t = out
        }
        if t.contains("{") || t.contains("}") { t.removeAll { $0 == "{" || $0 == "}" } }
        return RecordBuilder.collapseSpaces(t).trimmed()
    }
}
