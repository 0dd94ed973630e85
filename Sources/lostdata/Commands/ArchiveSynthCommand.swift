import Archive
import ArgumentParser
import Foundation
import Reports

/// `lostdata archive synth DIR`: a deterministic synthetic archive for tests, demos and benchmarks.
struct ArchiveSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic instrument archive shaped like the paper's into DIR.",
        discussion: """
        Two Hitachi SEMs (SU8000 with CP1252/CP1251 sidecars and MM/DD/YYYY dates; SU8230 with \
        UTF-16LE sidecars and YYYY/MM/DD) and an HT7700 TEM embedding its [TemImageFile] text in \
        TIFF tag 40092; ~21% TEM, ~3% STEM, ~72% of images with sidecars; JPEG/PNG exports \
        without metadata, orphan sidecars, clutter, truncated and corrupt files, renamed images \
        and reset file times. Images are tiny (8×8 pixels). The same --seed writes the same bytes. \
        DIR/\(SyntheticArchive.manifestName) lists the counts written; scan with the folder map \
        it gives (--instrument SU8000=SEM:DIR/SU8000 …) to reproduce them.
        """
    )

    @Argument(help: ArgumentHelp("A new or empty directory.", valueName: "DIR"))
    var directory: String

    @Option(help: ArgumentHelp("Number of images (152097 is the paper's archive).", valueName: "N"))
    var images: Int = 1000

    @Option(help: ArgumentHelp("Random seed.", valueName: "S"))
    var seed: UInt64 = 1

    @Flag(name: .long, help: "Print the manifest on stdout as one JSON object.")
    var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if images < 0 { throw ValidationError("--images takes a number ≥ 0") }
    }

    func run() throws {
        let m = try SyntheticArchive.write(to: directory, images: images, seed: seed)
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            try Output.write(String(decoding: try e.encode(m), as: UTF8.self) + "\n", to: nil)
        } else {
            Diagnostics.info("Wrote \(m.images) images (\(m.byTechnique.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))), \(m.sidecars) sidecars, \(m.files) files in \(m.directories) folders to \(directory).")
        }
    }
}
