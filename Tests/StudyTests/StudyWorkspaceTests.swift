import Core
import Foundation
import GRDB
import Ledger
import XCTest
@testable import Study

final class StudyWorkspaceTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-study-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testCreateWritesBothFilesAndMigratesAnEmptyDatabase() throws {
        let study = try Study.create(at: dir, name: "T")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("study.yaml").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("study.sqlite").path))
        let applied = try study.appliedMigrations()
        XCTAssertEqual(applied.first, "v1-core")
        XCTAssertEqual(Set(applied), Set(StudySchema.migrator.migrations))
        try study.database.read { db in
            XCTAssertTrue(try db.tableExists("decision"))
            XCTAssertTrue(try db.tableExists("stageRun"))
        }
    }

    func testReopeningKeepsDataAndDoesNotMigrateAgain() throws {
        let study = try Study.create(at: dir)
        try study.database.write { db in
            try db.execute(sql: "INSERT INTO decision (subject, kind, value, author, decidedAt) VALUES ('article:x', 'category', 'catalysis', 'me', ?)", arguments: [Date()])
        }
        let again = try Study.open(dir)
        XCTAssertEqual(try again.appliedMigrations(), try study.appliedMigrations())
        XCTAssertEqual(try again.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM decision") }, 1)
    }

    func testCreateRefusesAnExistingStudy() throws {
        try Study.create(at: dir)
        XCTAssertThrowsError(try Study.create(at: dir)) { e in
            XCTAssertTrue("\(e)".contains("already exists"))
        }
    }

    func testOpenWithoutStudyFileNamesTheFile() {
        XCTAssertThrowsError(try Study.open(dir)) { e in
            XCTAssertEqual((e as? InputError)?.location.file, dir.appendingPathComponent("study.yaml").path)
        }
    }

    func testStageRunIsAllOrNothing() throws {
        let study = try Study.create(at: dir)
        struct Boom: Error {}
        XCTAssertThrowsError(try study.runStage("test") { db -> (Int, summary: String?) in
            try db.execute(sql: "INSERT INTO decision (subject, kind, value, author, decidedAt) VALUES ('a', 'k', 'v', 'me', ?)", arguments: [Date()])
            throw Boom()
        })
        XCTAssertEqual(try study.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM decision") }, 0)
        XCTAssertEqual(try study.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM stageRun") }, 0)
        let n = try study.runStage("test") { _ in (7, summary: "ok") }
        XCTAssertEqual(n, 7)
        XCTAssertEqual(try study.database.read { try String.fetchOne($0, sql: "SELECT stage FROM stageRun") }, "test")
    }

    func testTable1FromTheBundledPaperStudy() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../corpora/lost-data-2024").standardized
        let study = try Study.open(corpus)
        let result = try study.table1()
        XCTAssertEqual(result.rejected, [])
        XCTAssertEqual(result.table.sources.map(\.total.articles), [292, 200])
        XCTAssertEqual(result.table.sources[0].total.lostPercent?.description, "97.65")
        let trimmed = try study.table1(trimOutliers: 50)
        XCTAssertEqual(trimmed.table.sources[0].total.images, 1853)
    }

    func testDeclaredCSVWithBadRowsIsPartial() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "name: t\nsources:\n  - {name: F, techniques: [SEM], acquired: {SEM: 100}, articles: counts.csv}\n"
            .write(to: dir.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        try "id,SEM\na,5\nb,five\n".write(to: dir.appendingPathComponent("counts.csv"), atomically: true, encoding: .utf8)
        let result = try Study.open(dir).table1()
        XCTAssertEqual(result.rejected.map(\.location.line), [3])
        XCTAssertEqual(result.table.sources[0].total.images, 5)
        XCTAssertEqual(result.table.sources[0].total.publishedPercent?.description, "5.00")
    }
}
