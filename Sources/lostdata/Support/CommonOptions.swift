import ArgumentParser
import Foundation
import Logging
import Study

/// `--study DIR`, taken by every command that works on a study.
struct StudyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The study directory (holding study.yaml).", valueName: "DIR"))
    var study: String = "."

    var url: URL { URL(fileURLWithPath: study, isDirectory: true) }

    func open() throws -> Study {
        try Study.open(url, logger: Logger(label: "lostdata"))
    }
}

/// `--quiet` and `--verbose`, taken by every command. (Read at start-up by Diagnostics.)
struct GlobalOptions: ParsableArguments {
    @Flag(name: [.short, .long], help: "Print only errors on stderr.")
    var quiet = false

    @Flag(name: .long, help: "Print debug logging on stderr.")
    var verbose = false
}
