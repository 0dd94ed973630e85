#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every open of a file or folder of the user's archive: read-only, never through a symbolic link,
/// closed on exec — and, on Linux, with `O_NOATIME`, so a scan leaves the archive's access times
/// as they were (a backup, tiering or retention policy may read them; the archive is the user's,
/// and lostdata only reads it). The kernel refuses `O_NOATIME` (EPERM) for a file the process
/// neither owns nor has CAP_FOWNER for; that file is then opened without it, as before.
enum ArchiveOpen {
    #if os(Linux)
    /// `O_NOATIME` (Glibc hides it behind `_GNU_SOURCE`); 0o1000000 on x86-64 and AArch64.
    static let noAccessTime: Int32 = 0o1000000
    #else
    static let noAccessTime: Int32 = 0
    #endif
    static let flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW

    /// A file relative to an open directory.
    @inline(__always)
    static func file(_ name: String, in dirfd: Int32) -> Int32 {
        ArchiveFileName.withCString(name) { name in
            let fd = openat(dirfd, name, flags | noAccessTime)
            if fd < 0, noAccessTime != 0, errno == EPERM { return openat(dirfd, name, flags) }
            return fd
        }
    }

    /// A file or, with `directory`, a folder by its path.
    static func path(_ path: String, directory: Bool = false) -> Int32 {
        let f = flags | (directory ? O_DIRECTORY : 0)
        return ArchiveFileName.withCString(path) { path in
            let fd = open(path, f | noAccessTime)
            if fd < 0, noAccessTime != 0, errno == EPERM { return open(path, f) }
            return fd
        }
    }
}
