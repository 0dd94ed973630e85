import Core
import Foundation

/// A progress bar on stderr — drawn only when stderr is a terminal, only after the work has
/// taken a second, and never with --quiet. Stages report through `ProgressReporter`; this draws.
final class TerminalProgress: ProgressReporter, @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let enabled: Bool

    init() {
        enabled = Diagnostics.stderrIsTerminal && !Diagnostics.quiet
    }

    /// The reporter a command should hand to a stage.
    static func make() -> any ProgressReporter {
        (Diagnostics.stderrIsTerminal && !Diagnostics.quiet) ? TerminalProgress() : SilentProgress()
    }

    func report(done: Int, total: Int?, unit: String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        guard elapsed >= 1, now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let rate = Double(done) / max(elapsed, 0.001)
        var line = "\r"
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 30
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            line += "\(done)/\(total) \(unit)"
            if rate > 0 { line += String(format: ", %.0f %@/s, ETA %@", rate, unit, Self.clock(Double(total - done) / rate)) }
        } else {
            line += "\(done) \(unit)" + String(format: ", %.0f %@/s", rate, unit)
        }
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
        drawn = true
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }

    static func clock(_ seconds: Double) -> String {
        // A rate near zero gives an ETA beyond any Int (or infinite): shown as unknown.
        guard seconds.isFinite, seconds < 1e9, let s = Int(exactly: max(0, seconds.rounded())) else { return "--:--" }
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
