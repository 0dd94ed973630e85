import Foundation

/// Rows in PostgreSQL's COPY text format: tab between fields, newline after a row, `\N` for
/// NULL, and backslash, tab, newline and carriage return escaped — so any text (a facility named
/// `x'); DROP TABLE …`, a title with tabs) arrives as data, never as SQL.
///
/// Every row starts with the same `prefix` (the facility, escaped once). The rows collect in
/// `bytes` until the caller takes them (`take()`, a chunk of COPY data), so a table of a million
/// rows streams through a buffer of a megabyte. Each row's bytes after the prefix are hashed as
/// the row ends, into `digest`: an order-free fingerprint of the table (see `RowDigest`).
struct CopyText {
    private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0
    private var rowStart = 0
    private let prefix: [UInt8]
    private(set) var rows = 0
    private(set) var digest = RowDigest()

    init(prefix: String? = nil, reservingCapacity n: Int = 0) {
        if let prefix {
            var p = CopyText()
            p.text(prefix)
            self.prefix = p.bytes + [0x09]
        } else {
            self.prefix = []
        }
        bytes.reserveCapacity(n)
    }

    /// The rows written since the last take, as COPY data; the buffer starts empty again.
    mutating func take() -> [UInt8] {
        let out = bytes
        bytes.removeAll(keepingCapacity: true)
        return out
    }

    mutating func text(_ value: String?) {
        separate()
        guard var value else { bytes.append(0x5C); bytes.append(0x4E); return }
        // Native strings are contiguous UTF-8: copy them whole unless a byte needs escaping.
        let clean = value.withUTF8 { utf8 in
            !utf8.contains { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        }
        if clean {
            value.withUTF8 { bytes.append(contentsOf: $0) }
            return
        }
        for b in value.utf8 {
            switch b {
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            default: bytes.append(b)
            }
        }
    }

    mutating func int(_ value: Int?) {
        separate()
        guard let value else { bytes.append(0x5C); bytes.append(0x4E); return }
        appendDecimal(value)
    }

    /// Doubles as the shortest text that reads back to the same value: whole numbers (most
    /// magnifications and scale-bar decades) as integers, the others as Swift's description.
    mutating func double(_ value: Double?) {
        separate()
        guard let value, value.isFinite else { bytes.append(0x5C); bytes.append(0x4E); return }
        if value == value.rounded(), abs(value) < 1e15, !(value == 0 && value.sign == .minus) {
            appendDecimal(Int(value))
        } else {
            var d = value.description
            d.withUTF8 { bytes.append(contentsOf: $0) }
        }
    }

    /// A text[] literal: `{"a","b"}` with `"` and `\` escaped inside, then COPY-escaped.
    mutating func textArray(_ values: [String]) {
        let literal = "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
        text(literal)
    }

    mutating func endRow() {
        digest.add(bytes[(rowStart + prefix.count)...])
        bytes.append(0x0A)
        fieldsInRow = 0
        rows += 1
    }

    private mutating func separate() {
        if fieldsInRow > 0 {
            bytes.append(0x09)
        } else {
            rowStart = bytes.count
            bytes.append(contentsOf: prefix)
        }
        fieldsInRow += 1
    }

    private mutating func appendDecimal(_ value: Int) {
        if value < 0 { bytes.append(0x2D) }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = 0x30 + UInt8(v % 10)
                v /= 10
                n += 1
            } while v > 0
            while n > 0 { n -= 1; bytes.append(d[n]) }
        }
    }
}

/// An order-free fingerprint of a table's rows: each row's bytes are hashed (two 64-bit FNV-1a
/// lanes, then mixed) and the hashes are summed. Equal multisets of rows give equal digests
/// whatever order the study stored them in, so rows need no sorting before they stream out.
/// Change detection only, not a defence against tampering.
struct RowDigest: Equatable {
    private(set) var sumA: UInt64 = 0
    private(set) var sumB: UInt64 = 0
    private(set) var count: UInt64 = 0

    mutating func add(_ row: ArraySlice<UInt8>) {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x8422_2325_cbf2_9ce4
        row.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b ^= b >> 31
            }
        }
        // FNV's last bytes barely reach the high bits; a finaliser spreads them before summing.
        sumA &+= Self.mix(a ^ UInt64(row.count))
        sumB &+= Self.mix(b &+ 0x9E37_79B9_7F4A_7C15)
        count += 1
    }

    /// SplitMix64's finaliser.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A 128-bit FNV-1a fingerprint of what a push sends: equal fingerprints mean nothing changed.
/// Not a defence against tampering (whoever can write the catalogue can write the rows), only
/// change detection.
struct ContentHash {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x8422_2325_cbf2_9ce4

    mutating func add(_ bytes: [UInt8]) {
        var a = self.a, b = self.b
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b ^= b >> 31
        }
        self.a = a; self.b = b
        // The length separates fields, so ("ab","c") and ("a","bc") differ.
        add(length: bytes.count)
    }

    private mutating func add(length: Int) {
        var n = UInt64(length)
        for _ in 0..<8 {
            a = (a ^ (n & 0xFF)) &* 0x0000_0100_0000_01B3
            n >>= 8
        }
    }

    mutating func add(_ s: String) { add(Array(s.utf8)) }

    mutating func add(_ digest: RowDigest) {
        for v in [digest.count, digest.sumA, digest.sumB] {
            add(withUnsafeBytes(of: v.littleEndian) { Array($0) })
        }
    }

    var hex: String { String(format: "%016llx%016llx", a, b) }
}
