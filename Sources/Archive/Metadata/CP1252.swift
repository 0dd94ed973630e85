/// Windows-1252 (Western PC-SEM sidecars) decoded by table.
///
/// Why not Foundation's `String(data:encoding: .windowsCP1252)`: it builds an `NSString` and
/// bridges it for every sidecar — a visible share of a scan's CPU for a 256-entry table. Bytes
/// the code page leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are left to Foundation, so
/// the result never differs from it.
enum CP1252 {
    /// Unicode scalars of 0x80–0x9F (0 where undefined); 0xA0–0xFF are Latin-1.
    static let high: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    static func isUndefined(_ b: UInt8) -> Bool { b >= 0x80 && b <= 0x9F && high[Int(b) - 0x80] == 0 }

    /// UTF-8 of bytes that contain no undefined byte.
    static func utf8(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            let c: UInt32 = b < 0x80 ? UInt32(b) : b <= 0x9F ? high[Int(b) - 0x80] : UInt32(b)
            switch c {
            case 0..<0x80: out.append(UInt8(c))
            case 0x80..<0x800: out.append(UInt8(0xC0 | c >> 6)); out.append(UInt8(0x80 | c & 0x3F))
            default: out.append(UInt8(0xE0 | c >> 12)); out.append(UInt8(0x80 | c >> 6 & 0x3F)); out.append(UInt8(0x80 | c & 0x3F))
            }
        }
        return out
    }
}
