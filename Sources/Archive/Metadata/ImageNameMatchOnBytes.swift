extension ImageNameMatch {
    /// `same(saved:name:)` for a saved name still held as the sidecar's bytes: compared right
    /// there when both names are ASCII without a carriage return (the rule of `sameASCII`), else
    /// as `String`s. No `String` is made for the saved name of a matching ASCII image.
    static func same(saved: LazyText, name: String) -> Bool {
        var name = name
        let fast = saved.withBytes { a in name.withUTF8 { b in sameASCII(a, b) } }
        return fast ?? same(saved: saved.string, name: name)
    }

    /// `sameASCII(saved:name:)` on buffers: trimmed (space, tab, NUL, LF) saved bytes equal to the
    /// name's, A–Z folded; nil unless both are ASCII without CR. When the lengths agree (nearly
    /// always) one fused pass checks plainness and compares (the trimmed blanks are plain, so
    /// they need no check); otherwise plainness alone decides between false and nil.
    static func sameASCII(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        let blank = { (c: UInt8) in c == 0x20 || c == 0x09 || c == 0x00 || c == 0x0A }
        var s = 0, e = a.count
        while s < e, blank(a[s]) { s += 1 }
        while e > s, blank(a[e - 1]) { e -= 1 }
        guard e - s == b.count else { return isPlainASCIIByOr(a) && isPlainASCIIByOr(b) ? false : nil }
        var high: UInt8 = 0, cr: UInt8 = 0, diff: UInt8 = 0
        for k in 0..<b.count {
            let x = a[s + k], y = b[k]
            high |= x | y
            cr |= (x == 0x0D ? 1 : 0) | (y == 0x0D ? 1 : 0)
            diff |= lower(x) ^ lower(y)
        }
        guard high < 0x80, cr == 0 else { return nil }
        return diff == 0
    }

    /// `isPlainASCII` as two ORs over the bytes (no byte ≥ 0x80, no CR), a loop without early
    /// exits that the compiler vectorises; `isPlainASCII` tested each byte twice and branched.
    @inline(__always)
    static func isPlainASCIIByOr(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0, cr: UInt8 = 0
        for c in b { high |= c; cr |= c == 0x0D ? 1 : 0 }
        return high < 0x80 && cr == 0
    }
}
