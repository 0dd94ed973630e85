import Core
import Foundation

/// Writes a command's result to stdout, or to a file (atomically) with `--output`.
enum Output {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw InputError("cannot write the output: \(error.localizedDescription)", file: path)
        }
    }
}
