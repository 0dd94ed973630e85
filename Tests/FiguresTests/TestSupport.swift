import Core
import Figures
import Foundation
import XCTest

/// Paths the tests read in place: the package's own fixtures, and the shared real corpus.
enum TestFiles {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Fixtures/jats")
    static let corpus = packageRoot.appendingPathComponent("../shared/corpora/jats").standardizedFileURL
    static let oracles = packageRoot.appendingPathComponent("../shared/corpora/PEER_ORACLES.json").standardizedFileURL

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    /// A real article from ../shared, or a skip when the shared corpus is absent.
    static func real(_ name: String) throws -> Data {
        let url = corpus.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("../shared is absent: \(url.path)")
        }
        return try Data(contentsOf: url)
    }

    static func count(real name: String) throws -> ArticleFigures {
        let articles = try FigureCounter.count(try real(name), file: name)
        XCTAssertEqual(articles.count, 1, "\(name) holds one article")
        guard let a = articles.first else { throw XCTSkip("no article in \(name)") }
        return a
    }

    static func count(fixture name: String) throws -> [ArticleFigures] {
        try FigureCounter.count(try fixture(name), file: name)
    }
}

extension ArticleFigures {
    /// EM panels of one figure by its label ("Figure 4"), as "a:SEM" strings.
    func panels(of label: String) -> [String] {
        figures.first { $0.label == label }?.emPanels.map { "\($0.label):\($0.technique?.rawValue ?? "-")" } ?? []
    }
}
