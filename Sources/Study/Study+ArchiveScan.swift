import Archive
import Core
import Foundation
import GRDB

/// What `lostdata archive scan` did.
public struct ArchiveScanSummary: Sendable, Codable, Hashable {
    public var roots: [String]
    public var directories = 0
    /// Directories whose digest had not changed: nothing in them was read.
    public var unchangedDirectories = 0
    public var files = 0
    /// Images whose metadata was read in this run (new or changed).
    public var imagesRead = 0
    /// Images in the index for these roots after the scan.
    public var imagesIndexed = 0
    /// Index rows dropped because their file or directory is gone.
    public var imagesForgotten = 0
    public var directoriesForgotten = 0
    /// Findings recorded in this run, by kind (see `archive check` for all of them).
    public var findings: [String: Int] = [:]
    public var seconds = 0.0
}

extension Study {
    /// The scan settings from `study.yaml`, plus instrument folders given on the command line
    /// (those win over the study file's for the same folder).
    public func archiveScanOptions(extraInstruments: [InstrumentFolder] = []) -> ScanOptions {
        let a = file.archive
        let fromFile = a.instruments.map { InstrumentFolder(name: $0.name, technique: $0.technique, path: resolve($0.path).path) }
        return ScanOptions(instruments: extraInstruments + fromFile, legacyEncoding: a.legacyEncoding,
                           dateToleranceHours: a.dateToleranceHours)
    }

    /// The roots to scan: those given, else `archive.roots` from the study file.
    public func archiveRoots(_ given: [String]) throws -> [String] {
        let raw = given.isEmpty ? file.archive.roots.map { resolve($0).path } : given.map { ArchivePaths.normalise($0) }
        guard !raw.isEmpty else {
            throw InputError("no archive to scan: give ROOT… or set archive.roots in study.yaml",
                             file: directory.appendingPathComponent(StudyFile.fileName).path)
        }
        var roots: [String] = []
        for r in raw.map({ ArchivePaths.resolved($0) }).sorted() {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: r, isDirectory: &isDir), isDir.boolValue else {
                throw InputError("not a directory", file: r)
            }
            // A root inside another root would be walked twice.
            if roots.contains(where: { r == $0 || r.hasPrefix($0 == "/" ? "/" : $0 + "/") }) { continue }
            roots.append(r)
        }
        return roots
    }

    /// Index rows of a root that is not among `roots`: what `forgetArchiveRoots(except:)` drops.
    public struct ForgottenArchiveRoot: Sendable, Hashable {
        public var root: String
        public var directories: Int
        public var images: Int
    }

    /// Forgets the index rows of every root not among `roots` and says what they were.
    ///
    /// Why: `run` scans the roots `study.yaml` declares. A study folder that was moved (its
    /// relative `archive` root now resolves elsewhere) or a root renamed in `study.yaml` left
    /// the old root's rows in the index, and every count read the index whole: the moved demo
    /// counted 1,200 acquired images instead of 600. The study file is the declaration, so the
    /// rows of other roots go, each named in a warning; only index rows are dropped (derived
    /// data: a scan makes them again), never a file.
    public func forgetArchiveRoots(except roots: [String]) async throws -> [ForgottenArchiveRoot] {
        let keep = roots
        return try await database.write { db in
            guard try db.tableExists("archiveDirectory") else { return [] }
            let marks = databaseQuestionMarks(count: keep.count)
            let rows = try Row.fetchAll(db, sql: """
                SELECT d.root, COUNT(DISTINCT d.id), COUNT(i.id) FROM archiveDirectory d LEFT JOIN archiveImage i ON i.directory = d.id
                WHERE d.root NOT IN (\(marks)) GROUP BY d.root ORDER BY d.root
                """, arguments: StatementArguments(keep))
            var out: [ForgottenArchiveRoot] = []
            for row in rows {
                out.append(ForgottenArchiveRoot(root: row[0], directories: row[1], images: row[2]))
                try db.execute(sql: "DELETE FROM archiveDirectory WHERE root = ?", arguments: [row[0] as String])
            }
            return out
        }
    }

    /// Walks `roots` and brings the index up to date: new and changed files are read, unchanged
    /// directories are skipped by digest, vanished files and directories are forgotten. Rows reach
    /// the database in batches (one transaction each), so memory stays bounded.
    public func scanArchive(roots: [String], options: ScanOptions, progress: any ProgressReporter = SilentProgress(),
                            batchSize: Int = 16000) async throws -> ArchiveScanSummary {
        let started = Date()
        var summary = ArchiveScanSummary(roots: roots)
        let rootList = roots
        let settings = options.fingerprint
        let (known, staleSettings, expectedFiles): ([String: UInt64], Set<String>, Int) = try await database.read { db in
            var known: [String: UInt64] = [:]
            var stale = Set<String>()
            var files = 0
            let marks = databaseQuestionMarks(count: rootList.count)
            let rows = try Row.fetchCursor(db, sql: "SELECT path, digest, fileCount, settings FROM archiveDirectory WHERE root IN (\(marks))",
                                           arguments: StatementArguments(rootList))
            while let row = try rows.next() {
                known[row[0]] = UInt64(bitPattern: row[1] as Int64)
                files += row[2] as Int
                if UInt64(bitPattern: row[3] as Int64) != settings { stale.insert(row[0]) }
            }
            return (known, stale, files)
        }
        // An 8 MiB page cache for this connection (default 2 MiB): a batch's dirty pages (~5 MB
        // for 16,000 images) stay in memory until its commit instead of spilling to disk
        // mid-transaction (more syncs). It was 32 MiB: the writer then kept taking fresh memory
        // for new pages until the cache was full (~80 % of the 41 MB index), and the first touch
        // of each page — a page fault, zeroing in the kernel — cost more than re-reading the few
        // evicted pages SQLite needs again (220 `pread`s of the OS cache per full scan). 8 MiB:
        // minor faults 15,000 → 8,500, peak RSS 90 → 64 MB, writer CPU −10 ms (round-6 notes).
        try await database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -8192") }
        var batch = ArchiveBatch()
        // One batch may be written while the walk fills the next (double buffering): at most two
        // batches are in memory, and the walkers do not wait for the disk.
        var writing: Task<Int, Error>? = nil
        var seen = Set<String>()
        var unreadable: [String] = []
        func rootOf(_ path: String) -> String {
            rootList.first { path == $0 || path.hasPrefix($0 == "/" ? "/" : $0 + "/") } ?? path
        }
        try await ArchiveScan.walk(roots: roots, options: options, knownDigests: known) { outcome in
            switch outcome {
            case .unchanged(let path, let count):
                seen.insert(path)
                summary.unchangedDirectories += 1
                summary.files += count
            case .fresh(let scan):
                seen.insert(scan.path)
                if scan.unreadable { unreadable.append(scan.path) }
                summary.files += scan.fileCount
                summary.imagesRead += scan.images.count
                batch.add(scan, root: rootOf(scan.path), settings: settings, replaceAll: true)
            case .changed(let listing, let digest):
                seen.insert(listing.path)
                summary.files += listing.files.count
                if listing.unreadable { unreadable.append(listing.path) }
                if listing.unreadable {
                    // A listing that failed or stopped early says nothing about what is gone:
                    // keep what was indexed, record why it was not re-read.
                    batch.keepUnreadable(listing, root: rootOf(listing.path), settings: settings)
                    break
                }
                var reread: Set<String>? = nil  // nil: every image (the settings changed)
                if !staleSettings.contains(listing.path) {
                    try await flush(&batch, &writing, wait: true)
                    let stamps = try await knownStamps(in: listing.path)
                    var changed = Set<String>()
                    for f in listing.files where f.kind == .image {
                        let sidecar = Self.sidecarStamp(for: f.name, in: listing)
                        if stamps[f.name] != Self.stampKey(f, sidecar) { changed.insert(f.name) }
                    }
                    reread = changed
                }
                let scan = DirectoryScanner.scan(listing, options: options, reread: reread, digest: digest)
                summary.imagesRead += scan.images.count
                batch.add(scan, root: rootOf(scan.path), settings: settings, replaceAll: false)
            }
            summary.directories += 1
            progress.report(done: summary.files, total: expectedFiles > 0 ? max(expectedFiles, summary.files) : nil, unit: "files")
            if batch.size >= batchSize { try await flush(&batch, &writing, wait: false) }
        }
        try await flush(&batch, &writing, wait: true)
        progress.finish()
        for (k, v) in batch.findingCounts { summary.findings[k, default: 0] += v }
        let batchForgotten = batch.forgotten
        // Forget directories under these roots that were not met (and are not below an unreadable one).
        let seenDirs = seen, unreadableDirs = unreadable
        let finished = summary
        summary = try await database.write { db in
            var s = finished
            let marks = databaseQuestionMarks(count: rootList.count)
            let stored = try String.fetchAll(db, sql: "SELECT path FROM archiveDirectory WHERE root IN (\(marks))", arguments: StatementArguments(rootList))
            let gone = stored.filter { p in
                !seenDirs.contains(p) && !unreadableDirs.contains { p.hasPrefix($0 + "/") }
            }
            for p in gone {
                s.imagesForgotten += try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM archiveImage WHERE directory = (SELECT id FROM archiveDirectory WHERE path = ?)
                    """, arguments: [p]) ?? 0
                try db.execute(sql: "DELETE FROM archiveDirectory WHERE path = ?", arguments: [p])
            }
            s.directoriesForgotten = gone.count
            s.imagesForgotten += batchForgotten
            // When every indexed directory lies under these roots (one archive per study, the
            // usual case), a bare COUNT(*) gives the same number from the table's b-tree pages
            // (~0.2 ms for 152,097 rows) where the join by root visits every row (~3.4 ms) —
            // time spent after the walk, with one core idle.
            let elsewhere = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archiveDirectory WHERE root NOT IN (\(marks))",
                                             arguments: StatementArguments(rootList)) ?? 0
            s.imagesIndexed = try Int.fetchOne(db, sql: elsewhere == 0 ? "SELECT COUNT(*) FROM archiveImage" : """
                SELECT COUNT(*) FROM archiveImage i JOIN archiveDirectory d ON d.id = i.directory WHERE d.root IN (\(marks))
                """, arguments: elsewhere == 0 ? StatementArguments() : StatementArguments(rootList)) ?? 0
            s.seconds = Date().timeIntervalSince(started)
            let json = String(decoding: (try? JSONEncoder().encode(s)) ?? Data(), as: UTF8.self)
            try db.execute(sql: "INSERT INTO stageRun (stage, startedAt, finishedAt, summary) VALUES (?, ?, ?, ?)",
                           arguments: ["archive", started, Date(), json])
            return s
        }
        return summary
    }

    /// (name → stamp key) of the images indexed in one directory.
    private func knownStamps(in directory: String) async throws -> [String: String] {
        try await database.read { db in
            var out: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT name, size, mtimeNs, sidecar, sidecarSize, sidecarMtimeNs FROM archiveImage
                WHERE directory = (SELECT id FROM archiveDirectory WHERE path = ?)
                """,
                                           arguments: [directory])
            while let r = try rows.next() {
                out[r[0]] = "\(r[1] as Int64)/\(r[2] as Int64)/\(r[3] as String? ?? "")/\(r[4] as Int64? ?? -1)/\(r[5] as Int64? ?? -1)"
            }
            return out
        }
    }

    static func stampKey(_ f: DirectoryListing.File, _ s: DirectoryListing.File?) -> String {
        "\(f.size)/\(f.mtimeNs)/\(s?.name ?? "")/\(s?.size ?? -1)/\(s?.mtimeNs ?? -1)"
    }

    /// The sidecar the scanner would pair with image `name` (a `.txt` before a `.hdr`).
    static func sidecarStamp(for name: String, in listing: DirectoryListing) -> DirectoryListing.File? {
        let base = ArchiveFileKinds.split(name).base
        var found: DirectoryListing.File?
        for f in listing.files where f.kind == .sidecar {
            let (b, ext) = ArchiveFileKinds.split(f.name)
            guard b == base else { continue }
            if found == nil || ext == "txt" { found = f }
        }
        return found
    }

    /// Starts writing the collected work once the previous write is done; with `wait`, also waits
    /// for this write (before reading the index, and at the end).
    private func flush(_ batch: inout ArchiveBatch, _ writing: inout Task<Int, Error>?, wait: Bool) async throws {
        if let previous = writing { batch.forgotten += try await previous.value; writing = nil }
        if !batch.isEmpty {
            let pending = batch.takeWork()
            let database = self.database
            writing = Task { try await database.writeWithoutTransaction { db in try pending.writeWithoutForeignKeyChecks(db) } }
        }
        if wait, let current = writing { batch.forgotten += try await current.value; writing = nil }
    }
}
