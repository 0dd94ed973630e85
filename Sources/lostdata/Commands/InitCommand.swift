import ArgumentParser
import Foundation
import Study

/// `lostdata init DIR`: a new study workspace.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a study: DIR/study.yaml (to edit) and DIR/study.sqlite.",
        discussion: "Refuses to touch a directory that already holds a study.yaml. Keys: docs/study-file.md."
    )

    @Argument(help: ArgumentHelp("Where to create the study (made if missing).", valueName: "DIR"))
    var directory: String

    @Option(help: "A title for reports (default: the directory's name).")
    var name: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        try Study.create(at: url, name: name)
        Diagnostics.info("Created the study in \(directory): edit \(directory)/study.yaml, then run lostdata commands with --study \(directory).")
    }
}
