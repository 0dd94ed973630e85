#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files under a folder, found with `opendir`/`readdir` and the entries' types.
///
/// Why not `FileManager.enumerator(atPath:)`: on Linux every entry it yields goes through a URL
/// (parsed and percent-decoded), comes back as `Any` to be cast to `String`, and the callers then
/// asked `NSString` for the extension and the joined path (each a bridged copy and a slash
/// fix-up). For `figures count` over 1,092 JATS files that was ≈ 12 ms of a ≈ 330 ms run, all of
/// it on the main thread before the workers start (perf, docs/performance-figures.md).
public enum FileTree {
    /// Paths of the files (and symbolic links, which are not followed into) below `root`, at any
    /// depth, whose name's extension — the part after its last dot, not a leading one, compared
    /// case-insensitively — is in `extensions` (lower case). Each path is `root` joined with the
    /// relative path as `NSString.appendingPathComponent` joins them. Folders that cannot be
    /// listed are skipped; nil when `root` itself cannot be. Unsorted.
    public static func files(under root: String, extensions: Set<String>) -> [String]? {
        guard let top = opendir(root) else { return nil }
        // "dir" + "/" + rel, but "dir/" + rel when root already ends with a slash ("/" included).
        let prefix = root.hasSuffix("/") ? root : root + "/"
        var found: [String] = []
        walk(top, path: prefix, extensions: extensions, into: &found)
        return found
    }

    private static func walk(_ dir: OpaquePointer, path: String, extensions: Set<String>, into found: inout [String]) {
        defer { closedir(dir) }
        var subfolders: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                // Some file systems do not fill d_type: ask lstat (a link is not followed).
                var st = stat()
                guard lstat(path + name, &st) == 0 else { continue }
                type = (st.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
            }
            if type == UInt8(DT_DIR) { subfolders.append(name); continue }
            if let ext = pathExtension(name), extensions.contains(ext.lowercased()) { found.append(path + name) }
        }
        for sub in subfolders {
            guard let d = opendir(path + sub) else { continue }
            walk(d, path: path + sub + "/", extensions: extensions, into: &found)
        }
    }

    /// The extension as `NSString.pathExtension` gives it for a single name: after the last dot,
    /// nil when there is no dot or the only dot leads the name (".xml" is a hidden file, no extension).
    static func pathExtension(_ name: String) -> Substring? {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.utf8.startIndex else { return nil }
        return name[name.utf8.index(after: dot)...]
    }
}
