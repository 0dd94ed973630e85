@testable import Archive
import Foundation
import XCTest

/// `SmallFile.readAll(_:expectedSize:into:)` (one buffer reused from file to file) must give the
/// bytes `readAll(_:expectedSize:)` (a fresh zero-filled array per file) gives — whatever the
/// order of sizes, and when the size `stat` gave is wrong (the file grew or shrank since).
final class SmallFileReuseTests: XCTestCase {
    func testReusedBufferReadsWhatAFreshOneReads() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        var rng = FastPathEquivalenceTests.SplitMix(state: 53)
        var buffer: [UInt8] = []
        var kept: [(Int, [UInt8])] = []  // results held on to: the next read must not write into them
        for k in 0..<400 {
            let size = [0, 1, 2, 100, 4095, 4096, 4097, 20000].randomElement(using: &rng)! + Int.random(in: 0...3, using: &rng)
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let path = dir + "/f\(k)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            // The size the listing saw: right, or off either way.
            let expected = Int64(max(0, size + [0, 0, 0, -1, 1, -50, 50].randomElement(using: &rng)!))
            func read(_ body: (Int32) -> Result<[UInt8], MetadataProblem>) -> [UInt8]? {
                let fd = open(path, O_RDONLY)
                defer { close(fd) }
                return try? body(fd).get()
            }
            let fresh = read { SmallFile.readAll($0, expectedSize: expected) }
            let reused = read { SmallFile.readAll($0, expectedSize: expected, into: &buffer) }
            XCTAssertEqual(reused, fresh, "size \(size), expected \(expected)")
            if k % 7 == 0, let reused { kept.append((k, reused)) }
        }
        // What was handed out earlier is unchanged (copied on write, not overwritten in place).
        XCTAssertFalse(kept.isEmpty)
        for (k, bytes) in kept {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/f\(k)"))
            XCTAssertEqual(Array(data.prefix(bytes.count)), bytes, "f\(k)")
        }
    }
}
