import Foundation
import XCTest
@testable import Bibliography

/// Paths to the shared real exports, read in place (never copied into the project).
enum Corpus {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = packageRoot.appendingPathComponent("../shared/corpora/bibliography").standardizedFileURL
    static let fixtures = packageRoot.appendingPathComponent("Fixtures/bibliography")

    static func url(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("../shared is absent: \(url.path)")
        }
        return url
    }

    static func read(_ name: String, format: ExportFormat? = nil, detail: ReadDetail = .full) throws -> FileReadResult {
        let url = try url(name)
        return try Bibliography.read(Array(try Data(contentsOf: url)), file: name, format: format, detail: detail)
    }

    static func fixture(_ name: String, format: ExportFormat? = nil) throws -> FileReadResult {
        let url = fixtures.appendingPathComponent(name)
        return try Bibliography.read(Array(try Data(contentsOf: url)), file: name, format: format)
    }
}
