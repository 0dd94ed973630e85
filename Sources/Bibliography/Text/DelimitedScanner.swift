import Foundation

/// A streaming reader of comma- or tab-separated bytes: yields one row at a time as byte ranges,
/// so that a 250 MB Scopus export is never held as millions of Strings — only the columns a
/// reader maps are decoded. Follows RFC 4180 when `quotes` is on (quoted fields with separators,
/// doubled quotes and line breaks); WoS tab-delimited exports use no quoting, so it is off there.
/// (Core's `CSV.parse` gives the same rows as Strings for small files; this is the hot path.)
struct DelimitedScanner {
    struct Span {
        var range: Range<Int>
        /// The field was quoted and contains doubled quotes to undo.
        var hasEscapedQuotes: Bool
    }

    struct Row {
        var line: Int
        var endLine: Int
        var fields: [Span]
    }

    enum Failure: Error { case unterminatedQuote(line: Int) }

    let bytes: [UInt8]
    let separator: UInt8
    let quotes: Bool
    private(set) var position = 0
    private(set) var line = 1

    init(_ bytes: [UInt8], separator: UInt8, quotes: Bool) {
        self.bytes = bytes
        self.separator = separator
        self.quotes = quotes
    }

    /// The next non-empty row; nil at the end. A quote left open throws with the row's first line
    /// (everything after it is part of the broken field, so reading stops there).
    mutating func next() throws(Failure) -> Row? {
        let n = bytes.count
        while position < n {
            let start = line
            var fields: [Span] = []
            var fieldStart = position
            var i = position
            var ended = false
            while i < n && !ended {
                let b = bytes[i]
                if quotes && b == 0x22 && i == fieldStart {
                    // Quoted field: find the closing quote, skipping doubled ones.
                    var j = i + 1
                    var escaped = false
                    var closed = false
                    while j < n {
                        let c = bytes[j]
                        if c == 0x22 {
                            if j + 1 < n && bytes[j + 1] == 0x22 { escaped = true; j += 2; continue }
                            closed = true; break
                        }
                        if c == 0x0A { line += 1 }
                        j += 1
                    }
                    guard closed else { position = n; throw .unterminatedQuote(line: start) }
                    // Text after the closing quote (malformed) is kept in the field.
                    var k = j + 1
                    while k < n, bytes[k] != separator, bytes[k] != 0x0A, bytes[k] != 0x0D { k += 1 }
                    let range = (i + 1)..<(k == j + 1 ? j : k)
                    fields.append(Span(range: range, hasEscapedQuotes: escaped))
                    i = k
                    if i < n && bytes[i] == separator { i += 1; fieldStart = i; if i == n { fields.append(Span(range: i..<i, hasEscapedQuotes: false)) } }
                    else { ended = true }
                    continue
                }
                if b == separator {
                    fields.append(Span(range: fieldStart..<i, hasEscapedQuotes: false))
                    i += 1; fieldStart = i
                    if i == n { fields.append(Span(range: i..<i, hasEscapedQuotes: false)) }
                } else if b == 0x0A || b == 0x0D {
                    fields.append(Span(range: fieldStart..<i, hasEscapedQuotes: false))
                    ended = true
                } else {
                    i += 1
                    if i == n { fields.append(Span(range: fieldStart..<i, hasEscapedQuotes: false)) }
                }
            }
            // Consume the line break.
            if i < n && bytes[i] == 0x0D { i += 1 }
            if i < n && bytes[i] == 0x0A { i += 1 }
            let endLine = line
            line += 1
            position = i
            if fields.count == 1 && fields[0].range.isEmpty { continue }   // blank line
            if fields.isEmpty { continue }
            return Row(line: start, endLine: endLine, fields: fields)
        }
        return nil
    }

    func string(_ span: Span) -> String {
        let s = String(decoding: bytes[span.range], as: UTF8.self)
        return span.hasEscapedQuotes ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }
}
