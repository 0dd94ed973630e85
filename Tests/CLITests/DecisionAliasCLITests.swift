import Foundation
import XCTest

/// People's decisions follow an article when a later import changes its id: a record without a
/// DOI (id `title:…`) is excluded and its categories reviewed; then an export of the same work
/// with a DOI is imported, the two merge and the article's id becomes `doi:…`.
final class DecisionAliasCLITests: XCTestCase {
    typealias CLI = ClassificationCLITests

    func testExclusionAndCategoryDecisionsFollowTheArticleToItsNewID() throws {
        let fixtures = BibCLITests.fixtures
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("alias-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = ["--study", dir.path]
        XCTAssertEqual(try CLI.run(["init", dir.path, "-q"]).status, 0)
        XCTAssertEqual(try CLI.run(["bib", "import", "-q", fixtures.appendingPathComponent("alias_before_doi.ris").path] + s).status, 0)
        let first = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try CLI.run(["bib", "list", "--json"] + s).out.utf8)) as? [String: Any])
        let oldID = try XCTUnwrap(first["id"] as? String)
        XCTAssertTrue(oldID.hasPrefix("title:"), oldID)

        // A category decision under the old id.
        XCTAssertEqual(try CLI.run(["classify", "-q"] + s).status, 0)
        let sheet = dir.appendingPathComponent("review.csv")
        XCTAssertEqual(try CLI.run(["review", "export", sheet.path] + s).status, 0)
        let filled = try ReviewCLITests.fill(sheet, [oldID: ["catalysis/heterogeneous", "", "Ada", ""]])
        let imported = try CLI.run(["review", "import", filled.path] + s)
        XCTAssertEqual(imported.status, 0, imported.err)
        // An exclusion decision under the old id.
        XCTAssertEqual(try CLI.run(["bib", "include", oldID, "--exclude", "editorial", "--note", "a letter"] + s).status, 0)

        // The same work with a DOI: merged, and the article is now known by its DOI.
        let second = try CLI.run(["bib", "import", "--json", fixtures.appendingPathComponent("alias_with_doi.ris").path] + s)
        XCTAssertEqual(second.status, 0, second.err)
        XCTAssertFalse(second.err.contains("not applied"), second.err)
        let excluded = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try CLI.run(["bib", "list", "--excluded", "--json"] + s).out.utf8)) as? [String: Any])
        let newID = "doi:10.1016/j.micromeso.2019.02.011"
        XCTAssertEqual(excluded["id"] as? String, newID)
        XCTAssertEqual(excluded["exclusion"] as? String, "editorial", "the exclusion decision follows the record")
        let show = try CLI.run(["bib", "show", newID] + s)
        XCTAssertTrue(show.out.contains("editorial — a letter"), show.out)

        // Included again under its new id, classified again: the category decision is still there.
        XCTAssertEqual(try CLI.run(["bib", "include", newID] + s).status, 0)
        XCTAssertEqual(try CLI.run(["classify", "-q"] + s).status, 0)
        let status = try CLI.run(["review", "status", "--json"] + s)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any])
        XCTAssertEqual(root["articles"] as? Int, 1)
        XCTAssertEqual((root["reviewed"] as? Int ?? 0) + (root["disagreeing"] as? Int ?? 0), 1, status.out)
        XCTAssertEqual(root["pending"] as? Int, 0, status.out)
    }

    func testAReviewSheetExportedBeforeTheIDChangedStillImports() throws {
        let fixtures = BibCLITests.fixtures
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("alias-sheet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = ["--study", dir.path]
        XCTAssertEqual(try CLI.run(["init", dir.path, "-q"]).status, 0)
        XCTAssertEqual(try CLI.run(["bib", "import", "-q", fixtures.appendingPathComponent("alias_before_doi.ris").path] + s).status, 0)
        XCTAssertEqual(try CLI.run(["classify", "-q"] + s).status, 0)
        let sheet = dir.appendingPathComponent("review.csv")
        XCTAssertEqual(try CLI.run(["review", "export", sheet.path] + s).status, 0)
        let oldID = try XCTUnwrap(try String(contentsOf: sheet, encoding: .utf8).components(separatedBy: "\r\n")[1].components(separatedBy: ",").first)
        XCTAssertTrue(oldID.hasPrefix("title:"), oldID)
        // The id changes (a record with a DOI joins), the list is classified again, then the old sheet comes back.
        XCTAssertEqual(try CLI.run(["bib", "import", "-q", fixtures.appendingPathComponent("alias_with_doi.ris").path] + s).status, 0)
        XCTAssertEqual(try CLI.run(["classify", "-q"] + s).status, 0)
        let filled = try ReviewCLITests.fill(sheet, [oldID: ["catalysis/heterogeneous", "", "Ada", ""]])
        let imported = try CLI.run(["review", "import", filled.path] + s)
        XCTAssertEqual(imported.status, 0, imported.err)
        XCTAssertTrue(imported.err.contains("recorded 1 decision(s)"), imported.err)
        let status = try CLI.run(["review", "status", "--json"] + s)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any])
        XCTAssertEqual(root["pending"] as? Int, 0, status.out)
    }
}
