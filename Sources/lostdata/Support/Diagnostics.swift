import Foundation
import Logging

/// Everything a command says that is not its result goes to stderr, through here, so that
/// stdout stays clean for `--json` and pipes.
enum Diagnostics {
    /// Set once at start-up from --quiet/--verbose.
    nonisolated(unsafe) static var quiet = false

    static func bootstrapLogging(arguments: [String]) {
        quiet = arguments.contains("--quiet") || arguments.contains("-q")
        let verbose = arguments.contains("--verbose")
        let level: Logger.Level = verbose ? .debug : (quiet ? .error : .warning)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    static func error(_ message: String) {
        write("lostdata: error: \(message)")
    }

    static func warning(_ message: String) {
        if !quiet { write("lostdata: warning: \(message)") }
    }

    /// Informational lines (summaries of what a command did); silenced by --quiet.
    static func info(_ message: String) {
        if !quiet { write(message) }
    }

    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}
