import Core
import Foundation
import XCTest

final class FolderWriterTests: XCTestCase {
    /// Only files whose bytes change are written (their modification time is the content's), and
    /// a file that cannot be written names its path.
    func testWritesOnlyChangedFilesAndNamesTheFileItCannotWrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-folder-writer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files: [(path: String, content: String)] = [("index.html", "<p>1</p>"), ("data/table1.csv", "a,b\n")]
        XCTAssertEqual(try FolderWriter.writeChanged(files, below: dir), ["index.html", "data/table1.csv"])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("data/table1.csv"), encoding: .utf8), "a,b\n")
        XCTAssertEqual(try FolderWriter.writeChanged(files, below: dir), [], "nothing changed, nothing written")
        XCTAssertEqual(try FolderWriter.writeChanged([files[0], ("data/table1.csv", "a,b\n1,2\n")], below: dir), ["data/table1.csv"])

        // A plain file where a folder must go: the write fails and says which file.
        try Data("x".utf8).write(to: dir.appendingPathComponent("blocked"))
        XCTAssertThrowsError(try FolderWriter.writeChanged([("blocked/report.json", "{}")], below: dir)) { error in
            let failure = error as? FolderWriter.Failure
            XCTAssertEqual(failure?.path, dir.appendingPathComponent("blocked/report.json").path)
            XCTAssertFalse(failure?.reason.isEmpty ?? true)
        }
    }
}
