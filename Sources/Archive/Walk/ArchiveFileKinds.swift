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
}
