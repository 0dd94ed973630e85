import Archive
import ArgumentParser
import Core
import Reports

/// `lostdata archive inspect FILE`: what one image or metadata file yields.
struct ArchiveInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what one image or sidecar yields: instrument, date, detector, technique, magnification, pixel size, FOV, voltage.",
        discussion: """
        For an image, its sidecar (same folder and base name, .txt or .hdr) is read, else the \
        metadata embedded in a TIFF. For a sidecar, the image beside it. Needs no study; \
        --instrument NAME=TECHNIQUE:PATH supplies a folder mapping as `archive scan` would.
        """
    )

    @Argument(help: ArgumentHelp("An image or sidecar file.", valueName: "FILE"))
    var files: [String]

    @Option(name: .customLong("instrument"), help: ArgumentHelp("Folder → instrument map entry (repeatable).", valueName: "NAME=TECHNIQUE:PATH"))
    var instruments: [InstrumentArgument] = []

    @Flag(name: .long, help: "One JSON object per file on stdout.")
    var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let options = ScanOptions(instruments: instruments.map(\.folder))
        var failed = 0
        for file in files {
            let record: ImageRecord
            do { record = try Inspection.inspect(file, options: options) } catch {
                Diagnostics.error("\(error.path): \(error.message)")
                failed += 1
                continue
            }
            let obj = ArchiveJSON.record(record)
            if json {
                try Output.write(obj.rendered() + "\n", to: nil)
            } else {
                guard case .object(let pairs) = obj else { continue }
                var out = ""
                for (k, v) in pairs where k != "findings" {
                    var text = v.rendered()
                    if case .string(let s) = v { text = s }
                    out += k.padding(toLength: 22, withPad: " ", startingAt: 0) + text + "\n"
                }
                for f in record.findings { out += "finding               \(f.kind.rawValue): \(f.message)\n" }
                try Output.write(out + "\n", to: nil)
            }
        }
        if failed == files.count { throw ExitCode(ExitStatus.failure) }
        if failed > 0 { throw PartialSuccess(message: "\(failed) of \(files.count) file(s) could not be inspected") }
    }
}
