import Foundation
import XCTest

@testable import Core

/// `FileTree.files` replaced `FileManager.enumerator(atPath:)` + `NSString` paths in
/// `figures count`/`import`: the same files, joined the same way, on a tree with the awkward cases.
final class FileTreeTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "lostdata-filetree-\(UUID().uuidString)"
        let fm = FileManager.default
        for dir in ["a/b/c", "A", ".hidden", "empty", "x.y"] {
            try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        for file in ["top.xml", "TOP2.XML", "n.nxml", "n2.NxMl", "notes.txt", ".xml", "plain", "dot.", "a.xml.bak",
                     "a/one.xml", "a/b/two.xml", "a/b/c/three.Xml", "a/b/c/skip.json", "A/four.xml",
                     ".hidden/five.xml", "x.y/six.xml", "x.y/noext", "ünï.xml", "space name.xml"] {
            try Data("<a/>".utf8).write(to: URL(fileURLWithPath: root + "/" + file))
        }
        try fm.createSymbolicLink(atPath: root + "/link.xml", withDestinationPath: root + "/top.xml")
        try fm.createSymbolicLink(atPath: root + "/dangling.xml", withDestinationPath: root + "/nowhere.xml")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The code `FileTree` replaced, kept here as the reference.
    private func reference(_ path: String, _ extensions: Set<String>) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
        var found: [String] = []
        while let rel = walker.nextObject() as? String {
            let ext = (rel as NSString).pathExtension.lowercased()
            if extensions.contains(ext) { found.append((path as NSString).appendingPathComponent(rel)) }
        }
        return found.sorted()
    }

    func testSameFilesAsTheFileManagerEnumerator() throws {
        let extensions: Set<String> = ["xml", "nxml"]
        for r in [root, root + "/", root + "/a", root + "/a/"] {
            let found = try XCTUnwrap(FileTree.files(under: r, extensions: extensions)).sorted()
            XCTAssertEqual(found, reference(r, extensions), r)
        }
        let all = try XCTUnwrap(FileTree.files(under: root, extensions: extensions)).sorted()
        XCTAssertEqual(all.count, 14, "\(all)")  // the 12 matching files and the two links
        XCTAssertTrue(all.contains(root + "/a/b/c/three.Xml"))
        XCTAssertFalse(all.contains(root + "/.xml"), "a leading dot is a hidden file, not an extension")
        XCTAssertEqual(FileTree.files(under: root, extensions: ["txt"]), [root + "/notes.txt"])
    }

    /// A symbolic link to a folder is listed as an entry (if its name matches) but not walked into,
    /// as the enumerator did.
    func testLinkedFolderIsNotWalked() throws {
        try FileManager.default.createSymbolicLink(atPath: root + "/loop.xml", withDestinationPath: root + "/a")
        try FileManager.default.createSymbolicLink(atPath: root + "/loop2", withDestinationPath: root)
        let found = try XCTUnwrap(FileTree.files(under: root, extensions: ["xml", "nxml"])).sorted()
        XCTAssertEqual(found, reference(root, ["xml", "nxml"]))
        XCTAssertTrue(found.contains(root + "/loop.xml"))
        XCTAssertFalse(found.contains { $0.hasPrefix(root + "/loop2/") })
    }

    func testMissingRootIsNil() {
        XCTAssertNil(FileTree.files(under: root + "/absent", extensions: ["xml"]))
        XCTAssertNil(FileTree.files(under: root + "/top.xml", extensions: ["xml"]))
    }

    func testExtensionOfOneName() {
        XCTAssertEqual(FileTree.pathExtension("a.xml"), "xml")
        XCTAssertEqual(FileTree.pathExtension("a.b.NXML"), "NXML")
        XCTAssertEqual(FileTree.pathExtension("dot."), "")
        XCTAssertNil(FileTree.pathExtension(".xml"))
        XCTAssertNil(FileTree.pathExtension("plain"))
        for name in ["a.xml", "a.b.NXML", "dot.", ".xml", "plain", "x.y", "ünï.xml"] {
            XCTAssertEqual(FileTree.pathExtension(name).map(String.init) ?? "", (name as NSString).pathExtension, name)
        }
    }
}
