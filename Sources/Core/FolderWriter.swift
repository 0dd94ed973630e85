import Foundation

/// Writes a set of generated files (a report's pages, tables and data) below a folder, leaving
/// alone every file whose bytes would not change — so its modification time says when its
/// content last changed, and a re-run that changes nothing writes nothing. Shared by the study
/// report and the catalogue report.
public enum FolderWriter {
    /// A file that could not be written: its full path and the system's reason.
    public struct Failure: Error, Sendable {
        public let path: String
        public let reason: String
    }

    /// Writes each `(path relative to out, content)` whose bytes differ from what is there,
    /// atomically, creating folders as needed. Returns the relative paths written, in order.
    @discardableResult
    public static func writeChanged(_ files: [(path: String, content: String)], below out: URL) throws -> [String] {
        var written: [String] = []
        let fm = FileManager.default
        for (path, content) in files {
            let url = out.appendingPathComponent(path)
            let data = Data(content.utf8)
            if fm.contents(atPath: url.path) == data { continue }
            do {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url, options: .atomic)
            } catch {
                throw Failure(path: url.path, reason: error.localizedDescription)
            }
            written.append(path)
        }
        return written
    }
}
