import Foundation

/// The tools of the real-browser checks (Tests/Browser/*.py): python3 with selenium, Debian's
/// chromium and chromium-driver. A check whose tool is missing is skipped with a message saying
/// what to install (`.ci/run` installs them all).
public enum BrowserTools {
    /// The python3 that can import selenium, once chromium and chromedriver are known to be
    /// installed; skips the test otherwise.
    public static func seleniumPython() throws -> String {
        let pythons = Python3.candidates
        guard !pythons.isEmpty else { throw testSkip("python3 is absent: the browser check needs it (and selenium, chromium, chromium-driver)") }
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw testSkip("\(tool) is absent: apt-get install chromium chromium-driver")
        }
        guard let python = pythons.first(where: { (try? CLI.runTool($0, ["-c", "import selenium"]).status) == 0 }) else {
            throw testSkip("selenium is not installed for python3 (python3 -m pip install selenium, or apt-get install python3-selenium)")
        }
        return python
    }
}
