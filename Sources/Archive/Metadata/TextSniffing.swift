import Foundation

/// The text encodings metadata files come in. Older Hitachi PC-SEM software writes the PC's ANSI
/// code page without a byte-order mark (CP1252 Western, CP1251 Cyrillic, CP932 Japanese); newer
/// software writes UTF-16LE with a BOM — a byte search for `SignalName=` misses those entirely.
public enum TextEncodingName: String, Hashable, Sendable, CaseIterable {
    case ascii, utf8 = "utf-8", utf16LE = "utf-16le", utf16BE = "utf-16be"
    case cp1252, cp1251, cp932

    var foundation: String.Encoding {
        switch self {
        case .ascii: return .ascii
        case .utf8: return .utf8
        case .utf16LE: return .utf16LittleEndian
        case .utf16BE: return .utf16BigEndian
        case .cp1252: return .windowsCP1252
        case .cp1251: return .windowsCP1251
        case .cp932: return .shiftJIS
        }
    }
}

/// Turns metadata bytes of any of those encodings into UTF-8 bytes, sniffing: BOM → UTF-8 →
/// legacy code page. Pure ASCII (most sidecars) passes through without a copy.
public enum TextSniffing {
    /// - Parameter legacy: the code page to assume for non-UTF-8 bytes without a BOM; nil sniffs
    ///   between CP1252, CP1251 and CP932 (see `guessLegacy`).
    public static func utf8(_ bytes: [UInt8], legacy: TextEncodingName? = nil) -> (bytes: [UInt8], encoding: TextEncodingName) {
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return (utf16(bytes, from: 2, littleEndian: true), .utf16LE)
        }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return (utf16(bytes, from: 2, littleEndian: false), .utf16BE)
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return (Array(bytes[3...]), .utf8)
        }
        if !hasHighByte(bytes) {
            // UTF-16LE without BOM shows as ASCII with a NUL after every letter.
            if bytes.count >= 4, bytes[1] == 0, bytes[3] == 0, bytes[0] != 0 {
                return (transcode(bytes, .utf16LE), .utf16LE)
            }
            return (bytes, .ascii)
        }
        if String.validUTF8(bytes) { return (bytes, .utf8) }
        let page = legacy ?? guessLegacy(bytes)
        return (transcode(bytes, page), page)
    }

    /// True when a byte is ≥ 0x80 — one OR over the whole buffer, a loop the compiler vectorises
    /// (`contains(where:)` went byte by byte through a closure, for every sidecar of a scan).
    static func hasHighByte(_ bytes: [UInt8], prefix: Int = .max) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var or: UInt8 = 0
            for k in 0..<min(prefix, b.count) { or |= b[k] }
            return or >= 0x80
        }
    }

    /// Which ANSI code page non-UTF-8 bytes most likely are. Japanese text in CP932 is made of
    /// two-byte characters whose lead bytes are mostly 0x81–0x9F (symbols and punctuation in the
    /// Windows code pages); Cyrillic in CP1251 makes runs of letters 0xC0–0xFF; Western text has
    /// isolated accented letters between ASCII ones. Configure `archive.legacyEncoding` when an
    /// archive is known to be otherwise.
    /// (Read on the array's buffer: through the array every byte was a bounds-checked access.)
    public static func guessLegacy(_ bytes: [UInt8]) -> TextEncodingName {
        bytes.withUnsafeBufferPointer { b in
            var sjisPairs = 0, sjisBroken = false
            var i = 0
            while i < b.count {
                let c = b[i]
                if (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC) {
                    if i + 1 < b.count, b[i + 1] >= 0x40, b[i + 1] <= 0xFC, b[i + 1] != 0x7F {
                        if c <= 0x9F { sjisPairs += 1 }
                        i += 2; continue
                    }
                    sjisBroken = true
                }
                i += 1
            }
            if sjisPairs > 0 && !sjisBroken { return .cp932 }
            var highRunLetters = 0, highIsolated = 0
            i = 0
            while i < b.count {
                if b[i] >= 0xC0 {
                    var j = i
                    while j < b.count, b[j] >= 0xC0 { j += 1 }
                    if j - i >= 2 { highRunLetters += j - i } else { highIsolated += 1 }
                    i = j
                } else { i += 1 }
            }
            return highRunLetters > highIsolated ? .cp1251 : .cp1252
        }
    }

    /// Decodes UTF-16 or a code page to UTF-8 bytes; undecodable bytes become U+FFFD.
    static func transcode(_ bytes: [UInt8], _ encoding: TextEncodingName) -> [UInt8] {
        switch encoding {
        case .utf16LE, .utf16BE:
            return utf16(bytes, from: 0, littleEndian: encoding == .utf16LE)
        case .ascii, .utf8:
            return Array(String(decoding: bytes, as: UTF8.self).utf8)
        case .cp1252 where !bytes.contains(where: CP1252.isUndefined):
            return CP1252.utf8(bytes)
        case .cp1251 where !bytes.contains(where: CP1251.isUndefined):
            return CP1251.utf8(bytes)
        case .cp1252, .cp1251, .cp932:
            if let s = String(data: Data(bytes), encoding: encoding.foundation) { return Array(s.utf8) }
            return Array(String(decoding: bytes, as: UTF8.self).utf8)
        }
    }
}

extension TextSniffing {
    /// UTF-16 text from byte `start` on (past a BOM, without copying the rest first) to UTF-8.
    /// ASCII text — every high byte zero, every low byte below 0x80: all synthetic and most real
    /// SU8230 sidecars — is found with one OR over the units and narrowed in a second loop into an
    /// uninitialised array; both loops are plain enough for the compiler to vectorise (the
    /// per-byte `append` of before was 2 % of a scan). Anything else goes to `utf8(fromUTF16:)`.
    static func utf16(_ bytes: [UInt8], from start: Int, littleEndian: Bool) -> [UInt8] {
        let units = max(0, (bytes.count - start) / 2)
        let lowOffset = littleEndian ? 0 : 1
        let isASCII = bytes.withUnsafeBufferPointer { b -> Bool in
            guard units > 0, let base = b.baseAddress else { return true }
            let p = UnsafeRawPointer(base + start)
            var or: UInt16 = 0
            for k in 0..<units { or |= p.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self) }
            // The unit's low byte must be < 0x80 and its high byte 0, in the file's byte order.
            let bytesOfOr = (UInt8(truncatingIfNeeded: or.littleEndian), UInt8(truncatingIfNeeded: or.littleEndian >> 8))
            let (first, second) = bytesOfOr
            let (low, high) = lowOffset == 0 ? (first, second) : (second, first)
            return high == 0 && low < 0x80
        }
        guard isASCII else {
            return utf8(fromUTF16: start == 0 ? bytes : Array(bytes[start...]), littleEndian: littleEndian)
        }
        return [UInt8](unsafeUninitializedCapacity: units) { out, count in
            bytes.withUnsafeBufferPointer { b in
                guard units > 0, let base = b.baseAddress else { return }
                let p = base + start + lowOffset
                for k in 0..<units { out[k] = p[2 * k] }
            }
            count = units
        }
    }

    /// UTF-16 code units (two bytes each; an odd last byte is ignored) to UTF-8, each unpaired
    /// surrogate becoming U+FFFD — what `String(decoding:as: UTF16.self)` gives, written straight
    /// into a byte array: 40% of the SEM sidecars are UTF-16 and most carry a `µ`, so the
    /// `String` round trip was a visible part of a scan.
    /// Written through a pointer into an array sized for the worst case (three bytes per unit):
    /// the `append` per byte of before (a capacity check and a call each) was ~0.4 % of a scan
    /// for the 3 % of sidecars that are UTF-16 with a non-ASCII character.
    static func utf8(fromUTF16 bytes: [UInt8], littleEndian: Bool) -> [UInt8] {
        let units = bytes.count / 2
        return [UInt8](unsafeUninitializedCapacity: 3 * units) { out, count in
            bytes.withUnsafeBufferPointer { b in
                var o = 0
                @inline(__always) func unit(_ i: Int) -> UInt32 {
                    littleEndian ? UInt32(b[i]) | UInt32(b[i + 1]) << 8 : UInt32(b[i]) << 8 | UInt32(b[i + 1])
                }
                @inline(__always) func put(_ c: UInt32) {
                    switch c {
                    case 0..<0x80:
                        out[o] = UInt8(c); o += 1
                    case 0x80..<0x800:
                        out[o] = UInt8(0xC0 | c >> 6); out[o + 1] = UInt8(0x80 | c & 0x3F); o += 2
                    case 0x800..<0x10000:
                        out[o] = UInt8(0xE0 | c >> 12); out[o + 1] = UInt8(0x80 | c >> 6 & 0x3F); out[o + 2] = UInt8(0x80 | c & 0x3F); o += 3
                    default:
                        out[o] = UInt8(0xF0 | c >> 18); out[o + 1] = UInt8(0x80 | c >> 12 & 0x3F)
                        out[o + 2] = UInt8(0x80 | c >> 6 & 0x3F); out[o + 3] = UInt8(0x80 | c & 0x3F); o += 4
                    }
                }
                var i = 0
                while i + 1 < b.count {
                    let u = unit(i)
                    i += 2
                    if u < 0xD800 || u > 0xDFFF { put(u); continue }
                    if u <= 0xDBFF, i + 1 < b.count {
                        let low = unit(i)
                        if low >= 0xDC00 && low <= 0xDFFF {
                            put(0x10000 + ((u - 0xD800) << 10 | (low - 0xDC00)))
                            i += 2
                            continue
                        }
                    }
                    put(0xFFFD)
                }
                count = o
            }
        }
    }
}

extension String {
    /// True when `bytes` are valid UTF-8.
    fileprivate static func validUTF8(_ bytes: [UInt8]) -> Bool {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
