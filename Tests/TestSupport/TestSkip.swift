import Foundation
#if canImport(XCTest)
import XCTest
#endif

/// The error that skips a test whose tool (python3, chromium, the built executable, …) is absent.
///
/// This target is a library, so `swift build` compiles it with the product — also the release
/// build with `--static-swift-stdlib`, whose toolchain has no static XCTest module. Only there it
/// is built without XCTest (nothing runs tests from it); under `swift test` this is `XCTSkip`.
public func testSkip(_ message: String) -> any Error {
    #if canImport(XCTest)
    return XCTSkip(message)
    #else
    return NSError(domain: "TestSupport", code: 77, userInfo: [NSLocalizedDescriptionKey: message])
    #endif
}

/// Marks the running test failed (XCTFail), where XCTest is there to hear it.
public func testFailure(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
    #if canImport(XCTest)
    XCTFail(message, file: file, line: line)
    #endif
}
