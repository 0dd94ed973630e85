/// The exit codes every command uses (docs/cli.md).
enum ExitStatus {
    static let ok: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
    /// The command did its work, but some input was rejected (and reported on stderr).
    static let partial: Int32 = 3
}

/// Thrown by a command that finished but rejected some input; exits with status 3.
struct PartialSuccess: Error {
    var message: String?
}

/// A failure with a message for the user; exits with status 1.
struct CommandFailure: Error {
    var message: String
}
