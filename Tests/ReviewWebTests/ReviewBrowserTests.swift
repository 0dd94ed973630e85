import Foundation
import XCTest

/// The real-browser check (Tests/Browser/review_check.py): Debian's chromium + chromium-driver
/// driven by selenium review the demo study with the keyboard; the script then asserts through
/// `review status --json` and `table1 --format json`. Skips with a message when python3,
/// selenium, chromium or chromedriver is missing (`.ci/run` installs them).
final class ReviewBrowserTests: XCTestCase {
    func testKeyboardReviewInChromium() throws {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map { "\($0)/python3" }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { throw XCTSkip("python3 is absent: the browser check needs it (and selenium, chromium, chromium-driver)") }
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) is absent: apt-get install chromium chromium-driver")
        }
        // The python3 that has selenium: the first on PATH (pyenv) or Debian's.
        let candidates = [ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map { "\($0)/python3" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }, python].compactMap { $0 }
        guard let withSelenium = candidates.first(where: { (try? Self.run($0, ["-c", "import selenium"]).status) == 0 }) else {
            throw XCTSkip("selenium is not installed for python3 (python3 -m pip install selenium)")
        }
        let study = try ReviewFixture.demoStudy()
        defer { try? FileManager.default.removeItem(at: study) }
        let shots = study.appendingPathComponent("screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let script = ReviewFixture.root.appendingPathComponent("Tests/Browser/review_check.py").path
        let r = try Self.run(withSelenium, [script, "--lostdata", try ReviewFixture.executable.path, "--study", study.path,
                                            "--screenshots", shots.path, "--with-hostile-article"])
        if r.status == 77 { throw XCTSkip("browser check could not start: \(r.err)") }
        XCTAssertEqual(r.status, 0, "stdout: \(r.out)\nstderr: \(r.err)")
        XCTAssertTrue(r.out.contains("review status and table1 agree"), r.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: shots.appendingPathComponent("review-article.png").path))
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> ReviewFixture.Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return .init(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }
}
