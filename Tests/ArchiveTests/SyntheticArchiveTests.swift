import Core
import Foundation
import XCTest
@testable import Archive

/// The generator writes what its manifest says, deterministically, and a walk finds it.
final class SyntheticArchiveTests: XCTestCase {
    func testTheWalkFindsWhatTheManifestSays() async throws {
        let root = try TestPaths.temporaryDirectory(self) + "/archive"
        let m = try SyntheticArchive.write(to: root, images: 1500, seed: 11)
        XCTAssertEqual(m.images, 1500)
        let options = ScanOptions(instruments: m.instruments.map {
            InstrumentFolder(name: $0.name, technique: Technique(name: $0.technique)!, path: root + "/" + $0.path)
        })
        var images: [ImageRecord] = []
        var listing: [ArchiveFinding] = []
        var files = 0, directories = 0
        try await ArchiveScan.walk(roots: [root], options: options, knownDigests: [:]) { outcome in
            guard case .fresh(let s) = outcome else { return XCTFail("new directory expected") }
            images += s.images; listing += s.listingFindings; files += s.fileCount; directories += 1
        }
        XCTAssertEqual(directories, m.directories)
        XCTAssertEqual(images.count, m.images)
        XCTAssertEqual(files, m.files)
        var byTechnique: [String: Int] = [:], byYear: [String: [String: Int]] = [:], byDecade: [String: Int] = [:]
        for r in images {
            byTechnique[r.technique?.rawValue ?? "?", default: 0] += 1
            byYear[String(r.year), default: [:]][r.technique?.rawValue ?? "?", default: 0] += 1
            if let d = r.decadeNm { byDecade[ImageDerivation.label(decadeNm: d), default: 0] += 1 }
        }
        XCTAssertEqual(byTechnique, m.byTechnique)
        XCTAssertEqual(byYear, m.byYear)
        XCTAssertEqual(byDecade, m.byDecade)
        func count(_ k: ArchiveFinding.Kind) -> Int { images.flatMap(\.findings).filter { $0.kind == k }.count + listing.filter { $0.kind == k }.count }
        XCTAssertEqual(count(.orphanSidecar), m.orphanSidecars)
        XCTAssertEqual(count(.ignored), m.ignoredFiles)
        XCTAssertEqual(count(.truncated), m.truncatedSidecars + m.truncatedTIFFs)
        XCTAssertEqual(count(.unparseable), m.unparseableSidecars)
        XCTAssertEqual(count(.noMetadata), m.withoutMetadata)
        XCTAssertEqual(count(.imageNameMismatch), m.renamed)
        XCTAssertEqual(count(.dateMismatch), m.dateMismatches)
        XCTAssertEqual(count(.unknownDetector), m.unknownDetectors)
        XCTAssertEqual(images.filter { $0.metadataOrigin == .sidecar }.count + m.unparseableSidecars, m.sidecars)
        XCTAssertEqual(images.filter { $0.metadataOrigin == .embedded }.count, m.embedded)
        XCTAssertGreaterThan(m.encodings["utf-16le"] ?? 0, 0)
        XCTAssertGreaterThan(m.encodings["cp1252"] ?? 0, 0)
    }

    func testSameSeedSameBytes() throws {
        let a = try TestPaths.temporaryDirectory(self), b = try TestPaths.temporaryDirectory(self)
        let ma = try SyntheticArchive.write(to: a + "/x", images: 300, seed: 5)
        let mb = try SyntheticArchive.write(to: b + "/x", images: 300, seed: 5)
        XCTAssertEqual(ma, mb)
        XCTAssertEqual(try digest(a + "/x"), try digest(b + "/x"))
        let mc = try SyntheticArchive.write(to: b + "/y", images: 300, seed: 6)
        XCTAssertNotEqual(mc.byYear, ma.byYear)
    }

    func testRefusesANonEmptyDirectory() throws {
        let a = try TestPaths.temporaryDirectory(self)
        try Data("x".utf8).write(to: URL(fileURLWithPath: a + "/keep.txt"))
        XCTAssertThrowsError(try SyntheticArchive.write(to: a, images: 10, seed: 1))
    }

    /// Hash of relative paths, contents and mtimes.
    func digest(_ root: String) throws -> UInt64 {
        var h = FNV1a()
        let e = FileManager.default.enumerator(atPath: root)!
        var paths: [String] = []
        while let p = e.nextObject() as? String { paths.append(p) }
        for p in paths.sorted() {
            h.add(p)
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + p, isDirectory: &isDir)
            if isDir.boolValue { continue }
            h.add(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + p))))
            let t = (try FileManager.default.attributesOfItem(atPath: root + "/" + p)[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            h.add(String(t))
        }
        return h.value
    }
}
