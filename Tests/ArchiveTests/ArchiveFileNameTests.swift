import XCTest
@testable import Archive

/// Names that are not UTF-8 survive the trip from `readdir` to `String` and back to bytes.
final class ArchiveFileNameTests: XCTestCase {
    func decode(_ bytes: [UInt8]) -> String {
        (bytes + [0]).withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { ArchiveFileName.decode($0.baseAddress!) }
        }
    }

    func testValidUTF8IsUnchangedAndInvalidBytesAreKept() {
        XCTAssertEqual(decode(Array("SU8230_0001.tif".utf8)), "SU8230_0001.tif")
        XCTAssertEqual(decode(Array("Иванов 東京.txt".utf8)), "Иванов 東京.txt")
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9]
        let s = decode(latin1)
        XCTAssertNotEqual(s, "caf\u{FFFD}")
        XCTAssertEqual(ArchiveFileName.bytes(s), latin1)
        XCTAssertEqual(ArchiveFileName.readable(s), "caf\\xE9")
        // CP932 "東京" (93 8C 8B 9E): 0x93 is no UTF-8 lead byte.
        let cp932: [UInt8] = [0x93, 0x8C, 0x8B, 0x9E] + Array(".tif".utf8)
        XCTAssertEqual(ArchiveFileName.bytes(decode(cp932)), cp932)
        XCTAssertEqual(ArchiveFileName.readable(decode(cp932)), "\\x93\\x8C\\x8B\\x9E.tif")
    }

    /// A valid name holding one of the escape characters is escaped too: it cannot be taken for
    /// the name whose invalid byte that character stands for.
    func testEscapeCharactersInAValidNameKeepNamesApart() {
        let withEscapeChar = Array("a\u{F7E9}".utf8)          // valid UTF-8: EF 9F A9
        let withInvalidByte: [UInt8] = [0x61, 0xE9]
        XCTAssertNotEqual(decode(withEscapeChar), decode(withInvalidByte))
        XCTAssertEqual(ArchiveFileName.bytes(decode(withEscapeChar)), withEscapeChar)
        XCTAssertEqual(ArchiveFileName.bytes(decode(withInvalidByte)), withInvalidByte)
    }

    /// Every byte string (no NUL, as a file name) comes back byte for byte, and distinct ones
    /// stay distinct.
    func testRandomNamesRoundTripAndStayDistinct() {
        var rng = SplitMix64(seed: 7)
        var seen: [String: [UInt8]] = [:]
        for _ in 0..<20_000 {
            let n = rng.int(1...12)
            // Bytes weighted to what breaks UTF-8: lead and continuation bytes, 0xEF, ASCII.
            let bytes = (0..<n).map { _ -> UInt8 in
                switch rng.int(0...5) {
                case 0: return UInt8(rng.int(0x80...0xBF))
                case 1: return UInt8(rng.int(0xC0...0xFF))
                case 2: return 0xEF
                case 3: return UInt8(rng.int(0x9C...0x9F))
                default: return UInt8(rng.int(1...0x7F))
                }
            }
            let s = decode(bytes)
            XCTAssertEqual(ArchiveFileName.bytes(s), bytes, "\(bytes)")
            ArchiveFileName.withCString(s) { p in XCTAssertEqual(Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: bytes.count + 1)), bytes + [0]) }
            if let other = seen[s] { XCTAssertEqual(other, bytes, "two names, one String: \(s.debugDescription)") }
            seen[s] = bytes
        }
    }
}
