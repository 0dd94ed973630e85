import XCTest
@testable import ReviewWeb
final class ReviewServerTests: XCTestCase { func testNothing() {} }
