@testable import Archive
import Core
import Foundation
import XCTest

/// `DirectoryScanner.scanFresh` (one name lookup per file read, `fstat` on the descriptor) must give
/// exactly what `DirectoryListing.read` + `DirectoryScanner.scan` give — records, findings, image
/// names, file count, subdirectories and the digest stored for the next scan — on crafted
/// directories, random ones (fixed seed) and a synthetic archive.
final class FreshScanEquivalenceTests: XCTestCase {
    func write(_ path: String, _ bytes: [UInt8]) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func write(_ path: String, _ text: String) throws { try write(path, Array(text.utf8)) }

    func hitachi(_ name: String, signal: String = "SE(U)", date: String = "2019/10/02") -> String {
        "[SemImageFile]\r\nInstructName=SU8230\r\nImageName=\(name)\r\nDate=\(date)\r\nTime=10:00:00\r\nDataSize=1280x960\r\nPixelSize=1.5\r\nSignalName=\(signal)\r\nMagnification=66146\r\nAcceleratingVoltage=5000 Volt\r\n"
    }

    /// A little-endian TIFF whose first IFD holds only the image size, or nothing past the header.
    func tiff(truncated: Bool = false) -> [UInt8] {
        var b: [UInt8] = [0x49, 0x49, 42, 0, 8, 0, 0, 0]
        if truncated { return b }
        b += [1, 0]  // one entry
        b += [0x00, 0x01, 3, 0, 1, 0, 0, 0, 0x40, 0, 0, 0]  // ImageWidth SHORT 64
        b += [0, 0, 0, 0]
        return b
    }

    /// Old way and new way on one directory, field by field.
    func assertSame(_ path: String, options: ScanOptions = .init(), _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
        let listing = DirectoryListing.read(path)
        let old = DirectoryScanner.scan(listing, options: options, digest: listing.digest(settings: options.fingerprint))
        let (new, subdirectories) = DirectoryScanner.scanFresh(path, options: options)
        XCTAssertEqual(new.path, old.path, message, file: file, line: line)
        XCTAssertEqual(new.digest, old.digest, "digest \(message)", file: file, line: line)
        XCTAssertEqual(new.images, old.images, "records \(message)", file: file, line: line)
        XCTAssertEqual(new.imageNames, old.imageNames, message, file: file, line: line)
        XCTAssertEqual(new.listingFindings, old.listingFindings, message, file: file, line: line)
        XCTAssertEqual(new.unreadable, old.unreadable, message, file: file, line: line)
        XCTAssertEqual(new.fileCount, old.fileCount, message, file: file, line: line)
        XCTAssertEqual(subdirectories.sorted(), listing.subdirectories.sorted(), message, file: file, line: line)
    }

    func testCraftedDirectories() throws {
        let root = try TestPaths.temporaryDirectory(self)
        let d = root + "/crafted"
        try write(d + "/a.tif", tiff()); try write(d + "/a.txt", hitachi("a.tif"))
        // Two images share one sidecar (it is read twice; the second time it is already stat'ed).
        try write(d + "/b.tif", tiff()); try write(d + "/b.jpg", "x"); try write(d + "/b.txt", hitachi("b.tif"))
        // .txt before .hdr; the .hdr is a second sidecar, stat'ed after the reads.
        try write(d + "/c.TIF", tiff()); try write(d + "/c.hdr", "[MAIN]\r\nDate=2019-01-01\r\n"); try write(d + "/c.txt", hitachi("c.tif"))
        try write(d + "/orphan.txt", hitachi("orphan.tif"))
        // TIFFs without sidecar: opened and stat'ed on their descriptor.
        try write(d + "/t1.tif", tiff()); try write(d + "/t2.tiff", tiff(truncated: true)); try write(d + "/t3.tif", [])
        try write(d + "/g.dm3", [0, 0, 0, 3]); try write(d + "/g4.DM4", [0, 0, 0, 4, 1, 2])
        // A sidecar that fails: the image falls back to its embedded metadata.
        try write(d + "/e.tif", tiff()); try write(d + "/e.txt", [0xFF, 0xFE, 0, 0, 0x41])
        try write(d + "/empty.jpg", []); try write(d + "/empty.txt", [])
        try write(d + "/big.tif", tiff()); try write(d + "/big.txt", [UInt8](repeating: 0x41, count: SmallFile.limit + 1))
        try write(d + "/nodot", "x"); try write(d + "/.DS_Store", "x"); try write(d + "/Thumbs.db", "x")
        try write(d + "/ünïcode.tif", tiff()); try write(d + "/ünïcode.txt", hitachi("ünïcode.tif"))
        try write(d + "/sub/x.png", "x")
        try FileManager.default.createSymbolicLink(atPath: d + "/link.tif", withDestinationPath: d + "/a.tif")
        // Unreadable files (skipped by root, for whom permissions do not stop `open`): still stat'ed for the index.
        try write(d + "/locked.tif", tiff()); try write(d + "/locked.txt", hitachi("locked.tif"))
        try write(d + "/locked2.tif", tiff())
        chmod(d + "/locked.txt", 0); chmod(d + "/locked2.tif", 0)
        defer { chmod(d + "/locked.txt", 0o644); chmod(d + "/locked2.tif", 0o644) }
        assertSame(d, options: ScanOptions(instruments: [InstrumentFolder(name: "SU8230", technique: .sem, path: d)]))
        assertSame(d + "/sub")
        assertSame(root + "/no-such-directory")
        let (scan, _) = DirectoryScanner.scanFresh(d, options: .init())
        XCTAssertTrue(scan.images.contains { $0.name == "t1.tif" && $0.size == Int64(tiff().count) })
    }

    /// A file gone between `readdir` and its `stat`: the fresh read gives up (nil), and `scanFresh`
    /// then goes the old way, so the vanished file is a "cannot stat" finding or simply absent — as
    /// `DirectoryListing.read` would have it.
    func testAFileGoneBeforeItsStatSendsTheDirectoryTheOldWay() throws {
        let d = try TestPaths.temporaryDirectory(self)
        try write(d + "/a.tif", tiff()); try write(d + "/a.txt", hitachi("a.tif"))
        try write(d + "/b.jpg", "x"); try write(d + "/orphan.hdr", "x")
        for victim in ["a.txt", "a.tif", "b.jpg", "orphan.hdr"] {
            var listing = DirectoryListing(path: d)
            let dir = try XCTUnwrap(listing.openDirectory())
            let pending = listing.readEntries(dir, statAll: false)
            XCTAssertEqual(pending.count, 4)
            try FileManager.default.removeItem(atPath: d + "/" + victim)
            XCTAssertNil(DirectoryScanner.readFresh(&listing, pending: pending, directory: dirfd(dir), options: .init()), victim)
            closedir(dir)
            assertSame(d, victim)
            try write(d + "/" + victim, victim == "a.tif" ? tiff() : victim == "a.txt" ? Array(hitachi("a.tif").utf8) : [0x78])
        }
    }

    func testRandomDirectories() throws {
        var rng = FastPathEquivalenceTests.SplitMix(state: 23)
        let root = try TestPaths.temporaryDirectory(self)
        let bases = ["a", "B", "img_01", "img_01.x", "Ω", "long_name_of_an_image_0001", ".hidden", "a b"]
        let exts = ["tif", "TIF", "tiff", "jpg", "png", "bmp", "dm3", "dm4", "txt", "TXT", "hdr", "db", "avi", ""]
        for k in 0..<40 {
            let d = root + "/r\(k)"
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            for _ in 0..<Int.random(in: 0...14, using: &rng) {
                let base = bases.randomElement(using: &rng)!, ext = exts.randomElement(using: &rng)!
                let name = ext.isEmpty ? base : base + "." + ext
                let content: [UInt8]
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: content = Array(hitachi(base + ".tif", signal: ["SE(U)", "BSE", "TE"].randomElement(using: &rng)!).utf8)
                case 1: content = tiff()
                case 2: content = tiff(truncated: true)
                case 3: content = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                default: content = []
                }
                try write(d + "/" + name, content)
            }
            if Bool.random(using: &rng) { try FileManager.default.createDirectory(atPath: d + "/sub", withIntermediateDirectories: true) }
            assertSame(d, "r\(k)")
        }
    }

    /// The digest hashes names in place; the stored digests were made with `FNV1a.add(String)` per
    /// field — the old loop, kept here as the definition.
    func testDigestMatchesHashingTheNamesAsStrings() {
        func reference(_ l: DirectoryListing, settings: UInt64) -> UInt64 {
            var sum: UInt64 = settings
            for f in l.files {
                var h = FNV1a()
                h.add(f.name); h.add(f.size); h.add(f.mtimeNs)
                sum &+= DirectoryListing.mix(h.value)
            }
            for f in l.findings {
                var h = FNV1a()
                h.add(f.path); h.add(f.kind.rawValue)
                sum &+= DirectoryListing.mix(h.value)
            }
            return DirectoryListing.mix(sum ^ UInt64(l.files.count &+ l.findings.count << 32))
        }
        var rng = FastPathEquivalenceTests.SplitMix(state: 41)
        let names = ["a.tif", "a.txt", "", "é.tif", "e\u{301}.tif", "a_very_long_image_name_0001.tif", "Thumbs.db", "🙂.png", "x"]
        for _ in 0..<2000 {
            var l = DirectoryListing(path: "/d")
            for _ in 0..<Int.random(in: 0...8, using: &rng) {
                let name = names.randomElement(using: &rng)! + String(Int.random(in: 0...3, using: &rng))
                l.files.append(DirectoryListing.File(name: name, kind: ArchiveFileKinds.kind(ofName: name),
                                                     size: Int64.random(in: -1...1 << 40, using: &rng), mtimeNs: Int64.random(in: Int64.min...Int64.max, using: &rng)))
            }
            if Bool.random(using: &rng) { l.findings.append(ArchiveFinding(.symlink, path: "/d/l", "symbolic link, not followed")) }
            // A name that is not native UTF-8 storage (bridged from NSString) takes the `String` route.
            if Bool.random(using: &rng) { l.files.append(DirectoryListing.File(name: String(NSString(string: "bridged_é.tif")), kind: .image, size: 3, mtimeNs: 4)) }
            let settings = UInt64.random(in: 0...UInt64.max, using: &rng)
            XCTAssertEqual(l.digest(settings: settings), reference(l, settings: settings))
        }
    }

    func testSyntheticArchiveDirectories() throws {
        let root = try TestPaths.temporaryDirectory(self) + "/archive"
        let m = try SyntheticArchive.write(to: root, images: 600, seed: 17)
        let options = ScanOptions(instruments: m.instruments.map {
            InstrumentFolder(name: $0.name, technique: Technique(name: $0.technique)!, path: root + "/" + $0.path)
        })
        var pending = [root], directories = 0
        while let d = pending.popLast() {
            assertSame(d, options: options, d)
            pending += DirectoryListing.read(d).subdirectories
            directories += 1
        }
        XCTAssertEqual(directories, m.directories)
    }
}
