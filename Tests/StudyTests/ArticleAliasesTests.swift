import Foundation
import GRDB
import XCTest
@testable import Study

/// How a decision's article id is resolved to a current article (`ArticleAliases`).
final class ArticleAliasesTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-aliases-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testCurrentIdsAliasesAmbiguityAndOrphans() throws {
        let study = try Study.create(at: dir)
        try study.database.write { db in
            for id in ["doi:10.1/a", "doi:10.1/b"] {
                try db.execute(sql: "INSERT INTO article (id, sourceCount) VALUES (?, 1)", arguments: [id])
                try db.execute(sql: "INSERT INTO articleAlias (alias, articleId) VALUES (?, ?)", arguments: [id, id])
            }
            // eid:1 now belongs to article a; title:t to both (ambiguous).
            try db.execute(sql: "INSERT INTO articleAlias (alias, articleId) VALUES ('eid:1', 'doi:10.1/a'), ('title:t', 'doi:10.1/a'), ('title:t', 'doi:10.1/b')")
            func decide(_ id: String, _ value: String, _ seconds: Double) throws {
                try db.execute(sql: "INSERT INTO decision (subject, kind, value, author, decidedAt) VALUES (?, 'exclusion', ?, 'me', ?)",
                               arguments: ["article:" + id, value, Date(timeIntervalSince1970: seconds)])
            }
            try decide("eid:1", "review", 1)         // made under the old id of a
            try decide("doi:10.1/a", "include", 2)    // newer, under the current id: wins
            try decide("doi:10.1/b", "editorial", 3)
            try decide("title:t", "erratum", 4)       // ambiguous: not applied
            try decide("eid:gone", "review", 5)      // no article holds it
        }
        try study.database.read { db in
            let aliases = try ArticleAliases(db)
            XCTAssertEqual(aliases.resolve("doi:10.1/a"), "doi:10.1/a")
            XCTAssertEqual(aliases.resolve("eid:1"), "doi:10.1/a")
            XCTAssertNil(aliases.resolve("title:t"))
            XCTAssertNil(aliases.resolve("eid:gone"))
            let (decisions, orphaned) = try Study.latestExclusionDecisions(db)
            XCTAssertEqual(decisions, ["doi:10.1/a": "include", "doi:10.1/b": "editorial"])
            XCTAssertEqual(orphaned, ["title:t", "eid:gone"])
        }
    }
}
