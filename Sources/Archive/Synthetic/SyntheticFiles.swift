/// The bytes of the synthetic archive's files: tiny images (valid headers, 8×8 pixels) and
/// sidecars in the spellings real instruments use.
enum SyntheticFiles {
    /// A minimal little-endian 8×8 8-bit grayscale TIFF; with `xpComment`, the Hitachi text as
    /// UTF-16LE in tag 40092, as the TM4000 writes it.
    static func tiff(xpComment: String?) -> [UInt8] {
        var entries: [(UInt16, UInt16, UInt32, [UInt8])] = [  // tag, type, count, value bytes
            (256, 3, 1, le16(8) + [0, 0]), (257, 3, 1, le16(8) + [0, 0]), (258, 3, 1, le16(8) + [0, 0]),
            (259, 3, 1, le16(1) + [0, 0]), (262, 3, 1, le16(1) + [0, 0]), (273, 4, 1, []),
            (277, 3, 1, le16(1) + [0, 0]), (278, 3, 1, le16(8) + [0, 0]), (279, 4, 1, le32(64)),
        ]
        var comment: [UInt8] = []
        if let xp = xpComment {
            for u in xp.utf16 { comment += le16(u) }
            comment += [0, 0]
            entries.append((40092, 1, UInt32(comment.count), []))
        }
        let ifdOffset = 8
        let ifdSize = 2 + 12 * entries.count + 4
        let pixelOffset = ifdOffset + ifdSize
        let commentOffset = pixelOffset + 64
        var out: [UInt8] = [0x49, 0x49, 42, 0] + le32(UInt32(ifdOffset))
        out += le16(UInt16(entries.count))
        for (tag, type, count, value) in entries {
            out += le16(tag) + le16(type) + le32(count)
            if tag == 273 { out += le32(UInt32(pixelOffset)) }
            else if tag == 40092 { out += le32(UInt32(commentOffset)) }
            else { out += value }
        }
        out += le32(0)
        out += [UInt8](repeating: 0x80, count: 64)
        out += comment
        return out
    }

    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9]
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        + [0, 0, 0, 8, 0, 0, 0, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82]
    static let bmp: [UInt8] = Array("BM".utf8) + le32(62) + [0, 0, 0, 0] + le32(54) + le32(40) + le32(1) + le32(1)
        + le16(1) + le16(24) + [UInt8](repeating: 0, count: 24) + [0x80, 0x80, 0x80, 0]

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }

    /// UTF-16LE with a BOM (newer Hitachi software).
    static func utf16LE(_ s: String) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xFE]
        for u in s.utf16 { out += le16(u) }
        return out
    }

    /// CP1252 for the characters the generator uses (ASCII plus a few Latin-1 letters).
    static func cp1252(_ s: String) -> [UInt8] {
        s.unicodeScalars.map { $0.value < 256 ? UInt8($0.value) : UInt8(ascii: "?") }
    }

    /// CP1251 for ASCII and the basic Cyrillic letters.
    static func cp1251(_ s: String) -> [UInt8] {
        s.unicodeScalars.map { u -> UInt8 in
            if u.value < 128 { return UInt8(u.value) }
            if (0x410...0x44F).contains(u.value) { return UInt8(u.value - 0x410 + 0xC0) }
            return UInt8(ascii: "?")
        }
    }
}
