import Archive
import ArgumentParser
import Core
import Foundation
import Reports
import Study

/// `lostdata archive …`: audit an instrument archive — what was acquired, when, how, at what scale.
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Index an instrument archive and count its images by year, instrument, technique, detector and scale.",
        discussion: """
        `archive scan` walks the archive (read-only: not a byte is written there) and keeps an index \
        of every image in the study database: path, size, mtime and what its sidecar or embedded \
        metadata says. Scanning again reads only new or changed files and forgets deleted ones. \
        `count`, `group-by` and `check` then answer from the index in milliseconds; \
        `inspect` shows what one file yields. `synth` writes a synthetic archive for trials. \
        Reference: docs/archive.md.
        """,
        subcommands: [
            ArchiveScanCommand.self, ArchiveCountCommand.self, ArchiveGroupByCommand.self,
            ArchiveCheckCommand.self, ArchiveInspectCommand.self, ArchiveSynthCommand.self,
        ]
    )
}

/// `--instrument NAME=TECHNIQUE:PATH`.
struct InstrumentArgument: ExpressibleByArgument {
    var folder: InstrumentFolder

    init?(argument: String) {
        guard let eq = argument.firstIndex(of: "="), let colon = argument[eq...].firstIndex(of: ":") else { return nil }
        let name = String(argument[..<eq])
        let techniqueName = String(argument[argument.index(after: eq)..<colon])
        let path = String(argument[argument.index(after: colon)...])
        guard !name.isEmpty, !path.isEmpty, let technique = Technique(name: techniqueName) else { return nil }
        folder = InstrumentFolder(name: name, technique: technique, path: ArchivePaths.normalise(path))
    }

    static var defaultValueDescription: String { "NAME=TECHNIQUE:PATH" }
}

/// JSON helpers shared by the archive commands.
enum ArchiveJSON {
    /// Shortest round-trip text; whole numbers without a fraction.
    static func number(_ d: Double?) -> JSONValue {
        guard let d, d.isFinite else { return .null }
        if d == d.rounded(), abs(d) < 1e15 { return .number(String(Int64(d))) }
        return .number("\(d)")
    }

    static func string(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    static func int(_ i: Int?) -> JSONValue { i.map { .int($0) } ?? .null }

    /// What `archive inspect` prints for one image.
    static func record(_ r: ImageRecord) -> JSONValue {
        .object([
            ("path", .string(r.path)),
            ("instrument", string(r.instrument)),
            ("date", string(r.acquiredAt?.description)),
            ("detector", string(r.detector)),
            ("detectorClass", string(r.detectorClass?.rawValue)),
            ("technique", string(r.technique?.rawValue)),
            ("magnification", number(r.magnification)),
            ("pixelSizeNm", number(r.pixelSizeNm)),
            ("widthPx", int(r.widthPx)),
            ("heightPx", int(r.heightPx)),
            ("fovNm", number(r.fovNm)),
            ("acceleratingVoltageV", number(r.acceleratingVoltageV)),
            ("scaleBarNm", number(r.scaleBarNm)),
            ("decadeNm", number(r.decadeNm)),
            ("metadataFormat", string(r.metadataFormat?.rawValue)),
            ("metadataOrigin", string(r.metadataOrigin?.rawValue)),
            ("instrumentOrigin", string(r.instrumentOrigin?.rawValue)),
            ("fovOrigin", string(r.fovOrigin?.rawValue)),
            ("fileDate", .string(AcquisitionDate(epochSeconds: r.mtimeNs / 1_000_000_000).description)),
            ("findings", .array(r.findings.map { .object([("kind", .string($0.kind.rawValue)), ("path", .string($0.path)), ("message", .string($0.message))]) })),
        ])
    }
}
