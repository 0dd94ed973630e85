import Core
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import Study

/// `lostdata run`'s unchanged check: what it notices, and that remembered hashes are used only
/// while a file's stat is unchanged.
final class StageFingerprintTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-fingerprint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// Rewrites `url` with `text` and puts its modification time back: same size, same mtime,
    /// different content — what a size+mtime check cannot see.
    func rewriteKeepingSizeAndTime(_ url: URL, _ text: String) throws {
        try Self.rewriteKeepingSizeAndTime(url, Data(text.utf8))
    }

    /// The same bytes count written over the file, then its access and modification times put
    /// back to the nanosecond (utimensat), checked.
    static func rewriteKeepingSizeAndTime(_ url: URL, _ bytes: Data) throws {
        var before = stat()
        XCTAssertEqual(stat(url.path, &before), 0)
        XCTAssertEqual(Int(before.st_size), bytes.count)
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: bytes)
        try handle.close()
        var times = [before.st_atim, before.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, url.path, &times, 0), 0)
        var after = stat()
        XCTAssertEqual(stat(url.path, &after), 0)
        XCTAssertEqual(after.st_size, before.st_size)
        XCTAssertEqual(after.st_mtim.tv_sec, before.st_mtim.tv_sec)
        XCTAssertEqual(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec)
    }

    func fileFingerprint(_ path: String, _ cache: FileHashCache?) -> String {
        StageFingerprint(stage: "t", files: [path], settings: "", hashes: cache).value
    }

    func testARememberedHashIsUsedOnlyWhileTheStatIsUnchanged() throws {
        let f = dir.appendingPathComponent("export.txt")
        try Data("record one\n".utf8).write(to: f)
        // Hashing "later" than the racy window, so the hash is remembered.
        let later = Date().addingTimeInterval(60)
        let first = FileHashCache(now: later)
        let original = fileFingerprint(f.path, first)
        let (key, sha) = try XCTUnwrap(first.newEntries[f.path])
        XCTAssertEqual(sha, SHA256.hex(Data("record one\n".utf8)))

        // A remembered hash stands in for reading the file: a planted one shows it was not read.
        let planted = FileHashCache(known: [f.path: (key, "planted")], now: later)
        XCTAssertNotEqual(fileFingerprint(f.path, planted), original)
        XCTAssertEqual(fileFingerprint(f.path, FileHashCache(known: [f.path: (key, sha)], now: later)), original)

        // Same size, same mtime, new content: the change time moved, so the file is read again.
        try rewriteKeepingSizeAndTime(f, "record two\n")
        let stale = FileHashCache(known: [f.path: (key, sha)], now: later)
        let changed = fileFingerprint(f.path, stale)
        XCTAssertNotEqual(changed, original)
        XCTAssertEqual(changed, fileFingerprint(f.path, nil))
        XCTAssertEqual(stale.newEntries[f.path]?.1, SHA256.hex(Data("record two\n".utf8)))
    }

    func testAFileChangedJustBeforeTheRunIsNotRemembered() throws {
        let f = dir.appendingPathComponent("export.txt")
        try Data("fresh\n".utf8).write(to: f)
        let cache = FileHashCache(now: Date())
        _ = fileFingerprint(f.path, cache)
        XCTAssertNil(cache.newEntries[f.path], "written within the racy window: hashed again next run")
    }

    func testHashesRoundTripThroughTheStudyAndForgetRemovedFiles() throws {
        let study = try Study.create(at: dir.appendingPathComponent("study"), name: "T")
        let a = dir.appendingPathComponent("a.txt"), b = dir.appendingPathComponent("b.txt")
        try Data("a".utf8).write(to: a)
        try Data("b".utf8).write(to: b)
        let later = Date().addingTimeInterval(60)
        let cache = FileHashCache(known: try study.fileHashCache().knownForTesting, now: later)
        _ = StageFingerprint(stage: "t", files: [a.path, b.path], settings: "", hashes: cache)
        try study.saveFileHashes(cache)
        XCTAssertEqual(Set(try study.fileHashCache().knownForTesting.keys), [a.path, b.path])
        let next = FileHashCache(known: try study.fileHashCache().knownForTesting, now: later)
        _ = StageFingerprint(stage: "t", files: [a.path], settings: "", hashes: next)
        XCTAssertTrue(next.newEntries.isEmpty, "a's hash came from the study")
        try study.saveFileHashes(next)
        XCTAssertEqual(Set(try study.fileHashCache().knownForTesting.keys), [a.path])
    }

    func testTheArchiveFingerprintSeesEveryKindOfChange() throws {
        let root = dir.appendingPathComponent("archive")
        let deep = root.appendingPathComponent("SU8000/2019/alice/s1")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("HT7700/2020"), withIntermediateDirectories: true)
        let image = deep.appendingPathComponent("img_001.tif")
        try Data(repeating: 1, count: 1000).write(to: image)
        try Data("meta\n".utf8).write(to: deep.appendingPathComponent("img_001.txt"))
        try Data("tem".utf8).write(to: root.appendingPathComponent("HT7700/2020/t.dm3"))
        func fp() -> String { StageFingerprint.archive(roots: [root.path], settings: "s").value }
        let original = fp()
        XCTAssertEqual(fp(), original, "nothing changed")
        XCTAssertEqual(ArchiveTreeDigest.digest(of: root.path, parallelLevels: 2), ArchiveTreeDigest.digest(of: root.path, parallelLevels: 0),
                       "the parallel walk combines in the same order as a sequential one")
        XCTAssertNotEqual(StageFingerprint.archive(roots: [root.path], settings: "other").value, original)

        // Touched (new mtime).
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: image.path)
        let touched = fp()
        XCTAssertNotEqual(touched, original)
        // Rewritten with the same size and mtime: ctime shows it.
        Thread.sleep(forTimeInterval: 0.01)
        try rewriteKeepingSizeAndTime(image, String(repeating: "x", count: 1000))
        let rewritten = fp()
        XCTAssertNotEqual(rewritten, touched)
        // Added deep down, and removed.
        let added = deep.appendingPathComponent("img_002.tif")
        try Data([1]).write(to: added)
        let withAdded = fp()
        XCTAssertNotEqual(withAdded, rewritten)
        try FileManager.default.removeItem(at: added)
        XCTAssertEqual(fp(), rewritten)
    }
}
