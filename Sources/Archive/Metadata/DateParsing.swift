/// The date and time spellings instruments write, each read by its own rule — no guessing between
/// day-first and month-first (a date that fits no rule is reported, not coerced).
enum DateParsing {
    /// `MM/DD/YYYY` (Hitachi PC-SEM, FEI `[User] Date`) or `YYYY/MM/DD` (newer Hitachi, JEOL) or
    /// `YYYY-MM-DD` (Tescan, ISO). Returns (year, month, day).
    static func numericDate(_ s: String) -> (Int, Int, Int)? {
        var s = s
        if let fast = s.withUTF8({ numericDate($0, 0..<$0.count) }) { return fast }
        return numericDateOfAnyText(s)
    }

    /// `numericDate` of `b[r]` read on bytes; `.none` when the text has characters other than
    /// those of `ASCIIFields.plain` (then `numericDateOfAnyText` decides). Hitachi sidecars call
    /// this on the value's bytes in the file, without making a `String` of it.
    static func numericDate(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (Int, Int, Int)?? {
        // The two shapes every Hitachi sidecar writes, `MM/DD/YYYY` and `YYYY/MM/DD`, read at
        // fixed offsets (the general reading below gives the same fields for them).
        if r.count == 10 {
            let i = r.lowerBound, slash = UInt8(ascii: "/")
            if b[i + 2] == slash, b[i + 5] == slash, let m = ASCIIFields.digits(b, i, 2), let d = ASCIIFields.digits(b, i + 3, 2),
               let y = ASCIIFields.digits(b, i + 6, 4) { return .some((y, m, d)) }
            if b[i + 4] == slash, b[i + 7] == slash, let y = ASCIIFields.digits(b, i, 4), let m = ASCIIFields.digits(b, i + 5, 2),
               let d = ASCIIFields.digits(b, i + 8, 2) { return .some((y, m, d)) }
        }
        for k in r where !ASCIIFields.plain(b[k]) { return nil }
        let fields = ASCIIFields.split(b, ASCIIFields.trimmed(b, r), limit: 3) {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
        guard fields.count == 3, let a = ASCIIFields.integer(b, fields[0]), let m = ASCIIFields.integer(b, fields[1]),
              let c = ASCIIFields.integer(b, fields[2]) else { return .some(nil) }
        return .some(fields[0].count == 4 ? (a, m, c) : (c, a, m))
    }

    /// `numericDate` for text with characters other than ASCII digits and separators.
    static func numericDateOfAnyText(_ s: String) -> (Int, Int, Int)? {
        let fields = s.trimmingSpaces.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        guard fields.count == 3, let a = Int(fields[0]), let b = Int(fields[1]), let c = Int(fields[2]) else { return nil }
        if fields[0].count == 4 { return (a, b, c) }
        return (c, a, b)
    }

    /// `HH:MM:SS`, `H:MM:SS`, with an optional `AM`/`PM` (FEI writes 12-hour times).
    static func time(_ s: String) -> (Int, Int, Int)? {
        var s = s
        if let fast = s.withUTF8({ time($0, 0..<$0.count) }) { return fast }
        return timeOfAnyText(s)
    }

    /// `time` of `b[r]` read on bytes; `.none` when the text has characters other than those of
    /// `ASCIIFields.plain` (then `timeOfAnyText` decides).
    static func time(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (Int, Int, Int)?? {
        // `HH:MM:SS` (every Hitachi sidecar) at fixed offsets; same fields as below.
        if r.count == 8 {
            let i = r.lowerBound, colon = UInt8(ascii: ":")
            if b[i + 2] == colon, b[i + 5] == colon, let h = ASCIIFields.digits(b, i, 2), let m = ASCIIFields.digits(b, i + 3, 2),
               let sec = ASCIIFields.digits(b, i + 6, 2) { return .some((h, m, sec)) }
        }
        for k in r where !ASCIIFields.plain(b[k]) { return nil }
        var t = ASCIIFields.trimmed(b, r)
        var pm: Bool? = nil
        if t.count >= 2, b[t.upperBound - 1] | 0x20 == UInt8(ascii: "m") {
            switch b[t.upperBound - 2] | 0x20 {
            case UInt8(ascii: "p"): pm = true
            case UInt8(ascii: "a"): pm = false
            default: break
            }
            if pm != nil { t = ASCIIFields.trimmed(b, t.lowerBound..<(t.upperBound - 2)) }
        }
        let parts = ASCIIFields.split(b, t, limit: 3) { $0 == UInt8(ascii: ":") }
        guard parts.count >= 2, let h0 = ASCIIFields.integer(b, ASCIIFields.trimmed(b, parts[0])),
              let m = ASCIIFields.integer(b, ASCIIFields.trimmed(b, parts[1])) else { return .some(nil) }
        let sec = parts.count > 2 ? (ASCIIFields.integer(b, ASCIIFields.trimmed(b, parts[2])) ?? 0) : 0
        var h = h0
        if let pm {
            guard (1...12).contains(h) else { return .some(nil) }
            h = h % 12 + (pm ? 12 : 0)
        }
        return .some((h, m, sec))
    }

    /// `time` for text with characters other than ASCII digits, separators and AM/PM.
    static func timeOfAnyText(_ s: String) -> (Int, Int, Int)? {
        var t = Substring(s.trimmingSpaces)
        var pm: Bool? = nil
        let upper = t.uppercased()
        if upper.hasSuffix("PM") { pm = true; t = t.dropLast(2).trimmingSpaces }
        else if upper.hasSuffix("AM") { pm = false; t = t.dropLast(2).trimmingSpaces }
        let parts = t.split(separator: ":").map { Int($0.trimmingSpaces) }
        guard parts.count >= 2, let h0 = parts[0], let m = parts[1] else { return nil }
        let sec = parts.count > 2 ? (parts[2] ?? 0) : 0
        var h = h0
        if let pm {
            guard (1...12).contains(h) else { return nil }
            h = h % 12 + (pm ? 12 : 0)
        }
        return (h, m, sec)
    }

    static let monthNames = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                             "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]

    /// `23 Dec 2015` (Zeiss).
    static func dayMonthNameYear(_ s: String) -> (Int, Int, Int)? {
        let parts = s.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, let d = Int(parts[0]), let m = monthNames[parts[1].prefix(3).lowercased()],
              let y = Int(parts[2]) else { return nil }
        return (y, m, d)
    }

    /// Combines a date and an optional time into an `AcquisitionDate`; nil when impossible.
    static func combine(_ date: (Int, Int, Int)?, _ time: (Int, Int, Int)?) -> AcquisitionDate? {
        guard let (y, mo, d) = date else { return nil }
        let (h, mi, s) = time ?? (0, 0, 0)
        return AcquisitionDate(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }
}
