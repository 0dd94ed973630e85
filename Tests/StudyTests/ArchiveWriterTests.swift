import Archive
import Foundation
import GRDB
import GRDBSQLite
import XCTest
@testable import Study

/// The archive index writer's fast paths against the behaviour they replace: 16 image rows per
/// INSERT with foreign-key checks off (and explicit deletes where cascades did the work) against
/// one row per INSERT with checks on; dates written into the statement's arena against
/// `AcquisitionDate.description`; `PreparedInsert` without `sqlite3_clear_bindings` per row.
final class ArchiveWriterTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    // MARK: - The batch writer

    /// The same batch — real records from a synthetic archive, a third of them with random field
    /// values (non-ASCII and long text, missing values, dates outside the fixed-width form) —
    /// written by the fast path and by one row at a time with foreign keys enforced gives the same
    /// index, and leaves the connection enforcing foreign keys.
    func testBatchWriteEqualsOneRowAtATimeWithForeignKeys() async throws {
        let archive = dir.appendingPathComponent("archive").path
        _ = try SyntheticArchive.write(to: archive, images: 1500, seed: 11)
        var scans: [DirectoryScan] = []
        try await ArchiveScan.walk(roots: [archive], options: ScanOptions(), knownDigests: [:]) { outcome in
            if case .fresh(let scan) = outcome { scans.append(scan) }
        }
        XCTAssertGreaterThan(scans.count, 5)
        // Directory sizes around the 16-row statement: full runs, remainders, fewer than 16.
        XCTAssertTrue(scans.contains { $0.images.count % Pending.rowsPerInsert != 0 })
        var rng = SystemRandomNumberGenerator()
        for s in scans.indices {
            for i in scans[s].images.indices where Int.random(in: 0..<3, using: &rng) == 0 {
                Self.scramble(&scans[s].images[i], using: &rng)
            }
        }
        var batch = ArchiveBatch()
        for scan in scans { batch.add(scan, root: archive, settings: 7, replaceAll: true) }
        let pending = batch.takeWork()
        XCTAssertTrue(pending.work.contains { $0.images.contains { !$0.findings.isEmpty } })

        let slow = try StudyDatabase.inMemory()
        let slowForgotten = try await slow.write { db in try pending.write(db, rowsPerInsert: 1) }
        let fast = try StudyDatabase.inMemory()
        let fastForgotten = try await fast.writeWithoutTransaction { db in try pending.writeWithoutForeignKeyChecks(db) }
        XCTAssertEqual(slowForgotten, fastForgotten)
        let expected = try await slow.read(Self.dump)
        XCTAssertEqual(expected.images.count, scans.reduce(0) { $0 + $1.images.count })
        let got = try await fast.read(Self.dump)
        assertSameRows(got.images, expected.images)
        assertSameRows(got.findings, expected.findings)
        assertSameRows(got.directories, expected.directories)
        try await fast.read { db in
            XCTAssertEqual(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"), true)
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0)
        }

        // Written again over itself (every directory known: update, delete, insert), both ways.
        let slowAgain = try await slow.write { db in try pending.write(db, rowsPerInsert: 1) }
        let fastAgain = try await fast.writeWithoutTransaction { db in try pending.writeWithoutForeignKeyChecks(db) }
        XCTAssertEqual(slowAgain, expected.images.count)
        XCTAssertEqual(fastAgain, slowAgain)
        let expectedAgain = try await slow.read(Self.dump)
        let gotAgain = try await fast.read(Self.dump)
        assertSameRows(gotAgain.images, expected.images)
        assertSameRows(gotAgain.findings, expectedAgain.findings)
        assertSameRows(gotAgain.directories, expectedAgain.directories)
    }

    /// A failing row (a duplicate image name in one directory) fails the whole batch: nothing of
    /// it is left, with 16 rows per statement (`OR FAIL`) as with one, and foreign keys are on.
    func testAFailedBatchLeavesNothing() async throws {
        let archive = dir.appendingPathComponent("archive").path
        _ = try SyntheticArchive.write(to: archive, images: 300, seed: 5)
        var scans: [DirectoryScan] = []
        try await ArchiveScan.walk(roots: [archive], options: ScanOptions(), knownDigests: [:]) { outcome in
            if case .fresh(let scan) = outcome { scans.append(scan) }
        }
        let s = try XCTUnwrap(scans.firstIndex { $0.images.count > 20 })
        scans[s].images[17].name = scans[s].images[3].name
        var batch = ArchiveBatch()
        for scan in scans { batch.add(scan, root: archive, settings: 0, replaceAll: true) }
        let pending = batch.takeWork()
        let db = try StudyDatabase.inMemory()
        do {
            _ = try await db.writeWithoutTransaction { db in try pending.writeWithoutForeignKeyChecks(db) }
            XCTFail("a duplicate name was written")
        } catch let e as DatabaseError {
            XCTAssertEqual(e.resultCode, .SQLITE_CONSTRAINT)
        }
        try await db.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archiveImage"), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archiveDirectory"), 0)
            XCTAssertEqual(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"), true)
        }
    }

    /// Deletes (a file gone, a sidecar changed, a folder dropped) were cascades and are explicit
    /// now: an index brought up to date by a rescan equals a fresh scan of the same tree, with no
    /// finding or image left without its parent.
    func testRescanAfterChangesEqualsAFreshScan() async throws {
        let archive = dir.appendingPathComponent("archive").path
        _ = try SyntheticArchive.write(to: archive, images: 1200, seed: 4)
        try Study.create(at: dir.appendingPathComponent("a"), name: "A")
        let study = try Study.open(dir.appendingPathComponent("a"))
        _ = try await study.scanArchive(roots: [archive], options: ScanOptions())

        // Images with findings of their own: delete one, change the sidecar of another.
        let withFindings = try study.archiveFindings().compactMap(\.image)
        let images = Array(Set(withFindings)).sorted()
        XCTAssertGreaterThan(images.count, 2)
        try FileManager.default.removeItem(atPath: images[0])
        let sidecar = try XCTUnwrap(try sidecarOf(images.dropFirst()))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: sidecar))
        handle.seekToEndOfFile(); handle.write(Data("X=1\r\n".utf8)); try handle.close()
        // A folder dropped, another image touched.
        let folders = try FileManager.default.subpathsOfDirectory(atPath: archive).filter { p in
            var isDir: ObjCBool = false
            return p.split(separator: "/").count == 3 && FileManager.default.fileExists(atPath: archive + "/" + p, isDirectory: &isDir) && isDir.boolValue
        }.sorted()
        XCTAssertGreaterThan(folders.count, 2)
        try FileManager.default.removeItem(atPath: archive + "/" + folders[1])
        let jpg = try XCTUnwrap(try FileManager.default.subpathsOfDirectory(atPath: archive).sorted().first { $0.hasSuffix(".jpg") })
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_400_000_000)], ofItemAtPath: archive + "/" + jpg)

        let rescan = try await study.scanArchive(roots: [archive], options: ScanOptions())
        XCTAssertGreaterThan(rescan.imagesForgotten, 1)
        try Study.create(at: dir.appendingPathComponent("b"), name: "B")
        let fresh = try Study.open(dir.appendingPathComponent("b"))
        _ = try await fresh.scanArchive(roots: [archive], options: ScanOptions())

        let got = try await study.database.read(Self.dump)
        let expected = try await fresh.database.read(Self.dump)
        assertSameRows(got.images, expected.images)
        assertSameRows(got.findings, expected.findings)
        assertSameRows(got.directories, expected.directories)
        try await study.database.read { db in
            XCTAssertEqual(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"), true)
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM archiveFinding WHERE image IS NOT NULL AND image NOT IN (SELECT id FROM archiveImage)
                """), 0)
        }
    }

    private func sidecarOf(_ images: ArraySlice<String>) throws -> String? {
        for image in images {
            let base = (image as NSString).deletingPathExtension
            for ext in ["txt", "hdr"] where FileManager.default.fileExists(atPath: base + "." + ext) { return base + "." + ext }
        }
        return nil
    }

    // MARK: - Dates

    func testISODateBytesEqualDescription() throws {
        var dates: [AcquisitionDate] = []
        for (y, mo, d, h, mi, s) in [(1900, 1, 1, 0, 0, 0), (2024, 2, 29, 23, 59, 60), (2200, 12, 31, 9, 5, 7), (1999, 10, 10, 10, 10, 10)] {
            dates.append(try XCTUnwrap(AcquisitionDate(year: y, month: mo, day: d, hour: h, minute: mi, second: s)))
        }
        // Fields are public: anything may be stored in them.
        var odd = dates[0]
        for (y, mo) in [(0, 1), (5, 1), (999, 1), (9999, 99), (10000, 1), (-1, 1), (2020, 100), (2020, -3), (Int.max, 1), (Int.min, 1)] {
            odd.year = y; odd.month = mo; dates.append(odd)
        }
        odd = dates[1]; odd.second = 100; dates.append(odd)
        odd = dates[1]; odd.hour = -1; dates.append(odd)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            var d = dates[0]
            d.year = Int.random(in: -20...10020, using: &rng); d.month = Int.random(in: -2...102, using: &rng)
            d.day = Int.random(in: -2...102, using: &rng); d.hour = Int.random(in: -2...102, using: &rng)
            d.minute = Int.random(in: -2...102, using: &rng); d.second = Int.random(in: -2...102, using: &rng)
            dates.append(d)
            dates.append(AcquisitionDate(epochSeconds: Int64.random(in: -2_208_988_800...7_258_118_400, using: &rng)))
        }
        var written: [AcquisitionDate] = []
        for d in dates {
            var reference = d.description
            let fixed = reference.withUTF8 { $0.count == 19 } && (0...9999).contains(d.year)
            XCTAssertEqual(d.hasFixedWidthISOText, fixed, "\(d)")
            guard d.hasFixedWidthISOText else { continue }
            var bytes = [UInt8](repeating: 0, count: 19)
            bytes.withUnsafeMutableBufferPointer { d.writeISOText(to: $0.baseAddress!) }
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), reference)
            written.append(d)
        }
        XCTAssertGreaterThan(written.count, 5000)
        // And as the index stores them, fixed-width or not: one column bound through the arena.
        let queue = try DatabaseQueue()
        let stored: [String] = try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT)")
            var insert = try PreparedInsert(db, sql: "INSERT INTO t (a) VALUES (?)")
            for d in dates {
                Pending.bindDate(d, to: &insert)
                try insert.execute()
            }
            return try String.fetchAll(db, sql: "SELECT a FROM t ORDER BY rowid")
        }
        XCTAssertEqual(stored, dates.map(\.description))
    }

    // MARK: - PreparedInsert

    /// Bindings are not cleared between rows: a row with a parameter left unbound is refused, and
    /// the next complete row is stored with its own values only. Text larger than the arena, empty
    /// text and text written in place are stored as given.
    func testPreparedInsertBindsEveryRowAnew() throws {
        let queue = try DatabaseQueue()
        let big = String(repeating: "é", count: 40_000)  // 80,000 bytes: past the 64 KiB arena
        let rows: [[String?]] = try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT, b TEXT, c TEXT)")
            var insert = try PreparedInsert(db, sql: "INSERT INTO t (a, b, c) VALUES (?, ?, ?)")
            insert.bind("one"); insert.bind("two"); insert.bind("three")
            try insert.execute()
            insert.bind("partial"); insert.bind("row")
            XCTAssertThrowsError(try insert.execute())
            insert.bind(big); insert.bindText(byteCount: 4) { p in for i in 0..<4 { p[i] = UInt8(ascii: "w") + UInt8(i) } }; insert.bind("")
            try insert.execute()
            insert.bind(big); insert.bind(big); insert.bindText(byteCount: 70_000) { p in p.update(repeating: UInt8(ascii: "z"), count: 70_000) }
            try insert.execute()
            insert.bind(nil as String?); insert.bind("x"); insert.bind("y")
            try insert.execute()
            return try Row.fetchAll(db, sql: "SELECT a, b, c FROM t ORDER BY rowid").map { [$0[0], $0[1], $0[2]] }
        }
        XCTAssertEqual(rows, [
            ["one", "two", "three"],
            [big, "wxyz", ""],
            [big, big, String(repeating: "z", count: 70_000)],
            [nil, "x", "y"],
        ])
    }

    // MARK: - Helpers

    /// Equal row lists; on a difference, reports the first differing row only (not both lists).
    private func assertSameRows(_ got: [String], _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        guard got != expected else { return }
        XCTAssertEqual(got.count, expected.count, "row count", file: file, line: line)
        if let i = (0..<min(got.count, expected.count)).first(where: { got[$0] != expected[$0] }) {
            XCTFail("row \(i): \(got[i])  ≠  expected \(expected[i])", file: file, line: line)
        }
    }

    private typealias Pending = ArchiveBatch.Pending

    /// Random values in a record's written fields (the walk's records are all plain ASCII).
    private static func scramble(_ r: inout ImageRecord, using rng: inout some RandomNumberGenerator) {
        func text() -> String? {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: return nil
            case 1: return ""
            case 2: return "µm Ø ß — 日本語 \u{1F52C}"
            case 3: return String(repeating: "long value ", count: Int.random(in: 100...700, using: &rng))
            default: return String((0..<Int.random(in: 1...30, using: &rng)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 32...126, using: &rng))) })
            }
        }
        func number() -> Double? { Bool.random(using: &rng) ? nil : Double.random(in: -1e12...1e12, using: &rng) }
        r.instrument = text(); r.detector = text()
        if let s = text() { r.sidecar = FileStamp(name: s, size: Int64.random(in: 0...Int64.max, using: &rng), mtimeNs: Int64.random(in: Int64.min...Int64.max, using: &rng)) } else { r.sidecar = nil }
        r.size = Int64.random(in: Int64.min...Int64.max, using: &rng)
        r.magnification = number(); r.pixelSizeNm = number(); r.fovNm = number(); r.scaleBarNm = number(); r.decadeNm = number()
        r.acceleratingVoltageV = number()
        r.widthPx = Bool.random(using: &rng) ? nil : Int.random(in: Int.min...Int.max, using: &rng)
        r.heightPx = Bool.random(using: &rng) ? nil : Int.random(in: -5...100_000, using: &rng)
        if Bool.random(using: &rng) { r.acquiredAt = nil }
        if Int.random(in: 0..<4, using: &rng) == 0 { r.date.year = Int.random(in: -5...20_000, using: &rng) }
        if Int.random(in: 0..<4, using: &rng) == 0 { r.date.month = Int.random(in: -5...200, using: &rng) }
    }

    /// The index as `bench/archive/dump-index.sh` compares it: rows without their ids (which
    /// follow the walk's order) or scan times.
    private struct Dump {
        var images: [String]
        var findings: [String]
        var directories: [String]
    }

    @Sendable private static func dump(_ db: Database) throws -> Dump {
        func rows(_ sql: String) throws -> [String] {
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { $0.isNull ? "NULL" : "\($0.storage)" }.joined(separator: "|")
            }
        }
        return Dump(
            images: try rows("""
                SELECT d.path, i.name, i.extension, i.size, i.mtimeNs, i.sidecar, i.sidecarSize, i.sidecarMtimeNs, i.metadataFormat,
                  i.metadataOrigin, i.instrument, i.instrumentOrigin, i.technique, i.detector, i.detectorClass, i.acquiredAt,
                  i.date, i.dateOrigin, i.year, i.magnification, i.pixelSizeNm, i.widthPx, i.heightPx, i.fovNm, i.fovOrigin,
                  i.scaleBarNm, i.decadeNm, i.acceleratingVoltageV, typeof(i.acquiredAt), typeof(i.date)
                FROM archiveImage i JOIN archiveDirectory d ON d.id = i.directory ORDER BY d.path, i.name
                """),
            findings: try rows("""
                SELECT d.path, d2.path, i.name, f.kind, f.path, f.line, f.message
                FROM archiveFinding f JOIN archiveDirectory d ON d.id = f.directory
                LEFT JOIN archiveImage i ON i.id = f.image LEFT JOIN archiveDirectory d2 ON d2.id = i.directory
                ORDER BY d.path, f.kind, f.path, f.message, i.name
                """),
            directories: try rows("SELECT path, root, digest, settings, unreadable, fileCount FROM archiveDirectory ORDER BY path"))
    }
}
