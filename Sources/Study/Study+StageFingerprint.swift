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

    public init(stage: String, files: [String], settings: String, upstream: [StageFingerprint] = [], hashContent: Bool = true) {
        var text = "stage \(stage)\nsettings \(settings)\n"
        for u in upstream { text += "upstream \(u.value)\n" }
        for f in files { text += Self.describe(f, hashContent: hashContent) + "\n" }
        value = SHA256.hex(Array(text.utf8))
    }

    /// A fingerprint of a value that is not a file list (a report's upstream and decisions).
    public init(stage: String, parts: [String]) {
        value = SHA256.hex(Array(("stage \(stage)\n" + parts.joined(separator: "\n")).utf8))
    }

    static func describe(_ path: String, hashContent: Bool) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "\(path) missing" }
        var line = "\(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        if hashContent, Int(info.st_size) <= hashedBytes, let data = FileManager.default.contents(atPath: path) {
            line += " " + SHA256.hex(data)
        }
        return line
    }

    /// Every directory and file below `roots` by size and modification time, for the archive:
    /// an image added, removed, replaced or touched changes it; nothing is read.
    public static func archive(roots: [String], settings: String) -> StageFingerprint {
        // Streamed into the hash, and stat'ed relative to the open directory (fstatat): building
        // one text of ~260,000 lines and looking up every full path cost most of a warm `run`.
        var hash = SHA256()
        func add(_ line: String) { hash.update(Array(line.utf8)) }
        add("stage archive\nsettings \(settings)\n")
        func walk(_ dir: String) {
            guard let d = opendir(dir) else { add("\(dir) unreadable\n"); return }
            defer { closedir(d) }
            let fd = dirfd(d)
            var entries: [(String, stat)] = []
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { raw in String(cString: raw.bindMemory(to: CChar.self).baseAddress!) }
                if name == "." || name == ".." { continue }
                var info = stat()
                if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 { info.st_mode = 0 }
                entries.append((name, info))
            }
            entries.sort { $0.0 < $1.0 }
            var lines = ""
            for (name, info) in entries {
                let path = dir == "/" ? "/" + name : dir + "/" + name
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    add(lines); lines = ""
                    walk(path)
                } else {
                    lines += "\(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\n"
                }
            }
            add(lines)
        }
        for r in roots { walk(r) }
        var f = StageFingerprint(stage: "archive", parts: [])
        f.value = "archive:" + hash.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return f
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
