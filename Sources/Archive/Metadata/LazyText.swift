/// A value kept as a range of the UTF-8 bytes it was read from; a `String` is made only when
/// asked for. Hitachi's `ImageName` is needed only to compare it with the file's name (on bytes,
/// see `ImageNameMatch.same(saved:name:)` for `LazyText`) and as text only for a mismatch
/// finding: making it a `String` for every image was a heap allocation per sidecar (names are
/// longer than the 15 bytes a `String` holds inline).
///
/// Equal and hashed as the `String` it stands for, so `AcquisitionMetadata` compares as before.
public struct LazyText: Hashable, Sendable, CustomStringConvertible {
    /// The whole buffer (shared, not copied: keeping it costs one retain).
    let buffer: [UInt8]
    let range: Range<Int>

    init(_ buffer: [UInt8], _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count)
        (self.buffer, self.range) = (buffer, range)
    }

    public init(_ string: String) {
        buffer = Array(string.utf8)
        range = 0..<buffer.count
    }

    /// The text, invalid UTF-8 repaired as `String(decoding:as:)` does.
    public var string: String {
        buffer.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Same as `string.isEmpty` (invalid bytes decode to U+FFFD, never to nothing).
    public var isEmpty: Bool { range.isEmpty }

    public var description: String { string }

    /// The bytes, for reading without a `String`.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    public static func == (a: LazyText, b: LazyText) -> Bool { a.string == b.string }
    public func hash(into hasher: inout Hasher) { hasher.combine(string) }
}
