/// Values the command line keeps until the process exits instead of freeing them on the way
/// out. A large report (tens of thousands of records, each with many strings) costs a release per
/// string when it goes out of scope; the process ends right after, and the kernel reclaims the
/// whole heap at once. Only for the executable: library code must free what it makes.
enum ProcessLifetime {
    private final class Box {
        let value: Any
        init(_ value: Any) { self.value = value }
    }

    /// Keeps `value` alive until exit: one deliberate, unbalanced retain (no global state).
    static func keep(_ value: Any) { _ = Unmanaged.passRetained(Box(value)) }
}
