import Foundation

/// Caption text as the rest of the stage reads it: one space between words, one kind of dash,
/// one micro sign.
///
/// Why: publishers encode the same caption in many ways — `&#x02009;` thin spaces around a
/// range, `&#x02013;` en dashes or U+2212 minus signs in "a–d", μ (Greek mu) or µ (micro sign) in
/// "1 μm" — and every later rule (panel labels, scale bars) should see one spelling.
public enum CaptionText {
    /// Characters that become a plain space.
    static let spaces: Set<Unicode.Scalar> = [
        "\u{09}", "\u{0A}", "\u{0D}", "\u{A0}", "\u{2002}", "\u{2003}", "\u{2004}", "\u{2005}",
        "\u{2006}", "\u{2007}", "\u{2008}", "\u{2009}", "\u{200A}", "\u{202F}", "\u{205F}", "\u{3000}",
    ]
    /// Characters that become an en dash (ranges, "b– d") or a hyphen (inside words).
    static let rangeDashes: Set<Unicode.Scalar> = ["\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", "\u{FE58}", "\u{FF0D}"]
    static let hyphens: Set<Unicode.Scalar> = ["\u{2010}", "\u{2011}", "\u{00AD}"]
    /// Other one-for-one replacements.
    static let replacements: [Unicode.Scalar: Unicode.Scalar] = [
        "\u{03BC}": "\u{00B5}", // Greek mu → micro sign
        "\u{212B}": "\u{00C5}", // Angstrom sign → Å
        "\u{200B}": " ",        // zero-width space
    ]

    /// Put before a bold panel letter by the JATS reader; the tokenizer turns it into a flag.
    static let boldLabelMark: Character = "\u{E000}"

    /// "a", "b–d", "a, b", "A-C": what a bold panel label looks like.
    static func looksLikeLabel(_ text: String) -> Bool {
        // Letters (each alone), separated by commas, dashes and spaces only: at most 12 scalars.
        var letters = 0
        var run = 0
        var scalars = 0
        for u in text.unicodeScalars {
            scalars += 1
            if scalars > 12 { return false }
            if CaptionTokens.isLetter(u) {
                letters += 1
                run += 1
                if run > 1 { return false }
            } else if u == "," || u == "\u{2013}" || u == "-" || u == " " || u.properties.isWhitespace {
                run = 0
            } else {
                return false
            }
        }
        return letters > 0
    }

    /// The caption without the reader's bold-label marks, for people to read.
    public static func display(_ text: String) -> String {
        text.unicodeScalars.contains("\u{E000}") ? text.replacingOccurrences(of: String(boldLabelMark), with: "") : text
    }

    /// What happens to a non-ASCII scalar, from the tables above, in one look-up.
    enum Action { case space, replace(Unicode.Scalar) }
    static let actions: [Unicode.Scalar: Action] = {
        var a: [Unicode.Scalar: Action] = [:]
        for u in spaces { a[u] = .space }
        for u in rangeDashes { a[u] = .replace("\u{2013}") }
        for u in hyphens { a[u] = .replace("-") }
        for (u, r) in replacements { a[u] = r == " " ? .space : .replace(r) }
        return a
    }()

    public static func normalise(_ raw: String) -> String {
        // Byte by byte: ASCII (nearly all of a caption) is copied or collapsed without decoding;
        // a non-ASCII scalar is decoded only to look it up in `actions`, and copied as it was
        // written when it has no action. Iterating `unicodeScalars` cost 3% of `figures count`.
        // Every replacement is no longer than what it replaces, so the output fits in a buffer
        // the size of the input.
        var raw = raw
        return raw.withUTF8 { bytes -> String in
            let n = bytes.count
            var sawBracket = false
            let normalised = [UInt8](unsafeUninitializedCapacity: n) { out, count in
                var o = 0
                var pendingSpace = false
                var i = 0
                while i < n {
                    let b = bytes[i]
                    if b < 0x80 {
                        if b > 0x20 {
                            if pendingSpace { out[o] = 0x20; o += 1; pendingSpace = false }
                            if b == UInt8(ascii: "[") { sawBracket = true }
                            out[o] = b
                            o += 1
                        } else {
                            pendingSpace = o > 0
                        }
                        i += 1
                        continue
                    }
                    let (u, length) = CaptionTokens.scalar(bytes, i)
                    switch actions[u] {
                    case .space?:
                        pendingSpace = o > 0
                    case .replace(let r)?:
                        if pendingSpace { out[o] = 0x20; o += 1; pendingSpace = false }
                        UTF8.encode(r) { out[o] = $0; o += 1 }
                    case nil:
                        if pendingSpace { out[o] = 0x20; o += 1; pendingSpace = false }
                        for k in i..<min(n, i + length) { out[o] = bytes[k]; o += 1 }
                    }
                    i += length
                }
                count = o
            }
            return sawBracket ? dropEmptyBrackets(normalised) : String(decoding: normalised, as: UTF8.self)
        }
    }

    /// "[]", "[, ]", "[–]" left where citations were dropped, and the space before them.
    static func dropEmptyBrackets(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "[")) else { return s }
        return dropEmptyBrackets(Array(s.utf8))
    }

    /// `dropEmptyBrackets` on UTF-8 bytes: every character it looks at is ASCII except the en
    /// dash, and a `String.UnicodeScalarView` built scalar by scalar cost 3% of `figures count`.
    static func dropEmptyBrackets(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pending: [UInt8] = []
        var inBracket = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            // ASCII outside a bracket, nearly every byte: no slice.
            if !inBracket, b < 0x80, b != UInt8(ascii: "[") {
                if b == UInt8(ascii: ".") || b == UInt8(ascii: ",") || b == UInt8(ascii: ";"), out.last == 0x20 { out.removeLast() }
                out.append(b)
                i += 1
                continue
            }
            // One whole scalar: a lead byte and its continuation bytes (the input is valid UTF-8).
            let n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            let scalar = bytes[i..<min(i + n, bytes.count)]
            i += n
            if inBracket {
                pending.append(contentsOf: scalar)
                if b == UInt8(ascii: "]") {
                    inBracket = false
                    pending.removeAll(keepingCapacity: true)
                } else if !(b == 0x20 || b == UInt8(ascii: ",") || b == UInt8(ascii: ";") || b == UInt8(ascii: "-")
                            || scalar.elementsEqual(enDash)) {
                    out.append(contentsOf: pending)
                    pending.removeAll(keepingCapacity: true)
                    inBracket = false
                }
                continue
            }
            if b == UInt8(ascii: "[") { inBracket = true; pending.append(b); continue }
            if b == UInt8(ascii: ".") || b == UInt8(ascii: ",") || b == UInt8(ascii: ";"), out.last == 0x20 { out.removeLast() }
            out.append(contentsOf: scalar)
        }
        out.append(contentsOf: pending)
        while out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    private static let enDash: [UInt8] = Array("\u{2013}".utf8)
}
