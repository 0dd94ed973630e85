import Foundation
import XCTest

/// `lostdata archive …` end to end, through the built executable (`swift build` first).
final class ArchiveCLITests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    @discardableResult
    func lostdata(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let r = try CLI.run(args)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-archive-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func jsonLines(_ s: String) throws -> [[String: Any]] {
        try s.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// A synthetic archive, a study, and the scan arguments the manifest's folder map gives.
    func prepare(images: Int = 900) throws -> (archive: String, study: String, manifest: [String: Any], instruments: [String]) {
        let tmp = try temporaryDirectory()
        let archive = tmp + "/archive", study = tmp + "/study"
        let synth = try lostdata(["archive", "synth", archive, "--images", String(images), "--seed", "42", "--json"])
        XCTAssertEqual(synth.status, 0, synth.stderr)
        let manifest = try JSONSerialization.jsonObject(with: Data(synth.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(try lostdata(["init", study, "-q"]).status, 0)
        let instruments = (manifest["instruments"] as! [[String: String]]).flatMap {
            ["--instrument", "\($0["name"]!)=\($0["technique"]!):\(archive)/\($0["path"]!)"]
        }
        return (archive, study, manifest, instruments)
    }

    func testScanCountGroupByAndIncrementalRescan() throws {
        let (archive, study, manifest, instruments) = try prepare()
        let before = try snapshot(archive)
        let scan = try lostdata(["archive", "scan", archive, "--study", study, "--json"] + instruments)
        let hasDamage = (manifest["truncatedSidecars"] as! Int) + (manifest["unparseableSidecars"] as! Int) + (manifest["truncatedTIFFs"] as! Int) > 0
        XCTAssertEqual(scan.status, hasDamage ? 3 : 0, scan.stderr)
        let summary = try jsonLines(scan.stdout)[0]
        XCTAssertEqual(summary["imagesIndexed"] as? Int, manifest["images"] as? Int)
        XCTAssertEqual(summary["files"] as? Int, manifest["files"] as? Int)
        XCTAssertEqual(try snapshot(archive), before, "scan must not write into the archive")

        // Sequential filtering and sorting into bins agree with what was written.
        let byTechnique = manifest["byTechnique"] as! [String: Int]
        for (t, n) in byTechnique {
            let c = try lostdata(["archive", "count", "--technique", t, "--json", "--study", study])
            XCTAssertEqual(try jsonLines(c.stdout)[0]["images"] as? Int, n, t)
        }
        let bins = try jsonLines(try lostdata(["archive", "group-by", "year", "technique", "--json", "--study", study]).stdout)
        var byYear: [String: [String: Int]] = [:]
        for b in bins { byYear[String(b["year"] as! Int), default: [:]][b["technique"] as! String] = b["images"] as? Int }
        XCTAssertEqual(byYear, manifest["byYear"] as! [String: [String: Int]])
        let decades = try jsonLines(try lostdata(["archive", "group-by", "decade", "--json", "--study", study]).stdout)
        XCTAssertTrue(decades.contains { $0["decade"] is NSNull }, "images without FOV bin under null")
        XCTAssertTrue(decades.contains { ($0["decade"] as? Int) == 10 })
        let (y, t) = (bins[0]["year"] as! Int, bins[0]["technique"] as! String)
        let filtered = try lostdata(["archive", "count", "--year", String(y), "--technique", t, "--json", "--study", study])
        XCTAssertEqual(try jsonLines(filtered.stdout)[0]["images"] as? Int, bins[0]["images"] as? Int)

        // A rescan with nothing changed reads nothing.
        let again = try jsonLines(try lostdata(["archive", "scan", archive, "--study", study, "--json"] + instruments).stdout)[0]
        XCTAssertEqual(again["imagesRead"] as? Int, 0)
        XCTAssertEqual(again["unchangedDirectories"] as? Int, again["directories"] as? Int)

        // New, changed and deleted files: only those are read; the deleted one is forgotten.
        let dir = try firstDirectory(withSidecarsUnder: archive)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let sidecars = names.filter { $0.hasSuffix(".txt") && !$0.hasPrefix("deleted_") }
        let imageOf = { (s: String) in names.first { $0 != s && $0.hasPrefix(String(s.dropLast(4)) + ".") }! }
        let (victim, touched) = (imageOf(sidecars[0]), sidecars[1])
        try FileManager.default.removeItem(atPath: dir + "/" + victim)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: dir + "/" + touched)
        try FileManager.default.copyItem(atPath: dir + "/" + sidecars[2], toPath: dir + "/new_image.txt")
        try Data([0xFF, 0xD8, 0xFF, 0xD9]).write(to: URL(fileURLWithPath: dir + "/new_image.jpg"))
        try FileManager.default.createDirectory(atPath: archive + "/HT7700/new-folder", withIntermediateDirectories: true)
        try Data([0xFF, 0xD8, 0xFF, 0xD9]).write(to: URL(fileURLWithPath: archive + "/HT7700/new-folder/a.jpg"))
        let third = try jsonLines(try lostdata(["archive", "scan", archive, "--study", study, "--json"] + instruments).stdout)[0]
        XCTAssertEqual(third["imagesRead"] as? Int, 3)           // the touched pair, the new pair, the new folder's image
        XCTAssertEqual(third["imagesForgotten"] as? Int, 1)
        XCTAssertEqual(third["imagesIndexed"] as? Int, (manifest["images"] as! Int) + 1)
        XCTAssertEqual(third["directories"] as? Int, (again["directories"] as! Int) + 1)
        XCTAssertEqual(third["unchangedDirectories"] as? Int, (again["directories"] as! Int) - 1)  // only `dir` changed

        // A deleted folder is forgotten with its images.
        try FileManager.default.removeItem(atPath: archive + "/HT7700/new-folder")
        let fourth = try jsonLines(try lostdata(["archive", "scan", archive, "--study", study, "--json"] + instruments).stdout)[0]
        XCTAssertEqual(fourth["directoriesForgotten"] as? Int, 1)
        XCTAssertEqual(fourth["imagesIndexed"] as? Int, manifest["images"] as? Int)

        // Table 1 takes the facility's acquired counts from the index, STEM folded into SEM.
        let table = try lostdata(["table1", "--study", study, "--format", "csv"])
        let semPlusStem = (byTechnique["SEM"] ?? 0) + (byTechnique["STEM"] ?? 0) - 1 + 1  // one SEM image deleted, one added
        let acquired = table.stdout.split(separator: "\n").first { $0.hasPrefix("Number of acquired images") }
        XCTAssertEqual(acquired.map(String.init), "Number of acquired images,\(semPlusStem),\(byTechnique["TEM"] ?? 0),\(semPlusStem + (byTechnique["TEM"] ?? 0))", table.stdout)
    }

    func testCheckListsEveryKindWithItsPath() throws {
        let (archive, study, manifest, instruments) = try prepare(images: 600)
        try lostdata(["archive", "scan", archive, "--study", study, "-q"] + instruments)
        let summary = try jsonLines(try lostdata(["archive", "check", "--json", "--summary", "--study", study]).stdout)
        var counts: [String: Int] = [:]
        for s in summary { counts[s["kind"] as! String] = s["count"] as? Int }
        XCTAssertEqual(counts["orphan-sidecar"], manifest["orphanSidecars"] as? Int)
        XCTAssertEqual(counts["ignored"], manifest["ignoredFiles"] as? Int)
        XCTAssertEqual(counts["no-metadata"], manifest["withoutMetadata"] as? Int)
        XCTAssertEqual(counts["image-name-mismatch"], manifest["renamed"] as? Int)
        XCTAssertEqual(counts["date-mismatch"], manifest["dateMismatches"] as? Int)
        let orphans = try jsonLines(try lostdata(["archive", "check", "--json", "--kind", "orphan-sidecar", "--study", study]).stdout)
        XCTAssertEqual(orphans.count, manifest["orphanSidecars"] as? Int)
        for o in orphans { XCTAssertTrue(FileManager.default.fileExists(atPath: o["path"] as! String)) }
    }

    func testInspectRealFileAndUsageErrors() throws {
        let sample = Self.packageRoot.appendingPathComponent("../shared/corpora/em/tiff/test_tiff_Zeiss_SEM_1k.tif").standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: sample) else { throw XCTSkip("../shared is absent: \(sample)") }
        let r = try lostdata(["archive", "inspect", sample, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try jsonLines(r.stdout)[0]
        for key in ["instrument", "date", "detector", "detectorClass", "technique", "magnification", "pixelSizeNm", "widthPx", "heightPx", "fovNm", "acceleratingVoltageV"] {
            XCTAssertNotNil(o[key], key)
        }
        XCTAssertEqual(o["instrument"] as? String, "Merlin")
        XCTAssertEqual(o["magnification"] as? Int, 105)
        XCTAssertEqual(o["acceleratingVoltageV"] as? Int, 25000)
        XCTAssertEqual(try lostdata(["archive", "inspect", "/nonexistent/x.tif"]).status, 1)
        let tmp = try temporaryDirectory()
        XCTAssertEqual(try lostdata(["init", tmp + "/s", "-q"]).status, 0)
        XCTAssertEqual(try lostdata(["archive", "group-by", "colour", "--study", tmp + "/s"]).status, 2)
        XCTAssertEqual(try lostdata(["archive", "count", "--technique", "XRD", "--study", tmp + "/s"]).status, 2)
        let missing = try lostdata(["archive", "scan", tmp + "/nope", "--study", tmp + "/s"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("lostdata: error: \(tmp)/nope"), missing.stderr)
    }

    /// The `archive:` section of study.yaml: roots and folder map replace the arguments; a wrong
    /// key is an error naming its line.
    func testStudyFileArchiveSection() throws {
        let (archive, study, manifest, _) = try prepare(images: 300)
        let yaml = study + "/study.yaml"
        var text = try String(contentsOfFile: yaml, encoding: .utf8)
        let instruments = (manifest["instruments"] as! [[String: String]]).map {
            "    - {name: \($0["name"]!), technique: \($0["technique"]!), path: \(archive)/\($0["path"]!)}"
        }.joined(separator: "\n")
        text += "\narchive:\n  roots: [\(archive)]\n  instruments:\n\(instruments)\n  legacyEncoding: sniff\n  dateToleranceHours: 36\n"
        try text.write(toFile: yaml, atomically: true, encoding: .utf8)
        let scan = try lostdata(["archive", "scan", "--study", study, "--json"])
        XCTAssertNotEqual(scan.status, 1, scan.stderr)
        XCTAssertEqual(try jsonLines(scan.stdout)[0]["imagesIndexed"] as? Int, manifest["images"] as? Int)
        let unknown = try jsonLines(try lostdata(["archive", "count", "--json", "--study", study]).stdout)[0]["images"] as? Int
        XCTAssertEqual(unknown, manifest["images"] as? Int)
        let bins = try jsonLines(try lostdata(["archive", "group-by", "technique", "--json", "--study", study]).stdout)
        XCTAssertFalse(bins.contains { $0["technique"] is NSNull }, "the folder map gives every image a technique")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        try (text + "  colour: blue\n").write(toFile: yaml, atomically: true, encoding: .utf8)
        let bad = try lostdata(["archive", "scan", "--study", study])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("study.yaml:\(lines)"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("unknown key 'colour'"), bad.stderr)
    }

    /// A root given through a symbolic link is followed once (links below it never are), and
    /// folder-map paths given through the same link still match.
    func testRootThroughASymbolicLink() throws {
        let (archive, study, manifest, _) = try prepare(images: 200)
        let link = (study as NSString).deletingLastPathComponent + "/mounted"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: archive)
        let instruments = (manifest["instruments"] as! [[String: String]]).flatMap {
            ["--instrument", "\($0["name"]!)=\($0["technique"]!):\(link)/\($0["path"]!)"]
        }
        let scan = try lostdata(["archive", "scan", link, "--study", study, "--json"] + instruments)
        XCTAssertNotEqual(scan.status, 1, scan.stderr)
        XCTAssertEqual(try jsonLines(scan.stdout)[0]["imagesIndexed"] as? Int, manifest["images"] as? Int)
        let bins = try jsonLines(try lostdata(["archive", "group-by", "technique", "--json", "--study", study]).stdout)
        XCTAssertFalse(bins.contains { $0["technique"] is NSNull })
    }

    /// Names in a legacy code page (a share copied from a Windows PC): an image and a folder whose
    /// names are not UTF-8 are read and counted, not reported unreadable, and a rescan finds
    /// them unchanged; messages show the bytes as \xE9.
    func testNamesThatAreNotUTF8AreReadAndCounted() throws {
        let (archive, study, manifest, instruments) = try prepare()
        let dir = try firstDirectory(withSidecarsUnder: archive)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        let stem = try XCTUnwrap(names.filter { $0.hasSuffix(".txt") }.sorted().first.map { String($0.dropLast(4)) })
        let moved = try XCTUnwrap(names.filter { $0.hasSuffix(".txt") }.sorted().dropFirst().first.map { String($0.dropLast(4)) })
        let latin1Folder = Array(dir.utf8) + Array("/caf".utf8) + [0xE9]
        func cPath(_ bytes: [UInt8]) -> [CChar] { bytes.map { CChar(bitPattern: $0) } + [0] }
        XCTAssertEqual(mkdir(cPath(latin1Folder), 0o755), 0)
        for name in names where name.hasPrefix(stem + ".") || name.hasPrefix(moved + ".") {
            let ext = Array(name.utf8.drop { $0 != 0x2E })
            let target = name.hasPrefix(stem + ".")
                ? Array(dir.utf8) + [0x2F] + Array(stem.utf8) + [0xE9] + ext        // SU8000_00012\xE9.txt
                : latin1Folder + [0x2F] + Array(moved.utf8) + ext                  // caf\xE9/SU8000_00013.txt
            XCTAssertEqual(rename(dir + "/" + name, cPath(target)), 0, name)
        }
        let scan = try lostdata(["archive", "scan", archive, "--study", study, "--json"] + instruments)
        XCTAssertNotEqual(scan.status, 1, scan.stderr)
        XCTAssertEqual(try jsonLines(scan.stdout)[0]["imagesIndexed"] as? Int, manifest["images"] as? Int, scan.stdout)
        let check = try lostdata(["archive", "check", "--study", study])
        XCTAssertFalse(check.stdout.contains("cannot stat") || check.stdout.contains("cannot open"), check.stdout)
        XCTAssertTrue(check.stdout.contains(stem + "\\xE9.tif"), check.stdout)   // image-name-mismatch: saved under the old name
        let again = try lostdata(["archive", "scan", archive, "--study", study, "--json"] + instruments)
        let summary = try jsonLines(again.stdout)[0]
        XCTAssertEqual(summary["imagesRead"] as? Int, 0, again.stdout)
        XCTAssertEqual(summary["imagesIndexed"] as? Int, manifest["images"] as? Int)
    }

    func firstDirectory(withSidecarsUnder root: String) throws -> String {
        let e = FileManager.default.enumerator(atPath: root + "/SU8000")!
        while let p = e.nextObject() as? String {
            let full = root + "/SU8000/" + p
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), isDir.boolValue else { continue }
            let names = try FileManager.default.contentsOfDirectory(atPath: full)
            if names.filter({ $0.hasSuffix(".txt") }).count >= 4 { return full }
        }
        throw XCTSkip("no folder with sidecars")
    }

    func snapshot(_ root: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let e = FileManager.default.enumerator(atPath: root)!
        while let p = e.nextObject() as? String {
            let a = try FileManager.default.attributesOfItem(atPath: root + "/" + p)
            out[p] = "\(a[.size] ?? "")/\(a[.modificationDate] ?? "")"
        }
        return out
    }
}
