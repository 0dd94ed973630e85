import Foundation

/// Rows in PostgreSQL's COPY text format: tab between fields, newline after a row, `\N` for
/// NULL, and backslash, tab, newline and carriage return escaped — so any text (a facility named
/// `x'); DROP TABLE …`, a title with tabs) arrives as data, never as SQL.
struct CopyText {
    private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0
    private(set) var rows = 0

    init(reservingCapacity n: Int = 0) { bytes.reserveCapacity(n) }

    mutating func text(_ value: String?) {
        separate()
        guard let value else { bytes += [0x5C, 0x4E]; return }
        for b in value.utf8 {
            switch b {
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x09: bytes += [0x5C, 0x74]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            default: bytes.append(b)
            }
        }
    }

    mutating func int(_ value: Int?) {
        separate()
        guard let value else { bytes += [0x5C, 0x4E]; return }
        bytes += Array(String(value).utf8)
    }

    /// Doubles as the shortest text that reads back to the same value (Swift's description).
    mutating func double(_ value: Double?) {
        separate()
        guard let value, value.isFinite else { bytes += [0x5C, 0x4E]; return }
        bytes += Array(value.description.utf8)
    }

    /// A text[] literal: `{"a","b"}` with `"` and `\` escaped inside, then COPY-escaped.
    mutating func textArray(_ values: [String]) {
        let literal = "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
        text(literal)
    }

    mutating func endRow() {
        bytes.append(0x0A)
        fieldsInRow = 0
        rows += 1
    }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(0x09) }
        fieldsInRow += 1
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

    var hex: String { String(format: "%016llx%016llx", a, b) }
}
