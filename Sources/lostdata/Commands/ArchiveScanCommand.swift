import Core
import Archive
import ArgumentParser
import Foundation
import Reports
import Study

/// `lostdata archive scan ROOT…`: build or refresh the acquisition index.
struct ArchiveScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Index the images under ROOT… (new and changed files only on a rescan).",
        discussion: """
        Walks each ROOT without following symbolic links and without writing anything there. \
        Images are .tif .tiff .jpg .jpeg .png .bmp .dm3 .dm4 in any letter case; NAME.txt or \
        NAME.hdr beside NAME.ext is its sidecar. Everything else is counted as ignored. \
        Without ROOT, the roots listed under archive.roots in study.yaml are scanned.

        --instrument NAME=TECHNIQUE:PATH says that images under PATH come from instrument NAME \
        of technique SEM, STEM or TEM — used when an image's metadata does not say (a JPEG \
        export, a TIFF without tags). Repeatable; adds to archive.instruments in study.yaml.

        Unreadable entries, orphan sidecars and bad metadata are reported by `archive check`; \
        the scan carries on, and exits with 3 when a file could not be read, or its metadata was \
        unparseable or truncated.
        """
    )

    @Argument(help: ArgumentHelp("Archive folders to scan (default: archive.roots in study.yaml).", valueName: "ROOT"))
    var roots: [String] = []

    @Option(name: .customLong("instrument"), help: ArgumentHelp("Folder → instrument map entry (repeatable).", valueName: "NAME=TECHNIQUE:PATH"))
    var instruments: [InstrumentArgument] = []

    @Flag(name: .long, help: "Print the summary as one JSON object on stdout.")
    var json = false

    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let study = try studyOptions.open()
        let roots = try study.archiveRoots(self.roots)
        let options = study.archiveScanOptions(extraInstruments: instruments.map(\.folder))
        let s = try await study.scanArchive(roots: roots, options: options, progress: TerminalProgress.make())
        // Input that could not be read counts as rejected; findings such as orphans or images
        // without metadata are facts about the archive, not failures of the scan.
        let rejecting: Set<String> = [ArchiveFinding.Kind.unreadable.rawValue, ArchiveFinding.Kind.unparseable.rawValue,
                                      ArchiveFinding.Kind.truncated.rawValue]
        let problems = s.findings.filter { rejecting.contains($0.key) }.values.reduce(0, +)
        if json {
            let findings = JSONValue.object(s.findings.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })
            let obj = JSONValue.object([
                ("roots", .array(s.roots.map { .string($0) })), ("directories", .int(s.directories)),
                ("unchangedDirectories", .int(s.unchangedDirectories)), ("files", .int(s.files)),
                ("imagesRead", .int(s.imagesRead)), ("imagesIndexed", .int(s.imagesIndexed)),
                ("imagesForgotten", .int(s.imagesForgotten)), ("directoriesForgotten", .int(s.directoriesForgotten)),
                ("findings", findings), ("seconds", ArchiveJSON.number((s.seconds * 1000).rounded() / 1000)),
            ])
            try Output.write(obj.rendered() + "\n", to: nil)
        } else {
            Diagnostics.info(String(format: "Scanned %d files in %d directories (%d unchanged) in %.2f s: %d images read, %d indexed, %d forgotten.",
                                    s.files, s.directories, s.unchangedDirectories, s.seconds, s.imagesRead, s.imagesIndexed, s.imagesForgotten))
            if !s.findings.isEmpty {
                Diagnostics.info("Findings: " + s.findings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                                 + " — details: lostdata archive check")
            }
        }
        if problems > 0 {
            throw PartialSuccess(message: "\(problems) file(s) unreadable, unparseable or truncated; see `lostdata archive check`")
        }
    }
}
