import Core
import Foundation
import XCTest
@testable import Archive

/// The walk on small trees built here: pairing, clutter, symlink loops, letter case, read-only.
final class WalkTests: XCTestCase {
    func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func sidecar(date: String = "2019/10/02", signal: String = "SE(U)", name: String = "a.tif") -> String {
        "[SemImageFile]\r\nInstructName=SU8230\r\nImageName=\(name)\r\nDate=\(date)\r\nTime=10:00:00\r\nDataSize=1280x960\r\nPixelSize=1.5\r\nSignalName=\(signal)\r\nMagnification=66146\r\n"
    }

    /// Walks everything under `root` the way the index does, with no database.
    func walkAll(_ root: String, options: ScanOptions = .init()) async throws -> [DirectoryScan] {
        var scans: [DirectoryScan] = []
        try await ArchiveScan.walk(roots: [root], options: options, knownDigests: [:]) { outcome in
            guard case .fresh(let s) = outcome else { return XCTFail("every directory is new") }
            scans.append(s)
        }
        return scans
    }

    func testPairsImagesWithSidecarsInAnyLetterCaseAndCountsTheRest() async throws {
        let root = try TestPaths.temporaryDirectory(self)
        try write(root + "/SEM/a.TIF", "x")
        try write(root + "/SEM/a.txt", sidecar(name: "a.tif"))
        try write(root + "/SEM/b.JPeG", "x")
        try write(root + "/SEM/orphan.txt", sidecar(name: "orphan.tif"))
        try write(root + "/SEM/Thumbs.db", "x")
        try write(root + "/SEM/.DS_Store", "x")
        try write(root + "/SEM/deep/c.dm3", "\0\0\0\u{3}")
        try write(root + "/SEM/deep/d.png", "x")
        let scans = try await walkAll(root)
        let images = scans.flatMap(\.images)
        XCTAssertEqual(Set(images.map(\.name)), ["a.TIF", "b.JPeG", "c.dm3", "d.png"])
        let a = try XCTUnwrap(images.first { $0.name == "a.TIF" })
        XCTAssertEqual(a.fileExtension, "tif")
        XCTAssertEqual(a.sidecar?.name, "a.txt")
        XCTAssertEqual(a.metadataFormat, .hitachiSEM)
        XCTAssertEqual(a.date.description, "2019-10-02T10:00:00")
        XCTAssertEqual(a.detectorClass, .se)
        let findings = scans.flatMap(\.listingFindings)
        XCTAssertEqual(findings.filter { $0.kind == .orphanSidecar }.map(\.path), [root + "/SEM/orphan.txt"])
        XCTAssertEqual(Set(findings.filter { $0.kind == .ignored }.map(\.path)), [root + "/SEM/Thumbs.db", root + "/SEM/.DS_Store"])
        XCTAssertEqual(images.filter { $0.findings.contains { $0.kind == .noMetadata } }.count, 3)
        // Every file ends up an image, a used sidecar, or a finding.
        XCTAssertEqual(scans.map(\.fileCount).reduce(0, +), 8)
    }

    func testSymlinkLoopsAreNotFollowedAndTheTreeIsNotWritten() async throws {
        let root = try TestPaths.temporaryDirectory(self)
        try write(root + "/T/x.tif", "x")
        try FileManager.default.createSymbolicLink(atPath: root + "/T/loop", withDestinationPath: root)
        try FileManager.default.createSymbolicLink(atPath: root + "/T/y.tif", withDestinationPath: root + "/T/x.tif")
        let before = try snapshot(root)
        let scans = try await walkAll(root)
        XCTAssertEqual(scans.flatMap(\.images).map(\.name), ["x.tif"])
        XCTAssertEqual(Set(scans.flatMap(\.listingFindings).filter { $0.kind == .symlink }.map(\.path)), [root + "/T/loop", root + "/T/y.tif"])
        XCTAssertEqual(try snapshot(root), before, "the walk must not change a byte or a time in the archive")
    }

    func testUnreadableDirectoryIsReportedAndTheWalkCarriesOn() async throws {
        guard getuid() != 0 else { throw XCTSkip("running as root: permissions do not stop reading") }
        let root = try TestPaths.temporaryDirectory(self)
        try write(root + "/ok/a.jpg", "x")
        try write(root + "/locked/b.jpg", "x")
        chmod(root + "/locked", 0)
        defer { chmod(root + "/locked", 0o755) }
        let scans = try await walkAll(root)
        XCTAssertEqual(scans.flatMap(\.images).map(\.name), ["a.jpg"])
        XCTAssertTrue(scans.contains { $0.unreadable && $0.path == root + "/locked" })
    }

    func testDigestChangesWithFilesAndSettingsOnly() throws {
        let root = try TestPaths.temporaryDirectory(self)
        try write(root + "/a.tif", "x")
        let d1 = DirectoryListing.read(root).digest(settings: 1)
        XCTAssertEqual(DirectoryListing.read(root).digest(settings: 1), d1)
        XCTAssertNotEqual(DirectoryListing.read(root).digest(settings: 2), d1)
        try write(root + "/a.txt", sidecar())
        XCTAssertNotEqual(DirectoryListing.read(root).digest(settings: 1), d1)
    }

    func testRereadOnlyTheNamedImages() throws {
        let root = try TestPaths.temporaryDirectory(self)
        try write(root + "/a.tif", "x"); try write(root + "/a.txt", sidecar())
        try write(root + "/b.tif", "x"); try write(root + "/b.txt", sidecar(signal: "BF-STEM", name: "b.tif"))
        let scan = DirectoryScanner.scan(DirectoryListing.read(root), options: .init(), reread: ["b.tif"])
        XCTAssertEqual(scan.images.map(\.name), ["b.tif"])
        XCTAssertEqual(scan.images.first?.technique, .stem)
        XCTAssertEqual(Set(scan.imageNames), ["a.tif", "b.tif"])
    }

    /// (path, size, mtime) of everything under `root`, without following links.
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
