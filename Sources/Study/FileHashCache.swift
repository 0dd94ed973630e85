import Core
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Content hashes of `lostdata run`'s input files (exports, JATS, rules) from earlier runs, each
/// with what `stat` said when it was hashed: size, modification and change time to the
/// nanosecond, inode and device. A file whose stat is unchanged is not read again — reading and
/// hashing ~40 MB of exports and full texts was a fifth of a warm run (issue 14).
///
/// Why that is safe: any write changes the change time (ctime), which no user command can set
/// back, and a file replaced by another (an editor's save, `cp`, `rsync`) gets a new inode. The
/// one blind spot is a rewrite within the same clock tick as the hashing: so a hash is only
/// remembered when the file's times are at least `settledSeconds` older than the hashing (git's
/// "racy clean" rule); a file changed just before a run is hashed again next time.
public final class FileHashCache {
    public struct Key: Hashable, Sendable {
        var size: Int64, mtimeNs: Int64, ctimeNs: Int64, inode: Int64, device: Int64

        init(size: Int64, mtimeNs: Int64, ctimeNs: Int64, inode: Int64, device: Int64) {
            (self.size, self.mtimeNs, self.ctimeNs, self.inode, self.device) = (size, mtimeNs, ctimeNs, inode, device)
        }

        init(_ info: stat) {
            size = Int64(info.st_size)
            mtimeNs = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            ctimeNs = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
            inode = Int64(bitPattern: UInt64(info.st_ino))
            device = Int64(bitPattern: UInt64(info.st_dev))
        }
    }

    static let settledSeconds: Int64 = 2

    private var known: [String: (Key, String)]
    private var fresh: [String: (Key, String)] = [:]
    private var used = Set<String>()
    private let now: Int64

    public init(known: [String: (Key, String)] = [:], now: Date = Date()) {
        self.known = known
        self.now = Int64(now.timeIntervalSince1970 * 1e9)
    }

    /// The remembered hash of `path` if its stat is still `key`.
    func hash(of path: String, key: Key) -> String? {
        guard let (k, sha) = known[path], k == key else { return nil }
        used.insert(path)
        return sha
    }

    func remember(_ path: String, key: Key, sha256: String) {
        used.insert(path)
        if max(key.mtimeNs, key.ctimeNs) <= now - Self.settledSeconds * 1_000_000_000 {
            fresh[path] = (key, sha256)
        }
    }

    /// Hashes computed this run that can be kept (settled files).
    var newEntries: [String: (Key, String)] { fresh }
    /// What was remembered when the run started (tests).
    var knownForTesting: [String: (Key, String)] { known }
    /// Remembered files no fingerprint asked for this run (removed from the study's inputs).
    var unused: [String] { known.keys.filter { !used.contains($0) } }
}

extension Study {
    /// The content hashes recorded by earlier runs.
    public func fileHashCache() throws -> FileHashCache {
        let known = try database.read { db -> [String: (FileHashCache.Key, String)] in
            var out: [String: (FileHashCache.Key, String)] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT path, size, mtimeNs, ctimeNs, inode, device, sha256 FROM fileHash") {
                out[r[0]] = (FileHashCache.Key(size: r[1], mtimeNs: r[2], ctimeNs: r[3], inode: r[4], device: r[5]), r[6])
            }
            return out
        }
        return FileHashCache(known: known)
    }

    /// Records the hashes computed this run and forgets files no longer asked for; writes nothing
    /// when nothing changed (a warm run stays read-only up to here).
    public func saveFileHashes(_ cache: FileHashCache) throws {
        let add = cache.newEntries, drop = cache.unused
        guard !add.isEmpty || !drop.isEmpty else { return }
        try database.write { db in
            for path in drop { try db.execute(sql: "DELETE FROM fileHash WHERE path = ?", arguments: [path]) }
            for (path, (k, sha)) in add {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO fileHash (path, size, mtimeNs, ctimeNs, inode, device, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [path, k.size, k.mtimeNs, k.ctimeNs, k.inode, k.device, sha])
            }
        }
    }
}
