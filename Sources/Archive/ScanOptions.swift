#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Core

/// A folder of the archive that belongs to one instrument — used when an image's metadata does
/// not name the instrument or imply the technique (a JPEG re-save, a TIFF without tags).
public struct InstrumentFolder: Hashable, Sendable {
    public var name: String
    public var technique: Technique
    /// Absolute path; every image below it belongs to the instrument (the longest match wins).
    public var path: String

    public init(name: String, technique: Technique, path: String) {
        self.name = name
        self.technique = technique
        self.path = ArchivePaths.resolved(path)  // as the roots are: a linked mount matches its target
    }
}

/// How a scan reads the archive.
public struct ScanOptions: Hashable, Sendable {
    public var instruments: [InstrumentFolder]
    /// The ANSI code page of sidecars without BOM that are not UTF-8; nil sniffs.
    public var legacyEncoding: TextEncodingName?
    /// Metadata date and mtime may differ by this much before `check` reports it. Wider than any
    /// time-zone offset: the instrument writes local time, the file system keeps UTC.
    public var dateToleranceSeconds: Int64

    public static let defaultDateToleranceHours = 36

    public init(instruments: [InstrumentFolder] = [], legacyEncoding: TextEncodingName? = nil,
                dateToleranceHours: Int = ScanOptions.defaultDateToleranceHours) {
        self.instruments = instruments
        self.legacyEncoding = legacyEncoding
        self.dateToleranceSeconds = Int64(dateToleranceHours) * 3600
    }

    /// The instrument folder `path` lies in (longest prefix, whole path components). Paths are
    /// compared as UTF-8 bytes, as the file system compares them — and without building a
    /// `String` per folder: this runs once for every image of a scan.
    public func folder(for path: String) -> InstrumentFolder? {
        var best: InstrumentFolder?
        var bestLength = -1
        var path = path
        path.withUTF8 { p in
            for f in instruments {
                var folder = f.path
                let length = folder.withUTF8 { Self.path(p, isSameAsOrBelow: $0) ? $0.count : -1 }
                if length > bestLength { best = f; bestLength = length }
            }
        }
        return best
    }

    static func path(_ p: UnsafeBufferPointer<UInt8>, isSameAsOrBelow folder: UnsafeBufferPointer<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        if folder.count == 1, folder[0] == slash { return p.first == slash }
        guard p.count >= folder.count else { return false }
        if folder.count > 0, memcmp(p.baseAddress!, folder.baseAddress!, folder.count) != 0 { return false }
        return p.count == folder.count || p[folder.count] == slash
    }

    /// Changes whenever a setting that affects derived values changes — part of each directory's
    /// digest, so a changed setting re-reads the archive instead of keeping stale values.
    public var fingerprint: UInt64 {
        var h = FNV1a()
        // v2 (issue 16): Zeiss pixel size from the stated FOV ÷ image width; Nav-Cam photos apart.
        h.add("v2")
        for f in instruments.sorted(by: { $0.path < $1.path }) { h.add(f.name); h.add(f.technique.rawValue); h.add(f.path) }
        h.add(legacyEncoding?.rawValue ?? "sniff")
        h.add(String(dateToleranceSeconds))
        return h.value
    }
}

/// 64-bit FNV-1a: a fast, stable hash for directory digests (not for security).
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf29ce484222325
    public init() {}
    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x100000001b3 }
        value = (value ^ 0xFF) &* 0x100000001b3  // field separator
    }
    public mutating func add(_ s: String) { add(s.utf8) }
    public mutating func add(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { add($0) } }
}

/// Path spelling used as index keys.
public enum ArchivePaths {
    /// Absolute, without `.`/`..` components, duplicate or trailing slashes.
    public static func normalise(_ path: String, relativeTo base: String? = nil) -> String {
        var p = path
        if !p.hasPrefix("/") { p = (base ?? currentDirectory()) + "/" + p }
        var parts: [Substring] = []
        for c in p.split(separator: "/") {
            if c == "." || c.isEmpty { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `name` in `directory` (an absolute, normalised directory path).
    public static func joined(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    /// The root as the kernel resolves it: a root given through a symbolic link (`/mnt/em` →
    /// `/data/em`) is followed once, here — the walk below it never follows links.
    public static func resolved(_ path: String) -> String {
        let p = normalise(path)
        guard let r = realpath(p, nil) else { return p }
        defer { free(r) }
        let bytes = UnsafeBufferPointer(start: r, count: strlen(r)).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "/" }
        let bytes = buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
