import Core
import Archive
import ArgumentParser
import Reports
import Study

/// `lostdata archive check`: what the scan found wrong or odd in the archive.
struct ArchiveCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List images without metadata, orphan sidecars, bad metadata, renamed files, date disagreements, unknown detectors and ignored files.",
        discussion: """
        Kinds: no-metadata, orphan-sidecar, unparseable, truncated, image-name-mismatch, \
        date-mismatch, unknown-detector, not-electron-image (navigation-camera photos), bad-value, \
        ignored, symlink, unreadable. \
        Without --json: a count per kind, the unknown detector names, and the first --limit \
        paths of each kind. With --json: one object per finding per line \
        ({"kind":…,"path":…,"line":…,"message":…,"image":…}); --summary prints one object per \
        kind with its count instead.
        """
    )

    @Option(name: .customLong("kind"), help: ArgumentHelp("Only findings of this kind (repeatable).", valueName: "KIND"))
    var kinds: [String] = []

    @Flag(name: .long, help: "With --json: counts per kind only.")
    var summary = false

    @Option(help: ArgumentHelp("Paths shown per kind in the text report.", valueName: "N"))
    var limit = 5

    @Flag(name: .long, help: "Machine output on stdout, one JSON object per line.")
    var json = false
    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        for k in kinds where ArchiveFinding.Kind(rawValue: k) == nil {
            throw ValidationError("unknown kind '\(k)'; use: \(ArchiveFinding.Kind.allCases.map(\.rawValue).joined(separator: " "))")
        }
    }

    func run() throws {
        let study = try studyOptions.open()
        let kinds = self.kinds.compactMap(ArchiveFinding.Kind.init(rawValue:))
        let (byKind, unknown, images) = try study.archiveFindingSummary()
        let shown = kinds.isEmpty ? byKind : byKind.filter { kinds.contains($0.0) }
        var out = ""
        if json && summary {
            for (k, n) in shown { out += JSONValue.object([("kind", .string(k.rawValue)), ("count", .int(n))]).rendered() + "\n" }
        } else if json {
            for f in try study.archiveFindings(kinds: kinds) {
                out += JSONValue.object([("kind", .string(f.kind)), ("path", .string(f.path)), ("line", ArchiveJSON.int(f.line)),
                                         ("message", .string(f.message)), ("image", ArchiveJSON.string(f.image))]).rendered() + "\n"
            }
        } else {
            out += "\(images) images indexed.\n"
            for (k, n) in shown { out += "\(k.rawValue): \(n)\n" }
            if !unknown.isEmpty {
                out += "Unknown detector names: " + unknown.map { "\($0.0) (\($0.1))" }.joined(separator: ", ") + "\n"
            }
            let all = try study.archiveFindings(kinds: kinds)
            var perKind: [String: Int] = [:]
            for f in all {
                perKind[f.kind, default: 0] += 1
                if perKind[f.kind]! <= limit {
                    out += ArchiveFileName.readable("  \(f.kind)  \(f.path)\(f.line.map { ":\($0)" } ?? ""): \(f.message)") + "\n"
                }
            }
        }
        try Output.write(out, to: nil)
    }
}
