import Foundation
import XCTest

/// `lostdata classify FILE… --json`: records straight from export files, no study.
final class ClassifyFilesCLITests: XCTestCase {
    func testDemoExportOneLinePerRecord() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ris = CLI.packageRoot.appendingPathComponent("Fixtures/classification/demo-articles.ris").path
        // Run outside any study: the shipped rules are used and nothing is written.
        let r = try CLI.run(["classify", ris, "--json"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(lines.count, 6, "every record, the editorial too: nothing is excluded without a study")
        let byDOI = Dictionary(uniqueKeysWithValues: lines.compactMap { $0 }.map { ($0["doi"] as? String ?? "", $0) })
        XCTAssertEqual(byDOI["10.1000/il1"]?["primary"] as? String, "ionic-liquids")
        XCTAssertEqual(byDOI["10.1000/off1"]?["categories"] as? [String], ["unclassified"])
        for key in ["doi", "title", "primary", "categories", "scores", "ambiguous", "evidence"] {
            XCTAssertNotNil(byDOI["10.1000/cat1"]?[key], key)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "no study was created")
    }

    func testUnreadableFileIsNamedAndFails() throws {
        let bin = CLI.packageRoot.appendingPathComponent("Fixtures/bibliography/binary.bin").path
        let r = try CLI.run(["classify", bin, "--json"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains(bin), r.stderr)
        let ris = CLI.packageRoot.appendingPathComponent("Fixtures/classification/demo-articles.ris").path
        let partial = try CLI.run(["classify", ris, bin, "--json", "--quiet"])
        XCTAssertEqual(partial.status, 3, "records of the readable file are printed, the other is reported")
        XCTAssertEqual(partial.stdout.split(separator: "\n").count, 6)
    }

    func testRealWoSExport() throws {
        let wos = try CLI.requireShared("bibliography/wostools_bitpattern_wos_savedrecs.txt")
        let r = try CLI.run(["classify", wos.path, "--json", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 500, "one line per record (the corpus README: 500 records)")
        // A search on bit-patterned magnetic media: a large share are materials articles; the
        // accuracy itself is measured against hand labels in ClassificationQualityTests.
        let materials = lines.filter { $0.contains("\"primary\":\"materials") }.count
        XCTAssertGreaterThan(materials, 100, "\(materials) of \(lines.count)")
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("{\"id\":") && $0.contains("\"evidence\":[") })
    }
}
