import Foundation
import XCTest

/// Table 1 from what the stages stored: figure counts joined with the bibliography's exclusions.
final class Table1FromStagesCLITests: XCTestCase {
    func testExcludedArticlesFiguresDoNotCountUntilIncluded() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let study = dir.path
        let jats = CLI.packageRoot.appendingPathComponent("Fixtures/jats")
        XCTAssertEqual(try CLI.run(["init", study, "-q"]).status, 0)
        try "name: t\nsources:\n  - {name: Own, techniques: [SEM, STEM, TEM], acquired: {SEM: 1000, STEM: 100, TEM: 1000}, articles: figures}\n"
            .write(to: dir.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        // Figures first, bibliography second: the exclusion is found by DOI at Table 1 time.
        let figures = try CLI.run(["figures", "import", "--study", study, "-q",
                                   jats.appendingPathComponent("structure.xml").path, jats.appendingPathComponent("articleset.xml").path])
        XCTAssertEqual(figures.status, 0, figures.stderr)
        let before = try CLI.run(["table1", "--study", study, "--format", "csv"])
        XCTAssertTrue(before.stdout.contains("Number of published images,7,1,4,12"), before.stdout)

        let bib = try CLI.run(["bib", "import", "--study", study, "-q", jats.appendingPathComponent("review-record.ris").path])
        XCTAssertEqual(bib.status, 0, bib.stderr)
        let excluded = try CLI.run(["table1", "--study", study, "--format", "csv"])
        XCTAssertEqual(excluded.status, 0, excluded.stderr)
        XCTAssertTrue(excluded.stdout.contains("Number of published images,1,0,1,2"), excluded.stdout)
        XCTAssertTrue(excluded.stderr.contains("1 article(s) with figure counts are excluded in the bibliography and left out: doi:10.1234/fixture.structure (review)"),
                      excluded.stderr)

        // A person undoes the exclusion: the figures count again.
        XCTAssertEqual(try CLI.run(["bib", "include", "--study", study, "-q", "10.1234/fixture.structure"]).status, 0)
        let included = try CLI.run(["table1", "--study", study, "--format", "csv"])
        XCTAssertTrue(included.stdout.contains("Number of published images,7,1,4,12"), included.stdout)
    }
}
