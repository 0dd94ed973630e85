/// Whether the image name saved in the metadata is the file's name: blanks around the saved one
/// ignored, letter case ignored. Asked for every image with metadata.
enum ImageNameMatch {
    static func same(saved: String, name: String) -> Bool {
        sameASCII(saved: saved, name: name) ?? sameByCharacter(saved: saved, name: name)
    }

    /// The definition: trimmed by `Character`, lower-cased `String`s (two allocations per image
    /// once a name is longer than 15 bytes, as most are).
    static func sameByCharacter(saved: String, name: String) -> Bool {
        saved.trimmingSpaces.lowercased() == name.lowercased()
    }

    /// The same on bytes when both names are ASCII without a carriage return — there every byte is
    /// a `Character`, `lowercased()` maps only A–Z and equal strings have equal bytes; nil otherwise.
    static func sameASCII(saved: String, name: String) -> Bool? {
        var saved = saved, name = name
        return saved.withUTF8 { a in
            name.withUTF8 { b -> Bool? in
                guard isPlainASCII(a), isPlainASCII(b) else { return nil }
                let blank = { (c: UInt8) in c == 0x20 || c == 0x09 || c == 0x00 || c == 0x0A }
                var s = 0, e = a.count
                while s < e, blank(a[s]) { s += 1 }
                while e > s, blank(a[e - 1]) { e -= 1 }
                guard e - s == b.count else { return false }
                for k in 0..<b.count where lower(a[s + k]) != lower(b[k]) { return false }
                return true
            }
        }
    }

    static func isPlainASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in b where c >= 0x80 || c == 0x0D { return false }
        return true
    }

    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
}
