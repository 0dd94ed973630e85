import ArgumentParser
import Catalogue
import Foundation

/// `lostdata catalogue export --format ro-crate`: a FAIR listing of the unpublished image sets.
struct CatalogueExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an RO-Crate 1.1 describing the unpublished image sets per facility.",
        discussion: """
        Writes DIR/ro-crate-metadata.json (JSON-LD): per facility, instrument, technique and year, \
        the image sets with their counts, date range, field-of-view and scale-bar ranges, \
        detectors, and the facility's published fraction — what a data scientist needs to ask a \
        facility for the images. No image or path is included.
        """
    )

    @Option(name: .customLong("from"), help: ArgumentHelp("The catalogue (postgres://…); default: LOSTDATA_CATALOGUE_URL or PG* variables.", valueName: "URL"))
    var url: String?

    @Option(name: .long, help: ArgumentHelp("Export format: ro-crate.", valueName: "FORMAT"))
    var format: String = "ro-crate"

    @Option(name: .customLong("facility"), help: ArgumentHelp("A facility to include (repeatable; default: all).", valueName: "NAME"))
    var facilities: [String] = []

    @Option(name: [.short, .long], help: ArgumentHelp("The crate directory (created if missing).", valueName: "DIR"))
    var output: String = "."

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if format != "ro-crate" { throw ValidationError("--format: only ro-crate is supported") }
    }

    func run() async throws {
        let crate = try await withCatalogue(url) { try await CatalogueROCrate.metadata($0, facilities: facilities) }
        let dir = URL(fileURLWithPath: output, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("ro-crate-metadata.json")
        try Output.write(crate, to: file.path)
        Diagnostics.info("wrote \(file.path)")
    }
}
