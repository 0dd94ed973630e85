import Core
import XCTest

final class PersonNameTests: XCTestCase {
    func testInitialsCaseAndFullStopsDoNotCount() {
        XCTAssertTrue(PersonName.same("D'Ambrosio, A", "D'Ambrosio, Antonio"))
        XCTAssertTrue(PersonName.same("Toh, ML", "Toh, Ming Liang"))
        XCTAssertTrue(PersonName.same("Sugimoto, C. R.", "sugimoto, cr"))
        XCTAssertTrue(PersonName.same("Garcia", "GARCIA"))
    }

    func testDifferentPeopleStayApart() {
        XCTAssertFalse(PersonName.same("Doe, Anna", "Doe, Alice"), "two full given names")
        XCTAssertFalse(PersonName.same("Doe, A", "Roe, A"), "family names differ")
        XCTAssertFalse(PersonName.same("Doe, B", "Doe, Anna"), "initial differs")
        XCTAssertFalse(PersonName.same(", A", ", A"), "no family name")
    }
}
