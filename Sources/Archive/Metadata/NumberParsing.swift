/// Locale-independent number reading for metadata values that carry units (`5000 Volt`,
/// `8000 um`, `4.53 K X`, `25.24 µm`). `Double(String)` is used on the numeric prefix only —
/// never a locale-aware formatter (a German PC would read `1.800` as 1800).
enum NumberParsing {
    /// The number at the start of `s` (after spaces), and the rest; nil when none. Scans UTF-8
    /// bytes (this runs for every value of every sidecar).
    static func leading(_ s: Substring) -> (value: Double, rest: Substring)? {
        // On the contiguous bytes (native strings, i.e. always here) the same scan runs on a
        // buffer: through the `UTF8View` each byte was a call to its non-inlined subscript.
        let u = s.utf8
        if let span = u.withContiguousStorageIfAvailable({ b -> (Int, Int, Double?)? in
            guard let (start, end) = numberSpan(b) else { return nil }
            return (start, end, decimal(b, start..<end))
        }) {
            guard let (start, end, exact) = span else { return nil }
            let to = u.index(u.startIndex, offsetBy: end)
            if let exact { return (exact, Substring(u[to...])) }
            let from = u.index(u.startIndex, offsetBy: start)
            guard let v = Double(Substring(u[from..<to])), v.isFinite else { return nil }
            return (v, Substring(u[to...]))
        }
        return leadingByIndex(s)
    }

    /// `leading` of `b[r]`: the number and where the rest starts; nil when there are no digits.
    /// Hitachi sidecars are read with this straight from the file's bytes (no value `String`).
    static func leading(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (value: Double, rest: Int)? {
        if let plain = leadingPlainDecimal(b, r) { return plain }
        guard let (start, end) = numberSpan(UnsafeBufferPointer(rebasing: b[r])) else { return nil }
        let span = (r.lowerBound + start)..<(r.lowerBound + end)
        if let exact = decimal(b, span) { return (exact, span.upperBound) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[span]), as: UTF8.self)
        guard let v = Double(text), v.isFinite else { return nil }
        return (v, span.upperBound)
    }

    /// `leading(b, r)` in one pass for a plain decimal (what `decimal` converts) not followed by
    /// an exponent letter: the span `numberSpan` finds, and the value `decimal` gives it; nil
    /// whenever that is not certain (a second point, an `e`, too many digits — then the
    /// two-pass reading decides).
    @inline(__always)
    static func leadingPlainDecimal(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (value: Double, rest: Int)? {
        var i = r.lowerBound
        let n = r.upperBound
        while i < n, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        var negative = false
        if i < n, b[i] == 0x2D || b[i] == 0x2B { negative = b[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0, digits = 0, fraction = 0, point = false
        while i < n {
            let c = b[i]
            if c == 0x2E {
                if point { return nil }
                point = true
            } else {
                let d = c &- 0x30
                if d >= 10 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                guard mantissa <= 1 << 53 else { return nil }
                digits += 1
                if point { fraction += 1 }
            }
            i += 1
        }
        guard digits > 0, fraction < powersOfTen.count else { return nil }
        if i < n, b[i] == 0x65 || b[i] == 0x45 { return nil }
        let v = Double(mantissa) / powersOfTen[fraction]
        return (negative ? -v : v, i)
    }

    /// Plain decimals — an optional sign, digits with at most one point, no exponent, at most
    /// 2^53 as an integer of all their digits and at most 22 digits after the point — converted
    /// without `strtod`: that integer and 10^(digits after the point) are both exact doubles, so
    /// one division gives the correctly rounded value, which is what `Double(String)` returns
    /// (Clinger's fast path). nil for anything else (the caller then asks `Double(String)`).
    /// Replaces a `strtod_l` call (through `withCString`) for every number of every sidecar.
    @inline(__always)
    static func decimal(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Double? {
        // The leading reader, asked to take the whole range: no blank before the number (the
        // leading reader skips them) and nothing after it.
        guard let first = r.first, b[first] != 0x20, b[first] != 0x09,
              let (value, rest) = leadingPlainDecimal(b, r), rest == r.upperBound else { return nil }
        return value
    }

    /// 10^0 … 10^22: every one an exact double.
    static let powersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
                                        1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

    /// Offsets of the number at the start of `b` (after blanks) — `leadingByIndex`'s scan on a
    /// buffer; nil when there are no digits.
    static func numberSpan(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var i = 0
        let n = b.count
        while i < n, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        let start = i
        var sawDigit = false
        if i < n, b[i] == 0x2D || b[i] == 0x2B { i += 1 }
        while i < n, (b[i] >= 0x30 && b[i] <= 0x39) || b[i] == 0x2E {
            if b[i] != 0x2E { sawDigit = true }
            i += 1
        }
        guard sawDigit else { return nil }
        if i < n, b[i] == 0x65 || b[i] == 0x45 {
            var j = i + 1
            if j < n, b[j] == 0x2D || b[j] == 0x2B { j += 1 }
            var expDigits = false
            while j < n, b[j] >= 0x30 && b[j] <= 0x39 { j += 1; expDigits = true }
            if expDigits { i = j }
        }
        return (start, i)
    }

    /// `leading` through the `UTF8View`'s indices, for strings without contiguous UTF-8.
    static func leadingByIndex(_ s: Substring) -> (value: Double, rest: Substring)? {
        let u = s.utf8
        var i = u.startIndex
        while i < u.endIndex, u[i] == 0x20 || u[i] == 0x09 { u.formIndex(after: &i) }
        let start = i
        var sawDigit = false
        if i < u.endIndex, u[i] == 0x2D || u[i] == 0x2B { u.formIndex(after: &i) }
        while i < u.endIndex, (u[i] >= 0x30 && u[i] <= 0x39) || u[i] == 0x2E {
            if u[i] != 0x2E { sawDigit = true }
            u.formIndex(after: &i)
        }
        guard sawDigit else { return nil }
        // An exponent only when digits follow it.
        if i < u.endIndex, u[i] == 0x65 || u[i] == 0x45 {
            var j = u.index(after: i)
            if j < u.endIndex, u[j] == 0x2D || u[j] == 0x2B { u.formIndex(after: &j) }
            var expDigits = false
            while j < u.endIndex, u[j] >= 0x30 && u[j] <= 0x39 { u.formIndex(after: &j); expDigits = true }
            if expDigits { i = j }
        }
        guard let v = Double(Substring(u[start..<i])), v.isFinite else { return nil }
        return (v, Substring(u[i...]))
    }

    static func leading(_ s: String) -> Double? { leading(Substring(s))?.value }

    /// Nanometres for a length with a unit word (`nm`, `um`, `µm`, `mm`, `m`, `pm`); nil when the unit
    /// is unknown.
    static func nanometres(_ value: Double, unit raw: Substring) -> Double? {
        let unit = raw.trimmingSpaces
        guard let factor = lengthUnits[String(unit)] else { return nil }
        return value * factor
    }

    /// Length units as vendors write them, in nanometres.
    static let lengthUnits: [String: Double] = [
        "pm": 1e-3, "nm": 1, "um": 1e3, "µm": 1e3, "μm": 1e3, "mm": 1e6, "cm": 1e7, "m": 1e9,
    ]
}

extension Substring {
    /// Without leading and trailing blanks, NULs and line breaks (by `Character`).
    var trimmingSpaces: Substring {
        trimmingSpacesOfPlainASCII ?? trimmingSpacesByCharacter
    }

    var trimmingSpacesByCharacter: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\0" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\0" || l == "\r" || l == "\n" { s.removeLast() }
        return s
    }

    /// `trimmingSpaces` on bytes, for ASCII text without a carriage return — there every byte is
    /// a `Character` (only CR LF pairs into one), so the result is the same; nil otherwise.
    var trimmingSpacesOfPlainASCII: Substring? {
        let u = utf8
        var plain = true
        for b in u where b >= 0x80 || b == 0x0D { plain = false; break }
        guard plain else { return nil }
        let blank = { (b: UInt8) in b == 0x20 || b == 0x09 || b == 0x00 || b == 0x0A }
        var s = u.startIndex, e = u.endIndex
        while s < e, blank(u[s]) { u.formIndex(after: &s) }
        while e > s, blank(u[u.index(before: e)]) { u.formIndex(before: &e) }
        return Substring(u[s..<e])
    }
}

extension String {
    var trimmingSpaces: String { String(Substring(self).trimmingSpaces) }
}
