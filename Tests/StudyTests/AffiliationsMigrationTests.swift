import Foundation
import GRDB
import XCTest
@testable import Study

/// `article.affiliations`: filled by every rebuild of the article list, and filled once by the
/// migration that adds it (v3-bibliography-article-affiliations) for a study imported before —
/// to the same value, also for an article whose survivor record has no affiliations of its own.
final class AffiliationsMigrationTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-affiliations-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// A WoS record without C1 and a RIS record with AD lines for one DOI (WoS survives the
    /// merge, the affiliations come from RIS), and a WoS record with C1 on its own.
    func importExports(_ study: Study) throws {
        let wos = dir.appendingPathComponent("savedrecs.txt"), ris = dir.appendingPathComponent("other.ris")
        try """
        FN Clarivate Analytics Web of Science
        VR 1.0
        PT J
        AU Smith, J
        AF Smith, John
        TI Merged record without its own affiliations
        PY 2020
        DI 10.1000/merged
        UT WOS:000000000000101
        ER

        PT J
        AU Doe, A
           Roe, R
        AF Doe, Anna
           Roe, Rita
        TI A record with C1
        PY 2021
        C1 [Doe, Anna; Roe, Rita] Univ B, Lab X, Town, Country.
           [Roe, Rita] Inst C, City, Country.
        DI 10.1000/own
        UT WOS:000000000000102
        ER

        EF

        """.write(to: wos, atomically: true, encoding: .utf8)
        try """
        TY  - JOUR
        TI  - Merged record without its own affiliations
        AU  - Smith, John
        AD  - Univ A, Dept Mat, City, Country
        AD  - Univ A, Dept Mat, City, Country.
        PY  - 2020
        DO  - 10.1000/merged
        ER  - \n
        """.write(to: ris, atomically: true, encoding: .utf8)
        _ = try study.importBibliography([wos.path, ris.path])
    }

    func cells(_ study: Study) throws -> [String: String?] {
        try study.database.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, affiliations FROM article").map { ($0["id"] as String, $0["affiliations"] as String?) })
        }
    }

    func testRebuildStoresAndMigrationBackfillsTheSameAffiliations() throws {
        let study = try Study.create(at: dir, name: "T")
        try importExports(study)
        let rebuilt = try cells(study)
        XCTAssertEqual(rebuilt["doi:10.1000/merged"], "Univ A, Dept Mat, City, Country", "the merged member's, deduplicated")
        XCTAssertEqual(rebuilt["doi:10.1000/own"], "[Doe, Anna; Roe, Rita] Univ B, Lab X, Town, Country.\n[Roe, Rita] Inst C, City, Country.")

        // The same study as it was before the migration: no column, the migration not applied.
        try study.database.write { db in
            try db.execute(sql: "ALTER TABLE article DROP COLUMN affiliations")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3-bibliography-article-affiliations'")
        }
        let reopened = try Study.open(dir)
        XCTAssertEqual(Set(try reopened.appliedMigrations()), Set(StudySchema.migrator.migrations))
        XCTAssertEqual(try cells(reopened), rebuilt, "the migration fills the column as the rebuild does")

        let page = try XCTUnwrap(try reopened.reviewArticle("doi:10.1000/own"))
        XCTAssertEqual(page.affiliations, [.init(authors: ["Doe, Anna", "Roe, Rita"], address: "Univ B, Lab X, Town, Country."),
                                           .init(authors: ["Roe, Rita"], address: "Inst C, City, Country.")])
    }
}
