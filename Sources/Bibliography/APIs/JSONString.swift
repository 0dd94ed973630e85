/// A JSON string read from its bytes: escapes decoded (`\uXXXX` with surrogate pairs; a lone
/// surrogate becomes U+FFFD), no copy when there is no escape. Shared by `JSONNode` and the
/// Study's reader of stored records (`StoredRecordReader`), which must read strings alike.
public enum JSONString {
    /// `i` is at the opening quote; on return it is past the closing quote. The error's offset is
    /// where the string started (unterminated) or the bad escape.
    public static func read(_ b: UnsafeBufferPointer<UInt8>, at i: inout Int) throws(JSONNode.SyntaxError) -> String {
        i += 1
        let start = i
        // Fast path: no escapes — the bytes are the string.
        while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") { i += 1 }
        guard i < b.count else { throw JSONNode.SyntaxError(offset: start) }
        if b[i] == UInt8(ascii: "\"") {
            defer { i += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        }
        var out = Array(b[start..<i])
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < b.count else { break }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4(b, at: &i)
                if (0xD800...0xDBFF).contains(scalar), i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4(b, at: &i)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
                }
                out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
            default: out.append(e)   // \" \\ \/
            }
        }
        throw JSONNode.SyntaxError(offset: start)
    }

    private static func hex4(_ b: UnsafeBufferPointer<UInt8>, at i: inout Int) throws(JSONNode.SyntaxError) -> UInt32 {
        guard i + 4 <= b.count else { throw JSONNode.SyntaxError(offset: i) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw JSONNode.SyntaxError(offset: i)
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}
