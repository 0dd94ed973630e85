/// Which files of an archive are images, which are sidecars, and which are clutter — by
/// extension, in any letter case. Everything not listed is ignored and counted as such.
public enum ArchiveFileKinds {
    /// Image extensions (lower case, without the dot).
    public static let images: Set<String> = ["tif", "tiff", "jpg", "jpeg", "png", "bmp", "dm3", "dm4"]
    /// Images whose header may embed acquisition metadata (read from the IFD only).
    public static let tiff: Set<String> = ["tif", "tiff"]
    /// Gatan DigitalMicrograph files.
    public static let gatan: Set<String> = ["dm3", "dm4"]
    /// Sidecar extensions: `NAME.txt` (Hitachi, JEOL), `NAME.hdr` (Tescan).
    public static let sidecars: Set<String> = ["txt", "hdr"]

    public enum Kind: Sendable { case image, sidecar, other }

    /// (base name, lower-cased extension) of a file name; the extension is empty when there is none
    /// (a leading dot does not start an extension: `.DS_Store` has none).
    public static func split(_ name: String) -> (base: Substring, ext: String) {
        // Every file name passes here two or three times per scan. For ASCII names a byte is a
        // character, so the dot is found on bytes (`lastIndex(of:)` on characters is far slower).
        let bytes = name.utf8
        if bytes.allSatisfy({ $0 < 0x80 }) {
            guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot != bytes.startIndex else { return (Substring(name), "") }
            return (name[..<dot], name[bytes.index(after: dot)...].lowercased())
        }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (Substring(name), "") }
        return (name[..<dot], name[name.index(after: dot)...].lowercased())
    }

    public static func kind(ofExtension ext: String) -> Kind {
        if images.contains(ext) { return .image }
        if sidecars.contains(ext) { return .sidecar }
        return .other
    }

    /// `kind(ofExtension: split(name).ext)` without making the lower-cased extension `String` or
    /// hashing it: every directory entry passes here. For an ASCII name the extension's bytes,
    /// lower-cased, are packed into one integer and compared with the known ones (all 3–4 bytes
    /// long); any other name takes the `String` route.
    public static func kind(ofName name: String) -> Kind {
        var name = name
        let packed = name.withUTF8 { b -> UInt32?? in
            var or: UInt8 = 0
            for c in b { or |= c }
            guard or < 0x80 else { return nil }  // not ASCII: let `split` decide
            var dot = b.count - 1
            while dot >= 0, b[dot] != UInt8(ascii: ".") { dot -= 1 }
            let length = b.count - dot - 1
            guard dot > 0, length == 3 || length == 4 else { return .some(nil) }
            var key: UInt32 = 0
            for k in (dot + 1)..<b.count {
                let c = b[k]
                key = key << 8 | UInt32(c >= 0x41 && c <= 0x5A ? c | 0x20 : c)
            }
            return .some(key)
        }
        guard let packed else { return kind(ofExtension: split(name).ext) }
        guard let key = packed else { return .other }
        if packedImages.contains(key) { return .image }
        if packedSidecars.contains(key) { return .sidecar }
        return .other
    }

    static func pack(_ ext: String) -> UInt32 { ext.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

    /// The lower-cased extension of an image or sidecar, from its packed bytes (see `kind(ofName:)`):
    /// one of the constant strings above, so no `String` is made per file; nil for any other.
    static func extensionName(packed key: UInt32) -> String? {
        for (k, name) in packedNames where k == key { return name }
        return nil
    }

    static let packedNames: [(UInt32, String)] = (images.sorted() + sidecars.sorted()).map { (pack($0), $0) }
    static let packedImages: [UInt32] = images.map(pack)
    static let packedSidecars: [UInt32] = sidecars.map(pack)
}
