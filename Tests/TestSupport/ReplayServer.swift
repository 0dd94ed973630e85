import Foundation

/// The replay server (Fixtures/http/replay_server.py) on an ephemeral port of 127.0.0.1, run
/// by python3 for one test. The client under test talks real TCP to it.
public final class ReplayServer {
    public let process = Process()
    public let keepAlive = Pipe()
    public let port: Int
    public let logFile: URL
    public var base: String { "http://127.0.0.1:\(port)" }

    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/http/replay_server.py")

    /// `routes` as the script documents them.
    public init(routes: [[String: Any]]) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("routes.json")
        try JSONSerialization.data(withJSONObject: ["routes": routes]).write(to: config)
        logFile = dir.appendingPathComponent("log.jsonl")
        guard let python = Python3.path() else {
            throw testSkip("python3 is not installed; the loopback replay server needs it")
        }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.script.path, config.path]
        var env = ProcessInfo.processInfo.environment
        env["REPLAY_LOG"] = logFile.path
        env["REPLAY_EXIT_ON_EOF"] = "1"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        // Our end of its stdin stays open for the life of this process: if the test run dies,
        // the server sees end of file and exits.
        process.standardInput = keepAlive
        try process.run()
        var line = [UInt8]()
        let handle = out.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte.first == 0x0A { break }
            line.append(byte.first!)
        }
        guard let p = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw NSError(domain: "ReplayServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "the replay server did not start"])
        }
        port = p
    }

    deinit {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }

    /// Every request the server saw, in order.
    public func log() -> [[String: Any]] {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// A port nothing listens on (bound, then closed at once).
    public static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        close(fd)
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
