#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One directory's entries, read with `readdir` and its `d_type` — `stat` only for images and
/// sidecars (their size and mtime key the index) and for entries whose type the file system does
/// not report. Symbolic links are never followed: no loops, nothing counted twice.
public struct DirectoryListing: Sendable {
    public struct File: Sendable, Hashable {
        public var name: String
        public var kind: ArchiveFileKinds.Kind
        /// Size and mtime; zero for ignored files (not stat'ed).
        public var size: Int64
        public var mtimeNs: Int64
    }

    public var path: String
    public var files: [File] = []
    public var subdirectories: [String] = []
    /// Symlinks, unreadable entries and special files.
    public var findings: [ArchiveFinding] = []
    /// The directory itself could not be opened or read to the end.
    public var unreadable = false

    /// `d_type` values (dirent.h).
    enum EntryType {
        static let unknown: UInt8 = 0, directory: UInt8 = 4, regular: UInt8 = 8, symlink: UInt8 = 10
    }

    /// Lists `path`. Never throws: what cannot be read becomes a finding.
    public static func read(_ path: String) -> DirectoryListing {
        var listing = DirectoryListing(path: path)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            listing.unreadable = true
            listing.findings.append(ArchiveFinding(.unreadable, path: path, "cannot open the directory: \(errorText(errno))"))
            return listing
        }
        guard let dir = fdopendir(fd) else {
            close(fd)
            listing.unreadable = true
            listing.findings.append(ArchiveFinding(.unreadable, path: path, "cannot list the directory: \(errorText(errno))"))
            return listing
        }
        defer { closedir(dir) }
        let prefix = path == "/" ? "/" : path + "/"
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 {
                    listing.unreadable = true
                    listing.findings.append(ArchiveFinding(.unreadable, path: path, "listing stopped early: \(errorText(errno))"))
                }
                break
            }
            var type = entry.pointee.d_type
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            var st = stat()
            var statted = false
            if type == EntryType.unknown {
                guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
                    listing.findings.append(ArchiveFinding(.unreadable, path: prefix + name, "cannot stat: \(errorText(errno))"))
                    continue
                }
                statted = true
                switch st.st_mode & S_IFMT {
                case S_IFDIR: type = EntryType.directory
                case S_IFREG: type = EntryType.regular
                case S_IFLNK: type = EntryType.symlink
                default: type = 255
                }
            }
            switch type {
            case EntryType.directory:
                listing.subdirectories.append(prefix + name)
            case EntryType.symlink:
                listing.findings.append(ArchiveFinding(.symlink, path: prefix + name, "symbolic link, not followed"))
            case EntryType.regular:
                let kind = ArchiveFileKinds.kind(ofName: name)
                if kind == .other {
                    listing.files.append(File(name: name, kind: .other, size: 0, mtimeNs: 0))
                    continue
                }
                if !statted {
                    guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
                        listing.findings.append(ArchiveFinding(.unreadable, path: prefix + name, "cannot stat: \(errorText(errno))"))
                        continue
                    }
                }
                listing.files.append(File(name: name, kind: kind, size: Int64(st.st_size),
                                          mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)))
            default:
                listing.findings.append(ArchiveFinding(.ignored, path: prefix + name, "not a regular file (device, socket or pipe)"))
            }
        }
        return listing
    }

    /// A digest of what decides the directory's index rows: names, sizes and mtimes of images and
    /// sidecars, names of other files, and the scan settings.
    public func digest(settings: UInt64) -> UInt64 {
        // A sum of per-entry hashes does not depend on readdir's order, so nothing is sorted.
        var sum: UInt64 = settings
        for f in files {
            var h = FNV1a()
            h.add(f.name); h.add(f.size); h.add(f.mtimeNs)
            sum &+= Self.mix(h.value)
        }
        for f in findings {
            var h = FNV1a()
            h.add(f.path); h.add(f.kind.rawValue)
            sum &+= Self.mix(h.value)
        }
        return Self.mix(sum ^ UInt64(files.count &+ findings.count << 32))
    }

    /// SplitMix64's finaliser: spreads the bits so that sums of hashes do not collide by accident.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E3779B97F4A7C15
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// Reads small files whole (sidecars), refusing anything larger than a metadata file can be.
enum SmallFile {
    static let limit = 4 << 20

    /// Opens `name` relative to `dirfd` when one is given (cheaper than resolving `path`).
    static func load(_ path: String, name: String? = nil, in dirfd: Int32 = -1, expectedSize: Int64) -> Result<[UInt8], MetadataProblem> {
        guard expectedSize <= limit else { return .failure(.unparseable("\(expectedSize) bytes is too large for a metadata file")) }
        let fd = dirfd >= 0 && name != nil ? openat(dirfd, name!, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return .failure(.unparseable("cannot open: \(DirectoryListing.errorText(errno))")) }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: Int(expectedSize) + 1)
        var got = 0
        while got < out.count {
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 { return .failure(.unparseable("cannot read: \(DirectoryListing.errorText(errno))")) }
            if n == 0 { break }
            got += n
            // A short read that brought the file to the size `stat` gave is its end: no second
            // `read` to hear it say 0 (one system call less per sidecar).
            if got == Int(expectedSize) { break }
        }
        out.removeSubrange(got...)
        return .success(out)
    }
}
