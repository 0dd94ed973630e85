/// A constant-time test that rules out most words before a `Set` or `Dictionary` look-up.
///
/// Why: the caption rules look every token up in small vocabularies (phrase starts, acronyms,
/// reuse words); hashing a `String` for each costs more than the rest of the rule, and almost
/// every look-up misses. A word can only be in the vocabulary if some entry has the same first
/// byte and the same UTF-8 length, which is two loads and a table read — no false negatives, so
/// the look-up that follows still decides.
struct WordFilter: Sendable {
    /// 256 first bytes × 32 lengths (lengths above 31 share the last column).
    private let table: [Bool]

    init<S: Sequence>(_ words: S) where S.Element == String {
        var t = [Bool](repeating: false, count: 256 * 32)
        for w in words {
            guard let b = w.utf8.first else { continue }
            t[Self.index(b, w.utf8.count)] = true
        }
        table = t
    }

    @inline(__always)
    private static func index(_ first: UInt8, _ length: Int) -> Int {
        Int(first) &* 32 &+ min(length, 31)
    }

    /// The same test on a NUL-terminated UTF-8 name (libxml2's element names), so a name that
    /// cannot match is never decoded into a `String`.
    @inline(__always)
    func mayContain(cString name: UnsafePointer<UInt8>) -> Bool {
        let first = name[0]
        guard first != 0 else { return false }
        var length = 1
        while length < 32 && name[length] != 0 { length += 1 }
        return table[Self.index(first, length)]
    }

    /// False when `word` is certainly not one of the words; true when it may be.
    @inline(__always)
    func mayContain(_ word: String) -> Bool {
        guard let b = word.utf8.first else { return false }
        return table[Self.index(b, word.utf8.count)]
    }
}
