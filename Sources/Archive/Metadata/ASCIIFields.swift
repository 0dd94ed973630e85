/// Byte-level reading of short ASCII values (dates, times) — the spelling every instrument uses.
///
/// Why: `DateParsing` runs for nearly every image of a scan, and its `String` version (trim,
/// uppercase, split into an array, `Int` of each piece) was ~5% of a full scan. This reads the
/// same fields from the UTF-8 bytes without allocating. It only accepts text made of the
/// characters listed in `plain`, for which byte and `Character` semantics cannot differ (no CR/LF
/// pairs, no combining marks); callers fall back to the `String` version for anything else.
enum ASCIIFields {
    /// Digits, signs, the separators of dates and times, blanks, and the letters of AM/PM.
    static func plain(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ":"),
             UInt8(ascii: "+"), UInt8(ascii: " "), UInt8(ascii: "\t"),
             UInt8(ascii: "A"), UInt8(ascii: "P"), UInt8(ascii: "M"), UInt8(ascii: "a"), UInt8(ascii: "p"), UInt8(ascii: "m"):
            return true
        default:
            return false
        }
    }

    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// `b[range]` without leading and trailing blanks (what `trimmingSpaces` does to plain text).
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var s = range.lowerBound, e = range.upperBound
        while s < e, isBlank(b[s]) { s += 1 }
        while e > s, isBlank(b[e - 1]) { e -= 1 }
        return s..<e
    }

    /// `Int(Substring)` on bytes: an optional sign, then one or more digits; nil on overflow.
    static func integer(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        var negative = false
        if i < range.upperBound, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { negative = b[i] == UInt8(ascii: "-"); i += 1 }
        guard i < range.upperBound else { return nil }
        var v = 0
        while i < range.upperBound {
            let d = b[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (n, o2) = negative ? m.subtractingReportingOverflow(Int(d)) : m.addingReportingOverflow(Int(d))
            guard !o1, !o2 else { return nil }
            v = n
            i += 1
        }
        return v
    }

    /// The `count` bytes at `b[i]` as a decimal number when all are digits (`count` ≤ 18, so no
    /// overflow); nil otherwise.
    @inline(__always)
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ count: Int) -> Int? {
        var v = 0
        for k in i..<(i + count) {
            let d = b[k] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    /// The non-empty pieces of `b[range]` between separators (`split`, omitting empty pieces),
    /// at most `limit + 1` of them (enough to tell "more than `limit`"; `limit` ≤ 3). Returned in
    /// a fixed-size value, not an array: one `[Range<Int>]` per date, time and frame size was a
    /// heap allocation (and a generic-metadata lookup) three times per sidecar.
    static func split(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, limit: Int,
                      isSeparator: (UInt8) -> Bool) -> Pieces {
        precondition(limit <= Pieces.capacity)
        var out = Pieces()
        var i = range.lowerBound
        while i < range.upperBound, out.count <= limit {
            while i < range.upperBound, isSeparator(b[i]) { i += 1 }
            let start = i
            while i < range.upperBound, !isSeparator(b[i]) { i += 1 }
            if i > start { out.append(start..<i) }
        }
        return out
    }

    /// Up to three ranges, and how many pieces were counted (one more than it holds when the text
    /// had more than `capacity`; that last one is counted, not kept).
    struct Pieces {
        static let capacity = 3
        private(set) var count = 0
        private var r0 = 0..<0, r1 = 0..<0, r2 = 0..<0

        mutating func append(_ r: Range<Int>) {
            switch count {
            case 0: r0 = r
            case 1: r1 = r
            case 2: r2 = r
            default: break
            }
            count += 1
        }

        subscript(i: Int) -> Range<Int> {
            precondition(i < min(count, Self.capacity))
            switch i {
            case 0: return r0
            case 1: return r1
            default: return r2
            }
        }
    }
}
