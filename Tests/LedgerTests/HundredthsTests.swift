import XCTest
@testable import Ledger

final class HundredthsTests: XCTestCase {
    func testRoundsHalfUpAtExactHalves() {
        // 1/8 = 0.125 exactly: half-up gives 0.13 (banker's rounding would give 0.12).
        XCTAssertEqual(Hundredths(ratio: 1, 8)?.description, "0.13")
        // 0.375 → 0.38, 0.625 → 0.63
        XCTAssertEqual(Hundredths(ratio: 3, 8)?.description, "0.38")
        XCTAssertEqual(Hundredths(ratio: 5, 8)?.description, "0.63")
        // Just below a half stays down: 0.12499… (1249/10000 + tiny) → 0.12
        XCTAssertEqual(Hundredths(ratio: 1249, 10000)?.description, "0.12")
    }

    func testPaperValues() {
        XCTAssertEqual(Hundredths(ratio: 3054, 238)?.description, "12.83")
        XCTAssertEqual(Hundredths(ratio: 818, 122)?.description, "6.70")
        XCTAssertEqual(Hundredths(percent: 523, of: 32540)?.description, "1.61")
    }

    func testZeroDenominatorIsNil() {
        XCTAssertNil(Hundredths(ratio: 3, 0))
    }
}
