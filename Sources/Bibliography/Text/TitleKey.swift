/// The comparison key of a title: accents folded to ASCII, case folded, everything but letters
/// and digits removed — so "Électron  Microscopy:" and "ELECTRON MICROSCOPY" agree. Works on
/// Unicode scalars, not Characters, because grapheme breaking is the slow part of String.
public enum TitleKey {
    /// Latin letters with diacritics → their base letter, for the common European range. Other
    /// scripts (CJK, Cyrillic) keep their scalars, lower-cased, so non-English titles still compare.
    static let folds: [UInt32: String] = {
        let table: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"),
            ("ĥħ", "h"), ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"),
            ("òóôõöøōŏő", "o"), ("ŕŗř", "r"), ("śŝşšș", "s"), ("ţťŧț", "t"), ("ùúûüũūŭůűų", "u"),
            ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"), ("æ", "ae"), ("œ", "oe"), ("ß", "ss"), ("þ", "th"),
            ("ð", "d"),
        ]
        var m: [UInt32: String] = [:]
        for (letters, base) in table {
            for s in letters.unicodeScalars {
                m[s.value] = base
                for u in s.properties.uppercaseMapping.unicodeScalars where u != s { m[u.value] = base }
            }
        }
        return m
    }()

    public static func make(_ title: String) -> String {
        String(decoding: bytes(title), as: UTF8.self)
    }

    /// The key as UTF-8 bytes — what deduplication compares. ASCII titles (most of them) never
    /// leave the byte loop.
    public static func bytes(_ title: String) -> [UInt8] {
        // ASCII straight from the string's buffer into the result's: the same loop over `utf8`
        // with `append` was 5 % of `bib inspect`. Nil (a non-ASCII byte) takes the loops below.
        if let key = title.utf8.withContiguousStorageIfAvailable({ asciiKey($0) }) {
            if let key { return key }
            return scalarKeyBytes(title)
        }
        var out: [UInt8] = []
        out.reserveCapacity(title.utf8.count)
        var ascii = true
        for b in title.utf8 {
            if b >= 0x80 { ascii = false; break }
            if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) { out.append(b) }
            else if b >= 0x41 && b <= 0x5A { out.append(b + 32) }
        }
        if ascii { return out }
        return scalarKeyBytes(title)
    }

    /// The key of an all-ASCII title (letters lowercased, digits kept, everything else dropped);
    /// nil at the first byte that is not ASCII.
    static func asciiKey(_ src: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var ascii = true
        let out = [UInt8](unsafeUninitializedCapacity: src.count) { dst, count in
            var n = 0
            for b in src {
                if b >= 0x80 { ascii = false; break }
                if b &- 0x61 < 26 || b &- 0x30 < 10 { dst[n] = b; n += 1 }
                else if b &- 0x41 < 26 { dst[n] = b + 32; n += 1 }
            }
            count = ascii ? n : 0
        }
        return ascii ? out : nil
    }

    /// `scalarKey` written straight as UTF-8 bytes: appending to a `UnicodeScalarView` and
    /// converting back was half of computing the keys of an export with accented titles.
    static func scalarKeyBytes(_ title: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(title.utf8.count)
        for s in title.unicodeScalars {
            let v = s.value
            if v < 0x80 {
                if v >= 0x61 && v <= 0x7A || v >= 0x30 && v <= 0x39 { out.append(UInt8(v)) }
                else if v >= 0x41 && v <= 0x5A { out.append(UInt8(v + 32)) }
                continue
            }
            if let f = folds[v] { out.append(contentsOf: f.utf8); continue }
            if s.properties.isAlphabetic || s.properties.numericType != nil {
                out.append(contentsOf: s.properties.lowercaseMapping.utf8)
            }
        }
        return out
    }

    static func scalarKey(_ title: String) -> String {
        var out = String.UnicodeScalarView()
        for s in title.unicodeScalars {
            let v = s.value
            if v < 0x80 {
                if v >= 0x61 && v <= 0x7A || v >= 0x30 && v <= 0x39 { out.append(s) }
                else if v >= 0x41 && v <= 0x5A { out.append(Unicode.Scalar(v + 32)!) }
                continue
            }
            if let f = folds[v] { out.append(contentsOf: f.unicodeScalars); continue }
            if s.properties.isAlphabetic || s.properties.numericType != nil {
                out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    /// A family name's key: same folding as titles.
    public static func family(_ name: String) -> String { make(name) }
}
