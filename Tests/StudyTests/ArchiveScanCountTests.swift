import Archive
import Foundation
import XCTest
@testable import Study

/// `imagesIndexed` counts the images under the roots just scanned — also when the study indexes
/// other archives too (the count then cannot be taken from the whole table).
final class ArchiveScanCountTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-scan-count-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testImagesIndexedCountsOnlyTheScannedRoots() async throws {
        let study = try Study.create(at: dir, name: "T")
        let first = dir.appendingPathComponent("first").path, second = dir.appendingPathComponent("second").path
        let a = try SyntheticArchive.write(to: first, images: 120, seed: 5)
        let b = try SyntheticArchive.write(to: second, images: 70, seed: 6)
        XCTAssertNotEqual(a.images, b.images)

        // Alone in the study.
        var summary = try await study.scanArchive(roots: [first], options: ScanOptions())
        XCTAssertEqual(summary.imagesIndexed, a.images)
        // Beside another archive: only its own images.
        summary = try await study.scanArchive(roots: [second], options: ScanOptions())
        XCTAssertEqual(summary.imagesIndexed, b.images)
        summary = try await study.scanArchive(roots: [first], options: ScanOptions())
        XCTAssertEqual(summary.imagesIndexed, a.images)
        // Both at once.
        summary = try await study.scanArchive(roots: [first, second], options: ScanOptions())
        XCTAssertEqual(summary.imagesIndexed, a.images + b.images)
    }
}
