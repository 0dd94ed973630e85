#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Core

/// Hitachi `[SemImageFile]` / `[TemImageFile]` key=value text — the sidecar `NAME.txt` that PC-SEM
/// and newer software write beside each image, and the copy the TM4000 (and, we take it, the HT7700)
/// embeds in TIFF tag 40092. Every key is optional; values may carry units (`5000 Volt`, `1800 um`);
/// lines split at the first `=` (`Condition=Vacc=1kV   Mag=x150k   WD=1.8mm`).
public enum HitachiText {
    /// Section header → technique.
    static let sections: [String: Technique] = ["SemImageFile": .sem, "TemImageFile": .tem]

    /// The keys read; everything else is left alone.
    enum Key {
        static let instrument = "InstructName"
        static let imageName = "ImageName"
        static let date = "Date"
        static let time = "Time"
        static let dataSize = "DataSize"
        static let pixelSize = "PixelSize"      // nm per pixel, no unit written
        static let signal = "SignalName"
        static let voltage = "AcceleratingVoltage"
        static let magnification = "Magnification"
        static let condition = "Condition"      // `Vacc=1kV   Mag=x150k   WD=1.8mm`
    }
    static let wanted: [String] = [Key.instrument, Key.imageName, Key.date, Key.time, Key.dataSize,
                                   Key.pixelSize, Key.signal, Key.voltage, Key.magnification, Key.condition]
    /// Index of each key in `wanted` (same order): values are looked up by slot, not by comparing
    /// key strings again for every sidecar.
    enum Slot: Int {
        case instrument, imageName, date, time, dataSize, pixelSize, signal, voltage, magnification, condition
    }

    /// Voltage unit words → volts.
    static let voltUnits: [String: Double] = ["": 1, "v": 1, "volt": 1, "volts": 1, "kv": 1000, "mv": 1e6]

    /// True when the text starts with a Hitachi section header (after blank space).
    static func recognises(_ bytes: [UInt8]) -> Bool {
        let i = firstNonSpace(bytes)
        return bytes.withUnsafeBufferPointer { sectionTechnique(at: i, in: $0) != nil }
    }

    static func firstNonSpace(_ b: [UInt8]) -> Int {
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { i += 1 }
        return i
    }

    static let sectionHeaders: [([UInt8], String)] = sections.keys.sorted().map { (Array("[\($0)]".utf8), $0) }

    static func section(at i: Int, in b: [UInt8]) -> String? {
        for (header, name) in sectionHeaders where i + header.count <= b.count {
            var same = true
            for k in 0..<header.count where b[i + k] != header[k] { same = false; break }
            if same { return name }
        }
        return nil
    }

    /// `section(at:in:).flatMap { sections[$0] }` without a `String`: the two headers differ only
    /// in their second byte, so that byte picks the technique and one `memcmp` checks the rest
    /// (the `String` version walked an array of (bytes, name) pairs — a retain and release each —
    /// and hashed the name it found, for every sidecar, twice).
    @inline(__always)
    static func sectionTechnique(at i: Int, in b: UnsafeBufferPointer<UInt8>) -> Technique? {
        let rest: StaticString = "emImageFile]"
        guard i >= 0, i + 2 + rest.utf8CodeUnitCount <= b.count, let base = b.baseAddress, b[i] == UInt8(ascii: "[") else { return nil }
        let technique: Technique
        switch b[i + 1] {
        case UInt8(ascii: "S"): technique = .sem
        case UInt8(ascii: "T"): technique = .tem
        default: return nil
        }
        return memcmp(base + i + 2, rest.utf8Start, rest.utf8CodeUnitCount) == 0 ? technique : nil
    }

    /// Wanted keys bucketed by byte length, so most lines are dismissed by a length check. Flat
    /// tables of plain integers: the keys' bytes one after another, (offset, slot) entries sorted
    /// by key length, and where each length's entries start. (Nested `[[([UInt8], Int)]]` buckets
    /// cost a retain and release of every bucket and key visited — per line of every sidecar.)
    /// Each entry also has its first and last eight bytes as words (`head`, `tail`), so a key is
    /// compared with two 8-byte loads instead of byte by byte (`slot(ofKeyAt:length:in:)`).
    struct KeyTable {
        static let maxLength = 32
        var bytes: [UInt8] = []
        var entries: [(offset: Int, slot: Int)] = []
        var words: [(head: UInt64, tail: UInt64)] = []  // by entry
        var firstEntry: [Int] = []  // by key length; maxLength + 1 items

        init(_ keys: [String]) {
            var next = 0
            for length in 0...Self.maxLength {
                firstEntry.append(next)
                for (slot, key) in keys.enumerated() where key.utf8.count == length {
                    entries.append((bytes.count, slot)); bytes += key.utf8; next += 1
                    let padded = Array(key.utf8) + [UInt8](repeating: 0, count: 8)
                    padded.withUnsafeBufferPointer { b in
                        words.append((Self.word(b, at: 0, length: length), length >= 8 ? Self.word(b, at: length - 8, length: 8) : 0))
                    }
                }
            }
        }

        /// The `length` bytes at `b[i]` (at most 8 of them) as a little-endian word, the bytes
        /// after them masked out; needs `i + 8 <= b.count`.
        @inline(__always)
        static func word(_ b: UnsafeBufferPointer<UInt8>, at i: Int, length: Int) -> UInt64 {
            let w = UInt64(littleEndian: UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self))
            return length >= 8 ? w : w & ((1 << (8 * UInt64(length))) &- 1)
        }

        /// The slot of the wanted key spelled by `b[s..<(s + length)]`, or nil. By words where
        /// eight bytes can be loaded at `s` inside `b`; byte by byte (the loop this replaces)
        /// only near the end of the text.
        @inline(__always)
        func slot(ofKeyAt s: Int, length: Int, in b: UnsafeBufferPointer<UInt8>) -> Int? {
            guard length < Self.maxLength else { return nil }
            let candidates = firstEntry[length]..<firstEntry[length + 1]
            guard !candidates.isEmpty else { return nil }
            if s + 8 <= b.count {
                let head = Self.word(b, at: s, length: length)
                let tail = length >= 8 ? Self.word(b, at: s + length - 8, length: 8) : 0
                for entry in candidates where words[entry].head == head && words[entry].tail == tail {
                    let offset = entries[entry].offset
                    var same = true
                    if length > 16 { for k in 8..<(length - 8) where b[s + k] != bytes[offset + k] { same = false; break } }
                    if same { return entries[entry].slot }
                }
                return nil
            }
            for entry in candidates {
                let (offset, slot) = entries[entry]
                var same = true
                for k in 0..<length where b[s + k] != bytes[offset + k] { same = false; break }
                if same { return slot }
            }
            return nil
        }
    }
    static let keyTable = KeyTable(wanted)

    /// Where the line starting at `i` ends: the first LF or CR before `n`, else `n`. Eight bytes
    /// at a time, both bytes tested in each word (`zeroBytes`), inline: lines are ~20 bytes, and
    /// the two `memchr` calls per line of before (LF, then CR inside that line) were ~1 % of a
    /// scan's samples, mostly call overhead. Same result.
    @inline(__always)
    static func lineEnd(_ b: UnsafeBufferPointer<UInt8>, from i: Int, to n: Int) -> Int {
        guard let base = b.baseAddress else { return n }
        var k = i
        while k + 8 <= n {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
            let hits = zeroBytes(w ^ 0x0A0A_0A0A_0A0A_0A0A) | zeroBytes(w ^ 0x0D0D_0D0D_0D0D_0D0D)
            if hits != 0 { return k + hits.trailingZeroBitCount / 8 }
            k += 8
        }
        while k < n, b[k] != 0x0A, b[k] != 0x0D { k += 1 }
        return k
    }

    /// The first `byte` in `b[i..<n]`, or `n` — eight bytes at a time, as `lineEnd`.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from i: Int, to n: Int) -> Int {
        guard let base = b.baseAddress else { return n }
        let pattern = 0x0101_0101_0101_0101 &* UInt64(byte)
        var k = i
        while k + 8 <= n {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
            let hits = zeroBytes(w ^ pattern)
            if hits != 0 { return k + hits.trailingZeroBitCount / 8 }
            k += 8
        }
        while k < n, b[k] != byte { k += 1 }
        return k
    }

    /// The high bit of each zero byte of `x` set (and possibly of bytes *after* the first zero
    /// byte, through the borrow — never before it, so the lowest set bit marks the first zero
    /// byte of a little-endian word, and there is none without a zero byte).
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// Parses UTF-8 text. `sidecar` is true for a file written on its own (it must end with a line
    /// break; a copy embedded in a TIFF need not). Works on bytes: a sidecar has ~50 lines, of which
    /// ten are read — this is the scan's hot loop. Values are kept as byte ranges of `raw` and read
    /// from there (`read(_:from:buffer:into:)`); only the instrument and detector become `String`s.
    public static func parse(utf8 raw: [UInt8], sidecar: Bool) throws(MetadataProblem) -> AcquisitionMetadata {
        let keys = keyTable
        var n = raw.count
        while n > 0, raw[n - 1] == 0 { n -= 1 }  // embedded copies are NUL-terminated
        var values = ValueRanges()
        var technique: Technique? = nil
        var inSection = false
        var i = 0, lines = 0
        var endsWithBreak = n == 0
        try raw.withUnsafeBufferPointer { (b) throws(MetadataProblem) in
            while i < n {
                var e = lineEnd(b, from: i, to: n)
                lines += 1
                var s = i, t = e
                while s < t, b[s] == 0x20 || b[s] == 0x09 { s += 1 }
                while t > s, b[t - 1] == 0x20 || b[t - 1] == 0x09 { t -= 1 }
                if s < t {
                    if b[s] == UInt8(ascii: "["), b[t - 1] == UInt8(ascii: "]") {
                        if let found = sectionTechnique(at: s, in: b), technique == nil {
                            technique = found; inSection = true
                        } else { inSection = false }
                    } else if inSection {
                        let eq = firstIndex(of: UInt8(ascii: "="), in: b, from: s, to: t)
                        if eq < t, let slot = keys.slot(ofKeyAt: s, length: eq - s, in: b), !values.has(slot) {
                            var vs = eq + 1
                            while vs < t, b[vs] == 0x20 { vs += 1 }
                            values.set(slot, vs..<t)
                        }
                    } else if technique == nil {
                        throw .unparseable("not Hitachi metadata: text before the [SemImageFile] or [TemImageFile] section")
                    }
                }
                endsWithBreak = e < n
                if e < n, b[e] == 0x0D, e + 1 < n, b[e + 1] == 0x0A { e += 1 }
                i = e + 1
            }
        }
        guard let technique else {
            throw .unparseable("not Hitachi metadata: no [SemImageFile] or [TemImageFile] section")
        }
        var m = AcquisitionMetadata(format: technique == .tem ? .hitachiTEM : .hitachiSEM)
        m.technique = technique
        raw.withUnsafeBufferPointer { read(values, from: $0, buffer: raw, into: &m) }
        if sidecar && !endsWithBreak {
            m.truncation = "the file ends in the middle of line \(lines)"
        }
        return m
    }

    /// Where each wanted value lies in the text, by slot: no `[String?]` (an array allocation per
    /// sidecar, plus a `String` per value — the `Condition` line and most image names are longer
    /// than a `String` holds inline).
    struct ValueRanges {
        // Fixed-size, on the stack. (A `SIMD16` first: setting one lane copied both vectors.)
        private var starts = InlineArray<10, Int>(repeating: -1), ends = InlineArray<10, Int>(repeating: -1)

        func has(_ slot: Int) -> Bool { starts[slot] >= 0 }
        mutating func set(_ slot: Int, _ r: Range<Int>) { (starts[slot], ends[slot]) = (r.lowerBound, r.upperBound) }

        /// The value's bytes; nil when the key is absent or its value empty (as the `String`
        /// version's `isEmpty ? nil`).
        subscript(_ slot: Slot) -> Range<Int>? {
            let s = starts[slot.rawValue], e = ends[slot.rawValue]
            return s >= 0 && s < e ? s..<e : nil
        }
    }

    /// The values found, read from their bytes `b` (`buffer`'s contents). Each byte-level reader
    /// falls back to the `String` version it replaces when it cannot decide
    /// (`FastPathEquivalenceTests` compares the whole parse with the `String` version).
    static func read(_ values: ValueRanges, from b: UnsafeBufferPointer<UInt8>, buffer: [UInt8], into m: inout AcquisitionMetadata) {
        func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
        if let r = values[.instrument] { m.instrument = text(r) }
        if let r = values[.imageName] { m.savedImageName = LazyText(buffer, r) }
        if let r = values[.signal] { m.detector = text(r) }
        if let d = values[.date] {
            let date = DateParsing.numericDate(b, d) ?? DateParsing.numericDateOfAnyText(text(d))
            let time = values[.time].flatMap { t in DateParsing.time(b, t) ?? DateParsing.timeOfAnyText(text(t)) }
            if let parsed = DateParsing.combine(date, time) { m.date = parsed }
            else { m.warnings.append("impossible date '\(text(d))'\(values[.time].map { " \(text($0))" } ?? "")") }
        }
        if let r = values[.dataSize] {
            if let (w, h) = dataSize(b, r) ?? dataSizeOfAnyText(text(r)) { (m.widthPx, m.heightPx) = (w, h) }
            else { m.warnings.append("unreadable DataSize '\(text(r))'") }
        }
        if let r = values[.pixelSize] {
            if let (v, _) = NumberParsing.leading(b, r), v > 0 { m.pixelSizeNm = v }
            else { m.warnings.append("unreadable PixelSize '\(text(r))'") }
        }
        if let r = values[.voltage] { m.acceleratingVoltageV = volts(b, r) ?? volts(text(r)) }
        if let r = values[.magnification], let (v, _) = NumberParsing.leading(b, r), v > 0 {
            m.magnification = v
        } else if let r = values[.condition] {
            m.magnification = magnificationInCondition(text(r))
        }
    }

    /// `1280x960` → (1280, 960); nil unless both are positive integers. Read on bytes when the
    /// text is only digits, `x` and blanks (as written by every instrument; byte and character
    /// semantics agree there), else with `String` operations.
    static func dataSize(_ size: String) -> (Int, Int)? {
        var size = size
        if let fast = size.withUTF8({ dataSize($0, 0..<$0.count) }) { return fast }
        return dataSizeOfAnyText(size)
    }

    /// `dataSize` of `b[r]` on bytes; `.none` when the text has other characters than digits,
    /// `x`/`X` and blanks (then `dataSizeOfAnyText` decides).
    static func dataSize(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (Int, Int)?? {
        // `1280x960` — digits, one `x`, digits, nothing else — in one pass; same result as below.
        // (Wrapping arithmetic: a run of more than 18 digits is not used, it goes below.)
        if r.count <= 32 {
            var i = r.lowerBound, w = 0, h = 0
            while i < r.upperBound, b[i] &- 0x30 < 10 { w = w &* 10 &+ Int(b[i] &- 0x30); i += 1 }
            let wEnd = i
            if wEnd > r.lowerBound, wEnd - r.lowerBound <= 18, i < r.upperBound, b[i] | 0x20 == UInt8(ascii: "x") {
                i += 1
                let hStart = i
                while i < r.upperBound, b[i] &- 0x30 < 10 { h = h &* 10 &+ Int(b[i] &- 0x30); i += 1 }
                if i == r.upperBound, i > hStart, i - hStart <= 18 { return .some(w > 0 && h > 0 ? (w, h) : nil) }
            }
        }
        let isSeparator = { (c: UInt8) in c == UInt8(ascii: "x") || c == UInt8(ascii: "X") }
        for k in r where !((b[k] >= 0x30 && b[k] <= 0x39) || isSeparator(b[k]) || ASCIIFields.isBlank(b[k])) { return nil }
        let parts = ASCIIFields.split(b, r, limit: 2, isSeparator: isSeparator)
        guard parts.count == 2, let w = ASCIIFields.integer(b, ASCIIFields.trimmed(b, parts[0])),
              let h = ASCIIFields.integer(b, ASCIIFields.trimmed(b, parts[1])), w > 0, h > 0 else { return .some(nil) }
        return .some((w, h))
    }

    static func dataSizeOfAnyText(_ size: String) -> (Int, Int)? {
        let parts = size.split(whereSeparator: { $0 == "x" || $0 == "X" }).map { Int($0.trimmingSpaces) }
        guard parts.count == 2, let w = parts[0], let h = parts[1], w > 0, h > 0 else { return nil }
        return (w, h)
    }

    /// `5000 Volt`, `1kV`, `200000` → volts.
    static func volts(_ s: String) -> Double? {
        guard let (v, rest) = NumberParsing.leading(Substring(s)) else { return nil }
        guard let f = voltFactor(plainUnit: rest) ?? voltUnits[rest.trimmingSpaces.lowercased()] else { return nil }
        return v * f
    }

    /// `volts` of `b[r]` on bytes: the number as `NumberParsing.leading`, the unit word compared
    /// case-folded with `voltUnitBytes`. `.none` when the unit is not plain ASCII (then the
    /// `String` version decides); no `Substring`, trimmed or lower-cased copy per value.
    static func volts(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Double?? {
        guard let (v, rest) = NumberParsing.leading(b, r) else { return .some(nil) }
        for k in rest..<r.upperBound where b[k] >= 0x80 || b[k] == 0x0D { return nil }
        let blank = { (c: UInt8) in c == 0x20 || c == 0x09 || c == 0x00 || c == 0x0A }
        var s = rest, e = r.upperBound
        while s < e, blank(b[s]) { s += 1 }
        while e > s, blank(b[e - 1]) { e -= 1 }
        for (unit, factor) in voltUnitBytes where unit.count == e - s {
            var same = true
            for k in 0..<unit.count where unit[k] != b[s + k] | ((b[s + k] >= 0x41 && b[s + k] <= 0x5A) ? 0x20 : 0) { same = false; break }
            if same { return .some(v * factor) }
        }
        return .some(nil)
    }

    /// Voltage unit words as lower-case bytes, for `voltFactor(plainUnit:)`.
    static let voltUnitBytes: [([UInt8], Double)] = voltUnits.map { (Array($0.key.utf8), $0.value) }

    /// The factor of a unit word in ASCII (any case, blanks around it) without making a lower-cased
    /// `String` per value; nil when the word is unknown or not plain ASCII (then the `String`
    /// lookup decides, with the same result for ASCII).
    static func voltFactor(plainUnit rest: Substring) -> Double? {
        guard let word = rest.trimmingSpacesOfPlainASCII?.utf8, word.count <= 5 else { return nil }
        for (unit, factor) in voltUnitBytes where unit.count == word.count {
            if zip(unit, word).allSatisfy({ $0 == $1 | (($1 >= 0x41 && $1 <= 0x5A) ? 0x20 : 0) }) { return factor }
        }
        return nil
    }

    /// `Mag=x150k` inside `Condition` → 150000.
    static func magnificationInCondition(_ s: String) -> Double? {
        for token in s.split(separator: " ") where token.lowercased().hasPrefix("mag=") {
            var v = token.dropFirst(4)
            if v.first == "x" || v.first == "X" { v = v.dropFirst() }
            guard let (n, rest) = NumberParsing.leading(v) else { return nil }
            switch rest.lowercased() {
            case "k": return n * 1e3
            case "m": return n * 1e6
            case "": return n
            default: return nil
            }
        }
        return nil
    }
}
