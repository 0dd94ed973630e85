/// Values the command line keeps until the process exits instead of freeing them on the way
/// out. A large report (tens of thousands of records, each with many strings) costs a release per
/// string when it goes out of scope; the process ends right after, and the kernel reclaims the
/// whole heap at once. Only for the executable: library code must free what it makes.
enum ProcessLifetime {
    nonisolated(unsafe) private static var kept: [Any] = []

    /// Keeps `value` alive until exit. Called once per command run, from the main thread.
    static func keep(_ value: Any) { kept.append(value) }
}
