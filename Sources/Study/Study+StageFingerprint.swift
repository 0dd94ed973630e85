import Archive
import Core
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// What a stage saw: its input files (path, size, modification time, and the content's hash
/// when the file is small enough to hash cheaply), its settings, and the fingerprints of the
/// stages it reads from. Two runs with equal fingerprints would compute the same thing, so
/// `lostdata run` skips the second.
public struct StageFingerprint: Hashable, Sendable {
    public private(set) var value: String

    /// Files up to this size also contribute their content: a file rewritten with the same size
    /// within one mtime tick still changes the fingerprint. Larger files (an archive's images)
    /// go by size and time, as `make` and `rsync` do.
    static let hashedBytes = 4 << 20

    /// `hashes` remembers each file's content hash by its stat (see `FileHashCache`): an unchanged
    /// file is not read again.
    public init(stage: String, files: [String], settings: String, upstream: [StageFingerprint] = [], hashContent: Bool = true,
                hashes: FileHashCache? = nil) {
        var text = "stage \(stage)\nsettings \(settings)\n"
        for u in upstream { text += "upstream \(u.value)\n" }
        for f in files { text += Self.describe(f, hashContent: hashContent, hashes: hashes) + "\n" }
        value = SHA256.hex(Array(text.utf8))
    }

    /// A fingerprint of a value that is not a file list (a report's upstream and decisions).
    public init(stage: String, parts: [String]) {
        value = SHA256.hex(Array(("stage \(stage)\n" + parts.joined(separator: "\n")).utf8))
    }

    static func describe(_ path: String, hashContent: Bool, hashes: FileHashCache?) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "\(path) missing" }
        var line = "\(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        if hashContent, Int(info.st_size) <= hashedBytes {
            let key = FileHashCache.Key(info)
            if let known = hashes?.hash(of: path, key: key) {
                line += " " + known
            } else if let data = FileManager.default.contents(atPath: path) {
                let sha = SHA256.hex(data)
                hashes?.remember(path, key: key, sha256: sha)
                line += " " + sha
            }
        }
        return line
    }

    /// Every directory and file below `roots` by size, modification and change time and inode,
    /// for the archive: an image added, removed, replaced, rewritten or touched changes it;
    /// nothing is read. The digest is a Merkle tree (a directory's digest hashes its entries' stat
    /// and its subdirectories' digests), so the subtrees of the upper levels are walked in
    /// parallel on every core and still combine in one fixed order.
    public static func archive(roots: [String], settings: String) -> StageFingerprint {
        var hash = SHA256()
        hash.update(Array("stage archive\nsettings \(settings)\n".utf8))
        for r in roots {
            hash.update(Array(r.utf8) + [0])
            hash.update(ArchiveTreeDigest.digest(of: r, parallelLevels: 2))
        }
        var f = StageFingerprint(stage: "archive", parts: [])
        f.value = "archive:" + SHA256.hexString(hash.finalize())
        return f
    }
}

/// The archive fingerprint's walk: opendir/readdir and fstatat relative to the open directory
/// (looking up ~260,000 full paths cost most of a warm `run`), names and stat fields hashed as
/// raw bytes rather than formatted text.
enum ArchiveTreeDigest {
    static func digest(of dir: String, parallelLevels: Int) -> [UInt8] {
        var hash = SHA256()
        guard let d = ArchiveFileName.withCString(dir, { opendir($0) }) else {
            hash.update(Array("unreadable".utf8))
            return hash.finalize()
        }
        let fd = dirfd(d)
        // Only the fields hashed are kept (56 bytes, not the 144 of a `stat`), and the sort moves
        // indices: sorting whole (name, stat) pairs was a tenth of a warm run (memmove).
        typealias Fields = (Int64, Int64, Int64, Int64, Int64, Int64, Int64)
        var names: [[UInt8]] = []
        var fieldsOf: [Fields] = []
        var subdirectories: [[UInt8]] = []
        while let e = readdir(d) {
            // stat straight from the dirent's name (no copy, no allocation per file).
            var info = stat()
            let name: [UInt8]? = withUnsafeBytes(of: &e.pointee.d_name) { raw in
                let p = raw.bindMemory(to: UInt8.self)
                let n = p.firstIndex(of: 0) ?? p.count
                if (n == 1 && p[0] == 46) || (n == 2 && p[0] == 46 && p[1] == 46) { return nil }
                let c = raw.bindMemory(to: CChar.self)
                if fstatat(fd, c.baseAddress!, &info, AT_SYMLINK_NOFOLLOW) != 0 { info = stat() }
                return Array(p[0..<n])
            }
            guard let name else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR { subdirectories.append(name); continue }
            // Size, mtime and ctime to the nanosecond, inode and mode: a copy over the file (new
            // inode, new ctime) shows even when it keeps the size and the mtime.
            names.append(name)
            fieldsOf.append((Int64(info.st_size), Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec),
                             Int64(info.st_ctim.tv_sec), Int64(info.st_ctim.tv_nsec), Int64(bitPattern: UInt64(info.st_ino)),
                             Int64(info.st_mode)))
        }
        closedir(d)
        let order = names.indices.sorted { names[$0].lexicographicallyPrecedes(names[$1]) }
        subdirectories.sort { $0.lexicographicallyPrecedes($1) }
        for i in order {
            var fields = fieldsOf[i]
            names[i].withUnsafeBytes { hash.update(raw: $0) }
            var separator: UInt8 = 0
            withUnsafeBytes(of: &separator) { hash.update(raw: $0) }
            withUnsafeBytes(of: &fields) { hash.update(raw: $0) }
        }
        // Names that are not UTF-8 stay bytes (`ArchiveFileName`): a repaired name is no folder.
        let paths = subdirectories.map { dir == "/" ? "/" + ArchiveFileName.decode($0) : dir + "/" + ArchiveFileName.decode($0) }
        let digests: [[UInt8]]
        if parallelLevels > 0, paths.count > 1 {
            let slots = DigestSlots(paths.count)
            DispatchQueue.concurrentPerform(iterations: paths.count) { i in
                slots.set(i, digest(of: paths[i], parallelLevels: parallelLevels - 1))
            }
            digests = slots.values
        } else {
            digests = paths.map { digest(of: $0, parallelLevels: 0) }
        }
        for (name, sub) in zip(subdirectories, digests) {
            hash.update(name + [47, 0])
            hash.update(sub)
        }
        return hash.finalize()
    }

    /// Results of the parallel walk, one slot per subdirectory.
    final class DigestSlots: @unchecked Sendable {
        private var slots: [[UInt8]]
        private let lock = NSLock()
        init(_ n: Int) { slots = Array(repeating: [], count: n) }
        func set(_ i: Int, _ v: [UInt8]) { lock.lock(); slots[i] = v; lock.unlock() }
        var values: [[UInt8]] { lock.lock(); defer { lock.unlock() }; return slots }
    }
}

extension Study {
    /// The fingerprint recorded on the newest run of `stage`, nil when that run recorded none
    /// (it was started by a single command) or the stage never ran.
    /// With it, the rejections that run recorded.
    public func lastFingerprint(of stage: String) throws -> (fingerprint: String, rejections: [String])? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT fingerprint, rejections FROM stageRun WHERE stage = ? ORDER BY id DESC LIMIT 1",
                                             arguments: [stage]),
                  let fp: String = row[0] else { return nil }
            let json: String? = row[1]
            let list = json.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
            return (fp, list)
        }
    }

    /// The fingerprint of the newest run of `stage` that `lostdata run` made, passing over runs of
    /// single commands since; nil when `run` never ran the stage.
    public func lastFingerprintOfRun(of stage: String) throws -> String? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT fingerprint FROM stageRun WHERE stage = ? AND fingerprint IS NOT NULL ORDER BY id DESC LIMIT 1",
                                arguments: [stage])
        }
    }

    /// Marks the newest run of `stage` as having seen `fingerprint`; a stage that stored nothing
    /// (no input files, or the report, which lives outside the database) gets a row of its own.
    public func recordFingerprint(_ fingerprint: StageFingerprint, of stage: String, startedAt: Date, summary: String?,
                                  rejections: [String] = []) throws {
        let rejected = String(decoding: try JSONEncoder().encode(rejections), as: UTF8.self)
        try database.write { db in
            let newest = try Int64.fetchOne(db, sql: "SELECT id FROM stageRun WHERE stage = ? AND startedAt >= ? ORDER BY id DESC LIMIT 1",
                                            arguments: [stage, startedAt])
            if let newest {
                try db.execute(sql: "UPDATE stageRun SET fingerprint = ?, rejections = ? WHERE id = ?",
                               arguments: [fingerprint.value, rejected, newest])
            } else {
                try db.execute(sql: "INSERT INTO stageRun (stage, startedAt, finishedAt, summary, fingerprint, rejections) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [stage, startedAt, Date(), summary, fingerprint.value, rejected])
            }
        }
    }

    /// Decisions people recorded (count and newest id): a new decision changes what the report
    /// shows without any stage running.
    public func decisionsFingerprint() throws -> String {
        try database.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), MAX(id) FROM decision")
            return "decisions \(row?[0] as Int? ?? 0) \(row?[1] as Int64? ?? 0)"
        }
    }
}
