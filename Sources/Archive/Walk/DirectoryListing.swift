#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
/// What `fdopendir` returns (`DIR` is opaque in Glibc's Swift import).
typealias DirectoryStream = OpaquePointer
#else
typealias DirectoryStream = UnsafeMutablePointer<DIR>
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
        guard let dir = listing.openDirectory() else { return listing }
        defer { closedir(dir) }
        _ = listing.readEntries(dir, statAll: true)
        return listing
    }

    /// Opens the directory for `readEntries`; nil (and the listing marked unreadable, with its
    /// finding) when it cannot be opened.
    mutating func openDirectory() -> DirectoryStream? {
        let fd = ArchiveOpen.path(path, directory: true)
        guard fd >= 0 else {
            unreadable = true
            findings.append(ArchiveFinding(.unreadable, path: path, "cannot open the directory: \(Self.errorText(errno))"))
            return nil
        }
        guard let dir = fdopendir(fd) else {
            close(fd)
            unreadable = true
            findings.append(ArchiveFinding(.unreadable, path: path, "cannot list the directory: \(Self.errorText(errno))"))
            return nil
        }
        return dir
    }

    /// Reads the entries of `dir` (opened by `openDirectory`). With `statAll` false, images and
    /// sidecars whose type `readdir` reported are not stat'ed: their size and mtime stay
    /// `unstatted` and their indices in `files` are returned, for the caller to fill in — from
    /// `fstat` on a descriptor it opens anyway, or with `statByName(_:in:)`.
    mutating func readEntries(_ dir: DirectoryStream, statAll: Bool) -> [Int] {
        let fd = dirfd(dir)
        let path = self.path
        let prefix = path == "/" ? "/" : path + "/"
        var pending: [Int] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 {
                    unreadable = true
                    findings.append(ArchiveFinding(.unreadable, path: path, "listing stopped early: \(Self.errorText(errno))"))
                }
                break
            }
            var type = entry.pointee.d_type
            // Bytes as they are, also when they are not UTF-8 (`ArchiveFileName`).
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                ArchiveFileName.decode(raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            var st = stat()
            var statted = false
            if type == EntryType.unknown {
                guard ArchiveFileName.withCString(name, { fstatat(fd, $0, &st, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                    findings.append(ArchiveFinding(.unreadable, path: prefix + name, "cannot stat: \(Self.errorText(errno))"))
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
                subdirectories.append(prefix + name)
            case EntryType.symlink:
                findings.append(ArchiveFinding(.symlink, path: prefix + name, "symbolic link, not followed"))
            case EntryType.regular:
                let kind = ArchiveFileKinds.kind(ofName: name)
                if kind == .other {
                    files.append(File(name: name, kind: .other, size: 0, mtimeNs: 0))
                    continue
                }
                if !statted {
                    if !statAll {
                        pending.append(files.count)
                        files.append(File(name: name, kind: kind, size: Self.unstatted, mtimeNs: Self.unstatted))
                        continue
                    }
                    guard ArchiveFileName.withCString(name, { fstatat(fd, $0, &st, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                        findings.append(ArchiveFinding(.unreadable, path: prefix + name, "cannot stat: \(Self.errorText(errno))"))
                        continue
                    }
                }
                files.append(File(name: name, kind: kind, size: Int64(st.st_size), mtimeNs: Self.mtimeNs(st)))
            default:
                findings.append(ArchiveFinding(.ignored, path: prefix + name, "not a regular file (device, socket or pipe)"))
            }
        }
        return pending
    }

    /// Size and mtime of a file `readEntries(_:statAll: false)` left for later.
    static let unstatted: Int64 = -1

    static func mtimeNs(_ st: stat) -> Int64 {
        Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }

    /// Fills in the size and mtime of `files[index]` from `st`.
    mutating func setStat(_ index: Int, _ st: stat) {
        files[index].size = Int64(st.st_size)
        files[index].mtimeNs = Self.mtimeNs(st)
    }

    /// `fstatat` of `files[index]` by name, as `readEntries(_:statAll: true)` does; false when it fails.
    mutating func statByName(_ index: Int, in dirfd: Int32) -> Bool {
        var st = stat()
        guard ArchiveFileName.withCString(files[index].name, { fstatat(dirfd, $0, &st, AT_SYMLINK_NOFOLLOW) }) == 0 else { return false }
        setStat(index, st)
        return true
    }

    /// A digest of what decides the directory's index rows: names, sizes and mtimes of images and
    /// sidecars, names of other files, and the scan settings.
    public func digest(settings: UInt64) -> UInt64 {
        // A sum of per-entry hashes does not depend on readdir's order, so nothing is sorted.
        var sum: UInt64 = settings
        // The names' bytes are hashed in place: `add(String)` went through `String.UTF8View` one
        // byte at a time, and `for f in files` copied each `File` (a retain and release of its name).
        files.withUnsafeBufferPointer { files in
            for k in files.indices {
                var h = FNV1a()
                if files[k].name.utf8.withContiguousStorageIfAvailable({ h.add($0) }) == nil { h.add(files[k].name) }
                h.add(files[k].size); h.add(files[k].mtimeNs)
                sum &+= Self.mix(h.value)
            }
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
        guard expectedSize <= limit else { return tooLarge(expectedSize) }
        let fd = dirfd >= 0 && name != nil ? ArchiveOpen.file(name!, in: dirfd) : ArchiveOpen.path(path)
        guard fd >= 0 else { return cannotOpen(errno) }
        defer { close(fd) }
        return readAll(fd, expectedSize: expectedSize)
    }

    static func tooLarge(_ size: Int64) -> Result<[UInt8], MetadataProblem> {
        .failure(.unparseable("\(size) bytes is too large for a metadata file"))
    }

    static func cannotOpen(_ code: Int32) -> Result<[UInt8], MetadataProblem> {
        .failure(.unparseable("cannot open: \(DirectoryListing.errorText(code))"))
    }

    /// `readAll` into `buffer`, which is then the file's bytes — reused from file to file: its
    /// storage is kept (only the bytes past its current count are zeroed), so there is no
    /// allocation and free per sidecar once it has grown, as long as the last caller let go of it.
    static func readAll(_ fd: Int32, expectedSize: Int64, into buffer: inout [UInt8]) -> Result<[UInt8], MetadataProblem> {
        let want = Int(expectedSize) + 1
        if buffer.count < want { buffer.append(contentsOf: repeatElement(0, count: want - buffer.count)) }
        var got = 0
        while got < want {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, want - got) }
            if n < 0 { return .failure(.unparseable("cannot read: \(DirectoryListing.errorText(errno))")) }
            if n == 0 { break }
            got += n
            if got == Int(expectedSize) { break }
        }
        buffer.removeLast(buffer.count - got)
        return .success(buffer)
    }

    /// Reads an open file of `expectedSize` bytes (at most `limit`: the caller checks) to its end.
    static func readAll(_ fd: Int32, expectedSize: Int64) -> Result<[UInt8], MetadataProblem> {
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
