import ArgumentParser
import Foundation
import Logging
import ReviewWeb
import Study

/// `lostdata review serve`: the review page on 127.0.0.1, until Ctrl-C.
struct ReviewServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the review page on 127.0.0.1 (the address, with this run's token, is stdout's first line).",
        discussion: """
        Check categories, exclusions and image counts in a browser; every change is saved at once \
        in study.sqlite as a decision (who, when, the value it replaced). Stop with Ctrl-C. \
        See docs/review.md.
        """)

    @OptionGroup var studyOptions: StudyOptions

    @Option(name: .long, help: ArgumentHelp("The port on 127.0.0.1 (default: a free one).", valueName: "N"))
    var port: Int = 0

    @Option(name: .long, help: ArgumentHelp("Who decides (default: $USER).", valueName: "NAME"))
    var reviewer: String?

    @Flag(name: .long, help: "Open the page in the default browser (xdg-open / open).")
    var open = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port takes 0 to 65535") }
    }

    func run() async throws {
        let study = try studyOptions.open()
        let name = reviewer ?? ProcessInfo.processInfo.environment["USER"] ?? ""
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CommandFailure(message: "no reviewer: pass --reviewer NAME (decisions record who made them)")
        }
        let server = try ReviewServer(study: study, options: .init(port: port, reviewer: name))
        let openBrowser = open
        var logger = Logger(label: "lostdata.review")
        logger.logLevel = .warning
        do {
            try await server.run(logger: logger) { url in
                // The first line of stdout, flushed at once: scripts and tests read it.
                FileHandle.standardOutput.write(Data((url + "\n").utf8))
                Diagnostics.info("serving the review page of \(study.directory.path); stop with Ctrl-C")
                if openBrowser { Self.openInBrowser(url) }
            }
        } catch {
            throw CommandFailure(message: "the review server stopped: \(error)")
        }
        Diagnostics.info("review server stopped")
    }

    static func openInBrowser(_ url: String) {
        for tool in ["/usr/bin/xdg-open", "/usr/bin/open"] where FileManager.default.isExecutableFile(atPath: tool) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = [url]
            try? p.run()
            return
        }
        Diagnostics.warning("no xdg-open or open found; open the address above by hand")
    }
}
