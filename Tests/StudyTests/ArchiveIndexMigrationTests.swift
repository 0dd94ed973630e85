import Archive
import Foundation
import GRDB
import XCTest
@testable import Study

/// Migration v2 of the archive index (integer keys): a study indexed with v1 opens, its archive
/// tables are rebuilt empty in the new shape, everything else is kept, and a scan fills them again.
final class ArchiveIndexMigrationTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-migration-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testAV1IndexIsRebuiltInTheNewShapeAndScannedAgain() async throws {
        try Study.create(at: dir, name: "T")
        let sqlite = dir.appendingPathComponent("study.sqlite").path
        try FileManager.default.removeItem(atPath: sqlite)
        // A database as v1 left it: an indexed image and a person's decision.
        do {
            let queue = try DatabaseQueue(path: sqlite)
            try StudySchema.migrator.migrate(queue, upTo: "v1-archive")
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO archiveDirectory (path, root, digest, scannedAt) VALUES ('/a', '/a', 1, ?)", arguments: [Date()])
                try db.execute(sql: """
                    INSERT INTO archiveImage (path, directory, name, extension, size, mtimeNs, date, dateOrigin, year)
                    VALUES ('/a/x.tif', '/a', 'x.tif', 'tif', 1, 1, '2020-01-01T00:00:00', 'mtime', 2020)
                    """)
                try db.execute(sql: "INSERT INTO decision (subject, kind, value, author, decidedAt) VALUES ('article:x', 'category', 'catalysis', 'me', ?)", arguments: [Date()])
            }
        }
        let study = try Study.open(dir)
        XCTAssertEqual(Set(try study.appliedMigrations()), Set(StudySchema.migrator.migrations))
        try await study.database.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archiveImage"), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archiveDirectory"), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM decision"), 1)
            let columns = try db.columns(in: "archiveImage").map(\.name)
            XCTAssertFalse(columns.contains("path"))
            XCTAssertEqual(columns.prefix(3), ["id", "directory", "name"])
        }

        let archive = dir.appendingPathComponent("archive").path
        let manifest = try SyntheticArchive.write(to: archive, images: 400, seed: 3)
        let summary = try await study.scanArchive(roots: [archive], options: ScanOptions())
        XCTAssertEqual(summary.imagesIndexed, manifest.images)
        try await study.database.read { db in
            // Paths come back whole through the view, one per image, each under its directory.
            let paths = try String.fetchAll(db, sql: "SELECT path FROM archiveImageFile")
            XCTAssertEqual(paths.count, manifest.images)
            XCTAssertEqual(Set(paths).count, paths.count)
            XCTAssertTrue(paths.allSatisfy { $0.hasPrefix(archive + "/") })
            let mismatched = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM archiveImageFile WHERE path != directoryPath || '/' || name
                """)
            XCTAssertEqual(mismatched, 0)
        }
        // Image findings point at an image row (and die with it); listing findings at none.
        let findings = try study.archiveFindings()
        XCTAssertTrue(findings.contains { $0.image != nil })
        XCTAssertTrue(findings.allSatisfy { f in f.image.map { $0.hasPrefix(archive + "/") } ?? true })
    }
}
