import ArgumentParser
import Core
import Foundation
import Study

/// Entry point. Parses with ArgumentParser, then maps every outcome onto the exit codes of
/// docs/cli.md: 0 ok, 1 failure, 2 usage, 3 partial success (some input rejected).
@main
enum Main {
    static func main() async {
        // A file-size limit (`ulimit -f`) kills a process with SIGXFSZ by default, mid-write and
        // without a word; ignored, the write fails with EFBIG instead, SQLite rolls the
        // transaction back, and the user reads why (`StudyDatabaseFailure`).
        signal(SIGXFSZ, SIG_IGN)
        let arguments = OptionalValueOptions.expand(Array(CommandLine.arguments.dropFirst()))
        Diagnostics.bootstrapLogging(arguments: arguments)
        do {
            var command = try LostDataCommand.parseAsRoot(arguments)
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            Main.exit(for: error)
        }
    }

    static func exit(for error: Error) -> Never {
        switch error {
        case let e as InputError:
            Diagnostics.error(e.description)
            Foundation.exit(ExitStatus.failure)
        case let e as PartialSuccess:
            if let message = e.message { Diagnostics.warning(message) }
            Foundation.exit(ExitStatus.partial)
        case let e as CommandFailure:
            Diagnostics.error(e.message)
            Foundation.exit(ExitStatus.failure)
        default:
            if let plain = StudyDatabaseFailure.message(for: error) {
                Diagnostics.error(plain)
                Foundation.exit(ExitStatus.failure)
            }
            let code = LostDataCommand.exitCode(for: error)
            let message = LostDataCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(ExitStatus.ok)
            }
            if code == .validationFailure {
                if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
                Foundation.exit(ExitStatus.usage)
            }
            Diagnostics.error(message.isEmpty ? "\(error)" : message)
            Foundation.exit(ExitStatus.failure)
        }
    }
}
