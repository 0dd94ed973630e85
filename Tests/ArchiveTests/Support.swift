import Foundation
import XCTest
@testable import Archive

/// Paths to test inputs: the real vendor files in `../shared/corpora/em` (read in place, never
/// copied) and the project's own fixtures in `Fixtures/em`.
enum TestPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Fixtures/em")
    static let corpus = packageRoot.appendingPathComponent("../shared/corpora/em").standardizedFileURL

    static func corpusFile(_ name: String) throws -> URL {
        let url = corpus.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("../shared is absent: \(url.path)")
        }
        return url
    }

    static func corpusBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: try corpusFile(name)))
    }

    static func fixtureBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// A fresh temporary directory, removed at the end of the test.
    static func temporaryDirectory(_ test: XCTestCase) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}

func assertClose(_ a: Double?, _ b: Double, relative: Double = 1e-6, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    guard let a else { return XCTFail("nil, expected \(b) \(message)", file: file, line: line) }
    XCTAssertLessThanOrEqual(abs(a - b), abs(b) * relative, "\(a) vs \(b) \(message)", file: file, line: line)
}

/// Random text for the byte-search equivalence tests: printable ASCII with, one byte in `oneIn`,
/// a byte from `pool`, and a window `i..<n` inside it.
func randomSearchText<R: RandomNumberGenerator>(_ rng: inout R, length: ClosedRange<Int>, pool: [UInt8], oneIn: Int) -> (bytes: [UInt8], i: Int, n: Int) {
    let bytes = (0..<Int.random(in: length, using: &rng)).map { _ in
        Int.random(in: 0..<oneIn, using: &rng) == 0 ? pool.randomElement(using: &rng)! : UInt8.random(in: 0x20...0x7E, using: &rng)
    }
    let n = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
    return (bytes, Int.random(in: 0...n, using: &rng), n)
}

/// The plain loop the fast searches are compared with: the first index in `i..<n` whose byte
/// matches, else `n`.
func firstIndexByLoop(_ bytes: [UInt8], from i: Int, to n: Int, where match: (UInt8) -> Bool) -> Int {
    var k = i
    while k < n, !match(bytes[k]) { k += 1 }
    return k
}
