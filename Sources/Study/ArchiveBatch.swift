import Archive
import Foundation
import GRDB

/// Index work collected from the walk and written in one transaction per batch, with cached
/// (prepared) statements.
struct ArchiveBatch: Sendable {
    struct DirectoryWork: Sendable {
        var path: String
        var root: String
        var digest: UInt64
        var settings: UInt64
        var unreadable: Bool
        var fileCount: Int
        /// A fresh directory: every image row is replaced.
        var replaceAll: Bool
        /// An unreadable directory: its image rows are kept as they were.
        var keepImages: Bool
        var imageNames: [String]
        var images: [ImageRecord]
        var listingFindings: [ArchiveFinding]
    }

    private(set) var work: [DirectoryWork] = []
    private(set) var size = 0
    var forgotten = 0
    private(set) var findingCounts: [String: Int] = [:]

    var isEmpty: Bool { work.isEmpty }

    mutating func add(_ scan: DirectoryScan, root: String, settings: UInt64, replaceAll: Bool) {
        work.append(DirectoryWork(path: scan.path, root: root, digest: scan.digest, settings: settings, unreadable: scan.unreadable,
                                  fileCount: scan.fileCount, replaceAll: replaceAll, keepImages: false,
                                  imageNames: scan.imageNames, images: scan.images, listingFindings: scan.listingFindings))
        size += scan.images.count + scan.listingFindings.count + 1
        for f in scan.listingFindings { findingCounts[f.kind.rawValue, default: 0] += 1 }
        for i in scan.images { for f in i.findings { findingCounts[f.kind.rawValue, default: 0] += 1 } }
    }

    mutating func keepUnreadable(_ listing: DirectoryListing, root: String, settings: UInt64) {
        work.append(DirectoryWork(path: listing.path, root: root, digest: 0, settings: settings, unreadable: true, fileCount: 0,
                                  replaceAll: false, keepImages: true, imageNames: [], images: [],
                                  listingFindings: listing.findings))
        size += 1
        for f in listing.findings { findingCounts[f.kind.rawValue, default: 0] += 1 }
    }

    /// Hands over the collected work and empties the batch (counts are kept).
    mutating func takeWork() -> Pending {
        defer { work = []; size = 0 }
        return Pending(work: work, scannedAt: Date())
    }

    struct Pending: Sendable {
        var work: [DirectoryWork]
        var scannedAt: Date

        /// Writes the work in one transaction with foreign-key enforcement off; returns how many
        /// image rows were forgotten. Call outside a transaction (`writeWithoutTransaction`):
        /// `PRAGMA foreign_keys` cannot change inside one.
        ///
        /// Why: with enforcement on, every image insert looked its directory up, every finding
        /// insert its directory and its image (a cursor opened, a seek, a close — per row), and
        /// every image delete searched the findings for rows to cascade to. The writer knows its
        /// keys — directory ids come from the directory rows it has just written, image ids from
        /// the inserts — and `write` deletes explicitly what the cascades deleted (see there), so
        /// the index is the same (`compare-index.sh`, `ArchiveWriterTests`). The connection's
        /// setting is restored afterwards, whatever happens.
        func writeWithoutForeignKeyChecks(_ db: Database) throws -> Int {
            let enforced = try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false
            if enforced { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
            defer { if enforced { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
            var forgotten = 0
            try db.inTransaction {
                forgotten = try write(db)
                return .commit
            }
            return forgotten
        }

        /// Writes the work; returns how many image rows were forgotten. Deletes spell out what
        /// `ON DELETE CASCADE` would add, so the result does not depend on foreign-key
        /// enforcement (`writeWithoutForeignKeyChecks`).
        /// `rowsPerInsert` is a parameter for the tests, which compare it with one row at a time.
        func write(_ db: Database, rowsPerInsert: Int = Pending.rowsPerInsert) throws -> Int {
            precondition(rowsPerInsert >= 1)
            var forgotten = 0
            // The directory row is looked up, then inserted or updated — not one `INSERT … ON
            // CONFLICT DO UPDATE … RETURNING`: SQLite runs an upsert with a statement journal,
            // and for each of the 1,827 directories of a full scan it copied the directory
            // table's and its two indexes' pages (three 16 KiB pages, as pages were then) into a
            // temporary file — ~3,400 `pwrite`s and 55 MB of copies per full scan, more than the
            // index itself (41 MB).
            // A plain one-row INSERT, or an UPDATE by rowid, needs no statement journal.
            let findDirectory = try db.cachedStatement(sql: "SELECT id FROM archiveDirectory WHERE path = ?")
            let insertDirectory = try db.cachedStatement(sql: """
                INSERT INTO archiveDirectory (path, root, digest, settings, unreadable, fileCount, scannedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            let updateDirectory = try db.cachedStatement(sql: """
                UPDATE archiveDirectory SET root = ?, digest = ?, settings = ?, unreadable = ?, fileCount = ?, scannedAt = ?
                WHERE id = ?
                """)
            // One conversion of the batch's time, not one per directory.
            let scannedAt = scannedAt.databaseValue
            let deleteImages = try db.cachedStatement(sql: "DELETE FROM archiveImage WHERE directory = ?")
            let deleteImage = try db.cachedStatement(sql: "DELETE FROM archiveImage WHERE id = ?")
            // What the cascade of `deleteImage` deleted. (`deleteImages` needs none: an image's
            // findings carry its directory, and `deleteAllFindings` follows it.)
            let deleteImageFindings = try db.cachedStatement(sql: "DELETE FROM archiveFinding WHERE image = ?")
            let deleteListingFindings = try db.cachedStatement(sql: "DELETE FROM archiveFinding WHERE directory = ? AND image IS NULL")
            let deleteAllFindings = try db.cachedStatement(sql: "DELETE FROM archiveFinding WHERE directory = ?")
            var insertFinding = try PreparedInsert(db, sql: "INSERT INTO archiveFinding (directory, image, kind, path, line, message) VALUES (?, ?, ?, ?, ?, ?)")
            var insertImage = try PreparedInsert(db, sql: """
                INSERT INTO archiveImage (directory, name, extension, size, mtimeNs, sidecar, sidecarSize, sidecarMtimeNs,
                  metadataFormat, metadataOrigin, instrument, instrumentOrigin, technique, detector, detectorClass,
                  acquiredAt, date, dateOrigin, year, magnification, pixelSizeNm, widthPx, heightPx, fovNm, fovOrigin,
                  scaleBarNm, decadeNm, acceleratingVoltageV)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            // The same, `rowsPerInsert` rows at a time (see `Pending.rowsPerInsert`).
            var insertImages = try PreparedInsert(db, sql: """
                INSERT OR FAIL INTO archiveImage (directory, name, extension, size, mtimeNs, sidecar, sidecarSize, sidecarMtimeNs,
                  metadataFormat, metadataOrigin, instrument, instrumentOrigin, technique, detector, detectorClass,
                  acquiredAt, date, dateOrigin, year, magnification, pixelSizeNm, widthPx, heightPx, fovNm, fovOrigin,
                  scaleBarNm, decadeNm, acceleratingVoltageV)
                VALUES \(Array(repeating: "(" + Array(repeating: "?", count: 28).joined(separator: ", ") + ")", count: rowsPerInsert).joined(separator: ", "))
                """)
            // SQLite numbers a new row max(rowid) + 1 — unless the largest is Int64.max, then it
            // picks unused ids at random. Only then, rows are inserted one at a time.
            let largestID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM archiveImage") ?? 0
            let consecutiveIDs = largestID < Int64.max - Int64(1 << 40)
            func insertFindings(of record: ImageRecord, directory: Int64, image: Int64) throws {
                for f in record.findings {
                    Self.bind(f, directory: directory, image: image, to: &insertFinding)
                    try insertFinding.execute()
                }
            }
            for w in work {
                let directory: Int64, isNew: Bool
                if let id = try Int64.fetchOne(findDirectory, arguments: [w.path]) {
                    (directory, isNew) = (id, false)
                    try updateDirectory.execute(arguments: [
                        w.root, Int64(bitPattern: w.digest), Int64(bitPattern: w.settings), w.unreadable, w.fileCount, scannedAt, id,
                    ])
                } else {
                    try insertDirectory.execute(arguments: [
                        w.path, w.root, Int64(bitPattern: w.digest), Int64(bitPattern: w.settings), w.unreadable, w.fileCount, scannedAt,
                    ])
                    (directory, isNew) = (db.lastInsertedRowID, true)
                }
                if isNew {
                    // A directory row made just now: no image or finding can point at its id
                    // (foreign keys: rows of a deleted directory were deleted with it), so there
                    // is nothing to delete — two statements fewer per directory of a full scan.
                } else if w.keepImages {
                    try deleteListingFindings.execute(arguments: [directory])
                } else if w.replaceAll {
                    try deleteImages.execute(arguments: [directory])
                    forgotten += db.changesCount
                    try deleteAllFindings.execute(arguments: [directory])
                } else {
                    let present = Set(w.imageNames)
                    let reread = Set(w.images.map(\.name))
                    let stored = try Row.fetchAll(db, sql: "SELECT id, name FROM archiveImage WHERE directory = ?", arguments: [directory])
                    for row in stored {
                        let (id, name): (Int64, String) = (row[0], row[1])
                        let gone = !present.contains(name)
                        guard gone || reread.contains(name) else { continue }
                        try deleteImageFindings.execute(arguments: [id])
                        try deleteImage.execute(arguments: [id])
                        if gone { forgotten += 1 }
                    }
                    try deleteListingFindings.execute(arguments: [directory])
                }
                // Records are read in place through a pointer: passing `w.images[i]` (or looping
                // `for r in w.images`) copies each one — a retain and a release of every string
                // in it, ~2 % of a full scan.
                try w.images.withUnsafeBufferPointer { images in
                    guard let first = images.baseAddress else { return }
                    var i = 0
                    while i < images.count {
                        if rowsPerInsert > 1, consecutiveIDs, images.count - i >= rowsPerInsert {
                            for k in 0..<rowsPerInsert { Self.bind(first + i + k, directory: directory, to: &insertImages) }
                            try insertImages.execute()
                            // The rows of one INSERT get consecutive rowids (each is the table's
                            // largest + 1 while that is below the maximum: `consecutiveIDs`), the
                            // last one reported by `sqlite3_last_insert_rowid`.
                            let last = insertImages.lastInsertedRowID
                            for k in 0..<rowsPerInsert where !images[i + k].findings.isEmpty {
                                try insertFindings(of: images[i + k], directory: directory, image: last - Int64(rowsPerInsert - 1 - k))
                            }
                            i += rowsPerInsert
                        } else {
                            Self.bind(first + i, directory: directory, to: &insertImage)
                            try insertImage.execute()
                            if !images[i].findings.isEmpty {
                                try insertFindings(of: images[i], directory: directory, image: insertImage.lastInsertedRowID)
                            }
                            i += 1
                        }
                    }
                }
                for f in w.listingFindings {
                    Self.bind(f, directory: directory, image: nil, to: &insertFinding)
                    try insertFinding.execute()
                }
            }
            return forgotten
        }

        /// Image rows per INSERT statement for a directory's full runs (the rest go one by one).
        ///
        /// Each run of a statement has a fixed cost besides its rows — `sqlite3_step`'s setup,
        /// opening and closing the table's and the unique index's cursors, `sqlite3VdbeHalt`,
        /// `sqlite3_reset` — about a third of SQLite's time per one-row INSERT. 16 rows a
        /// statement: writer thread ~300 → ~258 ms of CPU per full scan (8 and 32 gave 267).
        /// `OR FAIL` because a multi-row INSERT whose constraint failure aborts (the default)
        /// makes SQLite keep a statement journal — a copy of every page the statement touches —
        /// to undo the rows already inserted; with FAIL they stay, the error is thrown anyway
        /// and the batch's transaction is rolled back as a whole, as before.
        static let rowsPerInsert = 16

        /// The 28 columns of `archiveImage` (all but `id`), in the order of the INSERT above, bound
        /// straight from the record (no intermediate array of values: see `PreparedInsert`).
        static func bind(_ record: UnsafePointer<ImageRecord>, directory: Int64, to s: inout PreparedInsert) {
            s.bind(directory); s.bind(record.pointee.name); s.bind(record.pointee.fileExtension); s.bind(record.pointee.size); s.bind(record.pointee.mtimeNs)
            s.bind(record.pointee.sidecar?.name); s.bind(record.pointee.sidecar?.size); s.bind(record.pointee.sidecar?.mtimeNs)
            s.bind(record.pointee.metadataFormat?.rawValue); s.bind(record.pointee.metadataOrigin?.rawValue); s.bind(record.pointee.instrument); s.bind(record.pointee.instrumentOrigin?.rawValue)
            s.bind(record.pointee.technique?.rawValue); s.bind(record.pointee.detector); s.bind(record.pointee.detectorClass?.rawValue)
            if let a = record.pointee.acquiredAt { bindDate(a, to: &s) } else { s.bindNull() }
            bindDate(record.pointee.date, to: &s)
            s.bind(record.pointee.dateOrigin.rawValue); s.bind(record.pointee.year)
            s.bind(record.pointee.magnification); s.bind(record.pointee.pixelSizeNm); s.bind(record.pointee.widthPx); s.bind(record.pointee.heightPx); s.bind(record.pointee.fovNm); s.bind(record.pointee.fovOrigin?.rawValue)
            s.bind(record.pointee.scaleBarNm); s.bind(record.pointee.decadeNm); s.bind(record.pointee.acceleratingVoltageV)
        }

        /// A date as `description` gives it, written straight into the statement's arena.
        static func bindDate(_ d: AcquisitionDate, to s: inout PreparedInsert) {
            if d.hasFixedWidthISOText { s.bindText(byteCount: 19) { d.writeISOText(to: $0) } } else { s.bind(d.description) }
        }

        static func bind(_ f: ArchiveFinding, directory: Int64, image: Int64?, to s: inout PreparedInsert) {
            s.bind(directory); s.bind(image); s.bind(f.kind.rawValue); s.bind(f.path); s.bind(f.line); s.bind(f.message)
        }
    }
}
