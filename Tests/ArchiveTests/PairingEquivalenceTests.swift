@testable import Archive
import Core
import Foundation
import XCTest

/// `DirectoryScanner.Pairing.byBytes` (base names on bytes, FNV-1a open addressing) must pair
/// exactly as `byString` (`split`, `Substring` sets and maps) on any all-ASCII listing, and step
/// aside (nil) for anything else.
final class PairingEquivalenceTests: XCTestCase {
    func listing(_ names: [String]) -> DirectoryListing {
        var l = DirectoryListing(path: "/x")
        l.files = names.map { DirectoryListing.File(name: $0, kind: ArchiveFileKinds.kind(ofName: $0), size: 1, mtimeNs: 2) }
        l.findings = [ArchiveFinding(.symlink, path: "/x/link", "symbolic link, not followed")]
        return l
    }

    func assertSame(_ names: [String], file: StaticString = #filePath, line: UInt = #line) {
        let l = listing(names)
        let slow = DirectoryScanner.Pairing.byString(l, prefix: "/x/")
        guard let fast = DirectoryScanner.Pairing.byBytes(l, prefix: "/x/") else {
            return XCTAssertTrue(names.contains { $0.utf8.contains { $0 >= 0x80 } }, "nil only for non-ASCII names: \(names)", file: file, line: line)
        }
        XCTAssertEqual(fast.images, slow.images, "\(names)", file: file, line: line)
        XCTAssertEqual(fast.findings, slow.findings, "\(names)", file: file, line: line)
        let chosen = DirectoryScanner.Pairing(l, prefix: "/x/")
        XCTAssertEqual(chosen.images, slow.images, file: file, line: line)
        XCTAssertEqual(chosen.findings, slow.findings, file: file, line: line)
    }

    func testCraftedListings() {
        assertSame([])
        assertSame(["a.tif", "a.txt"])
        assertSame(["a.txt", "a.tif"])
        assertSame(["a.tif", "a.jpg", "a.txt"])                 // one sidecar, two images
        assertSame(["a.tif", "a.hdr", "a.txt"])                 // .txt wins over .hdr …
        assertSame(["a.tif", "a.txt", "a.hdr"])                 // … whatever the order
        assertSame(["a.tif", "a.TXT", "a.txt"])                 // two .txt: the last one
        assertSame(["a.tif", "a.HDR", "a.hdr"])                 // two .hdr: the first one
        assertSame(["a.tif", "A.txt", "orphan.txt", "orphan.hdr"])
        assertSame(["a.b.tif", "a.b.txt", "a.txt", "a..tif", "a..txt", ".txt", ".tif", "..tif", "..txt", "x.", "x"])
        assertSame(["Thumbs.db", "notes", ".DS_Store", "clip.avi", "a.TIFF", "a.Txt", "b.Dm3", "b.hdr", "c.jpeg", "c.png", "c.bmp", "d.dm4"])
        assertSame(["a;b.tif", "a\u{37E}b.txt"])                // canonically equal bases: the String route
        assertSame(["K.tif", "\u{212A}.txt"])
        assertSame(["é.tif", "e\u{301}.txt"])
        // Many files: the table grows, and probes run into each other.
        assertSame((0..<500).flatMap { ["img_\($0).tif", $0 % 3 == 0 ? "img_\($0).txt" : "img_\($0 + 1000).hdr"] })
    }

    func testListingWithKindsThatDoNotMatchTheNamesIsLeftToTheStringRoute() {
        var l = listing(["a.tif"])
        l.files.append(DirectoryListing.File(name: "weird", kind: .sidecar, size: 0, mtimeNs: 0))
        XCTAssertNil(DirectoryScanner.Pairing.byBytes(l, prefix: "/x/"))
        l.files[1] = DirectoryListing.File(name: "a.zip", kind: .image, size: 0, mtimeNs: 0)
        XCTAssertNil(DirectoryScanner.Pairing.byBytes(l, prefix: "/x/"))
        l.files[1] = DirectoryListing.File(name: "", kind: .image, size: 0, mtimeNs: 0)
        XCTAssertNil(DirectoryScanner.Pairing.byBytes(l, prefix: "/x/"))
    }

    func testRandomListings() {
        var rng = FastPathEquivalenceTests.SplitMix(state: 31)
        let bases = ["a", "A", "b", "a.b", "a.", "", ".", "img_0001", "IMG_0001", "x y", "é", "K", "\u{212A}", "long_base_name_of_thirty_bytes"]
        let exts = ["tif", "TIF", "Tiff", "jpg", "JPEG", "png", "bmp", "dm3", "DM4", "txt", "TXT", "Txt", "hdr", "HDR", "db", "avi", "", "t"]
        for _ in 0..<4000 {
            var names = Set<String>()
            for _ in 0..<Int.random(in: 0...20, using: &rng) {
                let e = exts.randomElement(using: &rng)!
                names.insert(bases.randomElement(using: &rng)! + (e.isEmpty && Bool.random(using: &rng) ? "" : "." + e))
            }
            assertSame(Array(names).shuffled(using: &rng))
        }
    }
}
