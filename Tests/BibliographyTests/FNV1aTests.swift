@testable import Bibliography
import XCTest

/// FNV-1a names a web API page's stored file (`http:<hash>:<size>`): the pointer path for arrays
/// must give the same hash as the sequence path, or pages stored before would not be recognised.
final class FNV1aTests: XCTestCase {
    func testKnownValuesAndBothPathsAgree() {
        XCTAssertEqual(FNV1a.hash([UInt8]()), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(FNV1a.hash(Array("a".utf8)), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(FNV1a.hex(Array("foobar".utf8)), "85944171f73967e8")
        let page = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        XCTAssertEqual(FNV1a.hash(page), FNV1a.hash(AnySequence(page)), "array (pointer) and plain sequence")
        XCTAssertEqual(FNV1a.hash(page[10..<5_000]), FNV1a.hash(AnySequence(page[10..<5_000])), "a slice")
    }
}
