import Foundation
import XCTest

/// Runs the built `lostdata` executable the way a user does, and captures what it prints.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root (…/Tests/CLITests/CLIRunner.swift → …).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/corpora`, present on developers' machines and in CI, absent on a user's clone.
    static let sharedCorpora = packageRoot.appendingPathComponent("../shared/corpora").standardized

    static func requireShared(_ sub: String) throws -> URL {
        let url = sharedCorpora.appendingPathComponent(sub)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("../shared is absent (\(url.path)): the real-data test needs it")
        }
        return url
    }

    /// The executable sits beside the test bundle in the build folder.
    static var executable: URL {
        get throws {
            var candidates: [URL] = []
            if let first = ProcessInfo.processInfo.arguments.first {
                let here = URL(fileURLWithPath: first).deletingLastPathComponent()
                candidates += [here.appendingPathComponent("lostdata"), here.deletingLastPathComponent().appendingPathComponent("lostdata")]
            }
            for bundle in Bundle.allBundles {
                candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("lostdata"))
            }
            candidates.append(packageRoot.appendingPathComponent(".build/debug/lostdata"))
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                XCTFail("the lostdata executable is not built; looked in \(candidates.map(\.path))")
                throw CocoaError(.fileNoSuchFile)
            }
            return found
        }
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
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

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
