import Foundation

/// A streaming reader of comma- or tab-separated bytes: yields one row at a time as byte ranges,
/// so that a 250 MB Scopus export is never held as millions of Strings — only the columns a
/// reader maps are decoded. Follows RFC 4180 when `quotes` is on (quoted fields with separators,
/// doubled quotes and line breaks); WoS tab-delimited exports use no quoting, so it is off there.
/// (Core's `CSV.parse` gives the same rows as Strings for small files; this is the hot path:
/// it works on a raw buffer and jumps between quotes with `memchr`.)
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

    /// Valid only inside the `withUnsafeBufferPointer` call that made it.
    let buffer: UnsafeBufferPointer<UInt8>
    let separator: UInt8
    let quotes: Bool
    private(set) var position = 0
    private(set) var line = 1
    /// When false, a row that runs into the end of the buffer (no line break yet, or a quote still
    /// open) is not returned: `next()` gives nil and sets `needsMore`, leaving `position` and
    /// `line` at that row's start — the streamed caller keeps those bytes for the next chunk.
    var isFinal = true
    private(set) var needsMore = false
    private var fields: [Span] = []

    init(_ buffer: UnsafeBufferPointer<UInt8>, separator: UInt8, quotes: Bool, firstLine: Int = 1) {
        self.buffer = buffer
        self.line = firstLine
        self.separator = separator
        self.quotes = quotes
    }

    /// The next non-empty row; nil at the end. A quote left open throws with the row's first line
    /// (everything after it is part of the broken field, so reading stops there).
    mutating func next() throws(Failure) -> Row? {
        guard let base = buffer.baseAddress else { return nil }
        let n = buffer.count
        let sep = separator
        while position < n {
            let start = line
            let rowStart = position
            fields.removeAll(keepingCapacity: true)
            var fieldStart = position
            var i = position
            var ended = false
            while i < n && !ended {
                let b = base[i]
                if quotes && b == 0x22 && i == fieldStart {
                    // Quoted field: jump from quote to quote, counting the line breaks between.
                    var j = i + 1
                    var escaped = false
                    var closed = false
                    while j < n {
                        guard let q = memchr(base + j, 0x22, n - j) else { break }
                        let k = base.distance(to: q.assumingMemoryBound(to: UInt8.self))
                        line += Self.countNewlines(base, j, k)
                        if k + 1 < n && base[k + 1] == 0x22 { escaped = true; j = k + 2; continue }
                        j = k; closed = true; break
                    }
                    guard closed else {
                        if !isFinal { position = rowStart; line = start; needsMore = true; return nil }
                        position = n; throw .unterminatedQuote(line: start)
                    }
                    // Text after the closing quote (malformed) is kept in the field.
                    var k = j + 1
                    while k < n, base[k] != sep, base[k] != 0x0A, base[k] != 0x0D { k += 1 }
                    fields.append(Span(range: (i + 1)..<(k == j + 1 ? j : k), hasEscapedQuotes: escaped))
                    i = k
                    if i < n && base[i] == sep {
                        i += 1; fieldStart = i
                        if i == n { fields.append(Span(range: i..<i, hasEscapedQuotes: false)) }
                    } else { ended = true }
                    continue
                }
                if b == sep {
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
            if !isFinal && (!ended || i + 1 >= n) {
                // The row (or its CRLF) may continue in the next chunk.
                position = rowStart; line = start; needsMore = true; return nil
            }
            if i < n && base[i] == 0x0D { i += 1 }
            if i < n && base[i] == 0x0A { i += 1 }
            let endLine = line
            line += 1
            position = i
            if fields.isEmpty || (fields.count == 1 && fields[0].range.isEmpty) { continue }   // blank line
            return Row(line: start, endLine: endLine, fields: fields)
        }
        return nil
    }

    /// Line feeds in `base[from..<to]`, found with `memchr`: quoted fields are mostly abstracts
    /// without line breaks, and a byte loop over them was most of reading a Scopus CSV.
    @inline(__always) static func countNewlines(_ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var c = 0
        var i = from
        while i < to, let p = memchr(base + i, 0x0A, to - i) {
            c &+= 1
            i = base.distance(to: p.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return c
    }

    func string(_ span: Span) -> String {
        let s = String(decoding: UnsafeBufferPointer(rebasing: buffer[span.range]), as: UTF8.self)
        return span.hasEscapedQuotes ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }
}
