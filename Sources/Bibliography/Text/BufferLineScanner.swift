#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// `LineScanner` over bytes the caller holds for the whole scan (inside `withUnsafeBufferPointer`):
/// the same lines and numbers, for the WoS plain-text reader's loop over every line of a file.
/// Two differences in how, none in what:
/// - the range is searched for a CR once, up front; without one (every export seen) each line
///   costs one `memchr` instead of two — the per-call overhead over ~1.8 million short lines of a
///   98 MB WoS file was most of what finding lines cost;
/// - no array access per line (no bounds checks, no buffer lookup).
struct BufferLineScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    var number: Int
    let end: Int
    let hasCR: Bool

    init(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int = 1, start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        position = start
        number = firstLine - 1
        let end = min(end ?? bytes.count, bytes.count)
        self.end = end
        if let base = bytes.baseAddress, start < end {
            hasCR = memchr(base + start, 0x0D, end - start) != nil
        } else {
            hasCR = false
        }
    }

    /// The next line (without its terminator) as a range into `bytes`; CR, LF and CRLF end a line.
    @inline(__always) mutating func next() -> Range<Int>? {
        guard position < end, let base = bytes.baseAddress else { return nil }
        let n = end
        let start = position
        var lf = n
        if let p = memchr(base + start, 0x0A, n - start) { lf = base.distance(to: p.assumingMemoryBound(to: UInt8.self)) }
        number += 1
        if hasCR, lf > start, let p = memchr(base + start, 0x0D, lf - start) {
            let cr = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
            // CRLF ends the line at the CR; a lone CR (old Mac files) ends it too.
            position = cr + 1 == lf && lf < n ? lf + 1 : cr + 1
            return start..<cr
        }
        position = lf < n ? lf + 1 : n
        return start..<lf
    }
}
