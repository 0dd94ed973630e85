import XCTest
@testable import Core

final class DOITests: XCTestCase {
    func testNormalisesResolverPrefixesBracesAndCase() {
        XCTAssertEqual(DOI("https://doi.org/10.1021/ACSCATAL.0C01234")?.value, "10.1021/acscatal.0c01234")
        XCTAssertEqual(DOI("{10.1002/smll.202007726}")?.value, "10.1002/smll.202007726")
        XCTAssertEqual(DOI(" doi:10.1134/S1070428020010017 ")?.value, "10.1134/s1070428020010017")
        XCTAssertEqual(DOI("http://dx.doi.org/10.1/x.")?.value, "10.1/x")
    }

    func testEmptyOrMalformedIsNotADOI() {
        XCTAssertNil(DOI(""))
        XCTAssertNil(DOI("   "))
        XCTAssertNil(DOI("https://doi.org/"))
        XCTAssertNil(DOI("11.1234/x"))
        XCTAssertNil(DOI("10.1234"))
    }
}
