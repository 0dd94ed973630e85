import Foundation
#if canImport(XCTest)
import XCTest
#endif

/// Runs the built `lostdata` executable the way a user does, and captures what it prints.
/// (Shared by the test targets through TestSupport; the CLI, catalogue and review tests each had
/// their own copy of the lookup and the capture.)
public enum CLI {
    public struct Result {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// The package root (…/Tests/TestSupport/CLIRunner.swift → …).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/corpora`, present on developers' machines and in CI, absent on a user's clone.
    public static let sharedCorpora = packageRoot.appendingPathComponent("../shared/corpora").standardized

    public static func requireShared(_ sub: String) throws -> URL {
        let url = sharedCorpora.appendingPathComponent(sub)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw testSkip("../shared is absent (\(url.path)): the real-data test needs it")
        }
        return url
    }

    /// Where the built executable may be: beside the test bundle in the build folder, or in
    /// `.build/debug`.
    public static var executableCandidates: [URL] {
        var candidates: [URL] = []
        if let first = ProcessInfo.processInfo.arguments.first {
            let here = URL(fileURLWithPath: first).deletingLastPathComponent()
            candidates += [here.appendingPathComponent("lostdata"), here.deletingLastPathComponent().appendingPathComponent("lostdata")]
        }
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("lostdata"))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/lostdata"))
        return candidates
    }

    /// The built executable, or nil when it is not built (callers choose: fail or skip).
    public static func builtExecutable() -> URL? {
        executableCandidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The executable; a test that needs it and does not find it fails.
    public static var executable: URL {
        get throws {
            guard let found = builtExecutable() else {
                testFailure("the lostdata executable is not built; looked in \(executableCandidates.map(\.path))")
                throw CocoaError(.fileNoSuchFile)
            }
            return found
        }
    }

    @discardableResult
    public static func run(_ arguments: [String], in directory: URL? = nil, stdin: String? = nil) throws -> Result {
        try capture(try executable, arguments, in: directory ?? packageRoot, stdin: stdin)
    }

    /// Runs another program (python3, …) and captures its output.
    public static func runTool(_ path: String, _ arguments: [String]) throws -> Result {
        try capture(URL(fileURLWithPath: path), arguments, in: nil, stdin: nil)
    }

    /// Runs `executable`, feeding `stdin` (or nothing), and returns its status and output.
    public static func capture(_ executable: URL, _ arguments: [String], in directory: URL? = nil, stdin: String? = nil,
                               environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs an SQL script on a study's database with Debian's sqlite3 shell (the demo figure
    /// counts of Fixtures/classification/demo-articles.sql); skips when sqlite3 is absent.
    public static func loadSQL(_ script: URL, into study: URL) throws -> Int32 {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw testSkip("/usr/bin/sqlite3 is absent") }
        let sql = Process()
        sql.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sql.arguments = [study.appendingPathComponent("study.sqlite").path]
        sql.standardInput = try FileHandle(forReadingFrom: script)
        try sql.run()
        sql.waitUntilExit()
        return sql.terminationStatus
    }
}
