import Core
import Foundation

/// `lostdata run`'s progress for one stage, on stderr. On a terminal: a bar redrawn in place
/// (`\r`, erase-to-end), replaced when the stage ends by one line with a full bar and the
/// stage's counts. Elsewhere (a log, CI): plain lines only — no escape codes — one every
/// `plainInterval` seconds while the stage works, and its counts when it ends. --quiet: nothing.
final class StageProgress: ProgressReporter, @unchecked Sendable {
    static let barWidth = 30
    static let plainInterval: TimeInterval = 5

    private let stage: String
    private let terminal: Bool
    private let quiet: Bool
    private let lock = NSLock()
    private let start = Date()
    private var lastLine = Date()
    private var drawn = false

    init(stage: String, terminal: Bool = Diagnostics.stderrIsTerminal, quiet: Bool = Diagnostics.quiet) {
        self.stage = stage
        self.terminal = terminal
        self.quiet = quiet
    }

    static func bar(_ fraction: Double) -> String {
        let filled = Int(min(1, max(0, fraction)) * Double(barWidth))
        return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: barWidth - filled) + "]"
    }

    var label: String { (stage + ":").padding(toLength: 15, withPad: " ", startingAt: 0) }

    func report(done: Int, total: Int?, unit: String) {
        guard !quiet else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        let counts = total.map { "\(done)/\($0) \(unit)" } ?? "\(done) \(unit)"
        if terminal {
            guard now.timeIntervalSince(lastLine) >= 0.1 || !drawn else { return }
            lastLine = now
            let bar = total.map { $0 > 0 ? Self.bar(Double(done) / Double($0)) + " " : "" } ?? ""
            FileHandle.standardError.write(Data(("\r" + label + bar + counts + "\u{1B}[K").utf8))
            drawn = true
        } else {
            guard now.timeIntervalSince(lastLine) >= Self.plainInterval else { return }
            lastLine = now
            let percent = total.map { $0 > 0 ? String(format: " (%.0f %%)", Double(done) * 100 / Double($0)) : "" } ?? ""
            Diagnostics.write("\(stage): \(counts)\(percent)")
        }
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }

    /// The stage's closing line: its counts and time.
    func done(_ counts: String) {
        guard !quiet else { return }
        finish()
        let seconds = String(format: "%.2f s", Date().timeIntervalSince(start))
        Diagnostics.write(terminal ? label + Self.bar(1) + " " + counts + ", " + seconds : "\(stage): \(counts), \(seconds)")
    }
}
