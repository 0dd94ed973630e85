/// Receives progress from long-running work. Stages call it; the CLI decides whether to draw
/// (only when stderr is a terminal) — so stages never print.
public protocol ProgressReporter: Sendable {
    /// `done` of `total` units (total nil when unknown), with a short label such as "files".
    func report(done: Int, total: Int?, unit: String)
    /// The work is over; a drawn bar should be cleared.
    func finish()
}

/// The reporter used when nobody is watching.
public struct SilentProgress: ProgressReporter {
    public init() {}
    public func report(done: Int, total: Int?, unit: String) {}
    public func finish() {}
}
