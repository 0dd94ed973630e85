import Foundation
import XCTest

/// The real-browser check (Tests/Browser/review_check.py): Debian's chromium + chromium-driver
/// driven by selenium review the demo study with the keyboard; the script then asserts through
/// `review status --json` and `table1 --format json`. Skips with a message when python3,
/// selenium, chromium or chromedriver is missing (`.ci/run` installs them).
final class ReviewBrowserTests: XCTestCase {
    func testKeyboardReviewInChromium() throws {
        let withSelenium = try BrowserTools.seleniumPython()
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
        let r = try CLI.runTool(tool, arguments)
        return .init(status: r.status, out: r.stdout, err: r.stderr)
    }
}
