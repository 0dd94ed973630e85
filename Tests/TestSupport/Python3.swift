import Foundation

/// Where python3 is: the first on PATH (pyenv, a venv), then Debian's. Runs the replay server
/// (Fixtures/http/replay_server.py) and the browser checks (Tests/Browser/*.py).
public enum Python3 {
    public static var candidates: [String] {
        let onPath = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map { "\($0)/python3" } ?? []
        var seen = Set<String>()
        return (onPath + ["/usr/bin/python3", "/usr/local/bin/python3"])
            .filter { seen.insert($0).inserted && FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The first python3 found; nil when there is none.
    public static func path() -> String? { candidates.first }
}
