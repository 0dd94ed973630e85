import Foundation
import XCTest

/// `lostdata figures …` end to end, through the built executable.
final class FiguresCLITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Fixtures/jats")
    static let corpus = root.appendingPathComponent("../shared/corpora/jats").standardizedFileURL

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    func lostdata(_ args: [String]) throws -> Run {
        let r = try CLI.run(args)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    func sqlite(_ db: URL, _ sql: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("sqlite3 is not installed") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [db.path, sql]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: o, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func corpus(_ name: String) throws -> String {
        let path = Self.corpus.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("../shared is absent: \(path)") }
        return path
    }

    func testCountJSONOneObjectPerArticleWithTheDocumentedKeys() throws {
        let run = try lostdata(["figures", "count", "--json", Self.fixtures.appendingPathComponent("articleset.xml").path,
                                Self.fixtures.appendingPathComponent("traps.xml").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, "two articles in the set, one in traps.xml")
        let first = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(Set(first.keys), ["file", "doi", "figures", "emFigures", "emPanels", "byTechnique", "supplementary",
                                         "lowerBound", "reused", "flags", "scaleBarsNm"])
        XCTAssertTrue(lines[0].hasPrefix("{\"file\":"), "keys in documented order")
        XCTAssertEqual(first["doi"] as? String, "10.1234/set.one")
        XCTAssertEqual(first["emPanels"] as? Int, 2)
        XCTAssertEqual(first["byTechnique"] as? [String: Int], ["SEM": 1, "TEM": 1, "STEM": 0])
        let traps = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any])
        XCTAssertEqual(traps["doi"] as? String, "10.1234/traps", "DOI normalised from a resolver URL")
        XCTAssertEqual(traps["lowerBound"] as? Bool, true)
        XCTAssertEqual(traps["reused"] as? Int, 1)
        XCTAssertEqual(traps["scaleBarsNm"] as? [Double], [50, 5, 200])
        let supplementary = try XCTUnwrap(traps["supplementary"] as? [String: Any])
        XCTAssertEqual(supplementary["items"] as? Int, 0)
    }

    func testDirectoriesAreSearchedAndBadFilesRejectedWithExitStatus3() throws {
        let run = try lostdata(["figures", "count", "--json", Self.fixtures.path, "/nonexistent/dir"])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.contains("lostdata: error: \(Self.fixtures.appendingPathComponent("malformed.xml").path):4: not well-formed XML"), run.stderr)
        XCTAssertTrue(run.stderr.contains("billion-laughs.xml:14:"), run.stderr)
        XCTAssertTrue(run.stderr.contains("not-jats.xml: no <article>"), run.stderr)
        XCTAssertTrue(run.stderr.contains("/nonexistent/dir: no such file or directory"), run.stderr)
        // articleset (2) + external-entity + structure + traps + with-supplement + supplements/sup1.
        XCTAssertEqual(run.stdout.split(separator: "\n").count, 7)
        // With --supplement, the supplement's own file is part of its article, not an article.
        let withSupplement = try lostdata(["figures", "count", "--json", "--supplement", Self.fixtures.appendingPathComponent("supplements").path,
                                           Self.fixtures.path])
        XCTAssertEqual(withSupplement.stdout.split(separator: "\n").count, 6)
    }

    func testSupplementOptionAndEvidence() throws {
        let run = try lostdata(["figures", "count", "--json", "--evidence", "--supplement", Self.fixtures.appendingPathComponent("supplements").path,
                                Self.fixtures.appendingPathComponent("with-supplement.xml").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let supplementary = try XCTUnwrap(obj["supplementary"] as? [String: Any])
        XCTAssertEqual(supplementary["emPanels"] as? Int, 4)
        XCTAssertEqual(supplementary["uncounted"] as? Int, 1)
        let evidence = try XCTUnwrap(obj["evidence"] as? [[String: Any]])
        XCTAssertEqual(evidence.count, 5)
        XCTAssertEqual(evidence.first?["words"] as? String, "SEM")
        XCTAssertEqual(evidence.filter { $0["supplementary"] as? Bool == true }.count, 4)
    }

    func testTrimOutliersSummaryLine() throws {
        let run = try lostdata(["figures", "count", "--json", "--trim-outliers", "3", Self.fixtures.appendingPathComponent("structure.xml").path,
                                Self.fixtures.appendingPathComponent("articleset.xml").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let last = try XCTUnwrap(run.stdout.split(separator: "\n").last)
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let outliers = try XCTUnwrap(obj["outliers"] as? [String: Any])
        XCTAssertEqual(outliers["threshold"] as? Int, 3)
        XCTAssertEqual((outliers["trimmed"] as? [[String: Any]])?.map { $0["images"] as? Int }, [10])
        XCTAssertEqual((outliers["before"] as? [String: Any])?["images"] as? Int, 12)
        XCTAssertEqual((outliers["after"] as? [String: Any])?["articles"] as? Int, 2)
    }

    func testShowExplainsEachPanel() throws {
        let run = try lostdata(["figures", "show", try corpus("nanomaterials_PMC6163276.xml")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("(b)           SEM            \"FESEM\" in own text"), run.stdout)
        XCTAssertTrue(run.stdout.contains("(c)           not an image   \"energy dispersive\" in own text"), run.stdout)
        XCTAssertTrue(run.stdout.contains("(d)           not an image   \"histograms\" in own text"), run.stdout)
    }

    func testImportLinksByDOIStoresBaselineAndFeedsTable1() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("figures-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try lostdata(["init", dir.path]).status, 0)
        try """
        name: "Figures CLI test"
        sources:
          - name: Own
            techniques: [SEM, TEM]
            acquired: {SEM: 1000, TEM: 500}
            articles: figures
          - name: Peers
            techniques: [SEM, STEM, TEM]
            acquired: none
            articles: figures
        figures:
          outlierThreshold: 5
        """.write(to: dir.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("study.sqlite")
        // The bibliography holds one of the article set's two DOIs.
        let bib = try lostdata(["bib", "import", "--study", dir.path, Self.fixtures.appendingPathComponent("bibliography.ris").path])
        XCTAssertEqual(bib.status, 0, bib.stderr)

        let own = try lostdata(["figures", "import", "--study", dir.path, Self.fixtures.appendingPathComponent("articleset.xml").path])
        XCTAssertEqual(own.status, 0, own.stderr)
        XCTAssertTrue(own.stderr.contains("no bibliography record for DOI 10.1234/set.two"), own.stderr)
        let peers = try lostdata(["figures", "import", "--study", dir.path, "--baseline", "Peers",
                                  Self.fixtures.appendingPathComponent("structure.xml").path, Self.fixtures.appendingPathComponent("malformed.xml").path])
        XCTAssertEqual(peers.status, 3, "malformed.xml rejected, structure.xml stored")
        XCTAssertTrue(peers.stderr.contains("more than 5 EM images"), peers.stderr)

        XCTAssertEqual(try sqlite(db, "SELECT doi, articleId, coalesce(baseline,'-'), semImages, stemImages, temImages FROM figureCount ORDER BY doi"),
                       """
                       10.1234/fixture.structure||Peers|6|1|3
                       10.1234/set.one|doi:10.1234/set.one|-|1|0|1
                       10.1234/set.two||-|0|0|0
                       """)
        // Importing again replaces, never duplicates.
        XCTAssertEqual(try lostdata(["figures", "import", "--study", dir.path, Self.fixtures.appendingPathComponent("articleset.xml").path]).status, 0)
        XCTAssertEqual(try sqlite(db, "SELECT count(*) FROM figureCount"), "3")

        let table = try lostdata(["table1", "--study", dir.path, "--json"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(table.stdout.utf8)) as? [String: Any])
        let sources = try XCTUnwrap(obj["sources"] as? [[String: Any]])
        func images(_ source: Int, _ technique: String) -> Int? {
            (sources[source]["columns"] as? [[String: Any]])?.first { $0["technique"] as? String == technique }?["images"] as? Int
        }
        XCTAssertEqual(images(0, "SEM"), 1)
        XCTAssertEqual(images(0, "TEM"), 1)
        XCTAssertEqual(images(1, "SEM"), 6)
        XCTAssertEqual(images(1, "STEM"), 1)
        XCTAssertEqual(images(1, "TOTAL"), 10)
    }

    func testStudyFileFiguresSection() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("figures-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try lostdata(["init", dir.path]).status, 0)
        let yaml = dir.appendingPathComponent("study.yaml")
        let sources = """
        name: "Settings"
        sources:
          - name: Own
            techniques: [SEM, TEM]
            acquired: none
            articles: figures
        """
        try (sources + "\nfigures:\n  outlierThreshold: -1\n").write(to: yaml, atomically: true, encoding: .utf8)
        let bad = try lostdata(["figures", "import", "--study", dir.path, Self.fixtures.appendingPathComponent("traps.xml").path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("study.yaml:8: 'outlierThreshold' must be a whole number ≥ 0"), bad.stderr)

        // `supplements:` is used when --supplement is not given.
        try (sources + "\nfigures:\n  supplements: \(Self.fixtures.appendingPathComponent("supplements").path)\n")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let run = try lostdata(["figures", "import", "--study", dir.path, Self.fixtures.appendingPathComponent("with-supplement.xml").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try sqlite(dir.appendingPathComponent("study.sqlite"), "SELECT temImages, supplementImages, uncountedSupplements FROM figureCount"),
                       "4|4|1")
    }

    func testUsageErrors() throws {
        XCTAssertEqual(try lostdata(["figures", "count"]).status, 2)
        XCTAssertEqual(try lostdata(["figures", "count", "--trim-outliers", "-1", "x.xml"]).status, 2)
        // MB × 1,048,576 overflowed an Int and trapped; now a usage error.
        for mb in ["0", "9999999999999", "1048577"] {
            XCTAssertEqual(try lostdata(["figures", "count", "--max-file-mb", mb, "x.xml"]).status, 2, mb)
        }
    }
}
