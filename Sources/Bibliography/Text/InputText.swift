import Foundation

/// Turns a file's bytes into the UTF-8 every reader expects: a UTF-8 byte-order mark is dropped,
/// UTF-16 (WoS "Win" tab-delimited exports are UTF-16LE) is transcoded. Invalid sequences become
/// U+FFFD rather than stopping the import — a stray byte must never lose a file.
public enum InputText {
    public enum Encoding: String, Sendable { case utf8, utf8BOM = "utf8-bom", utf16LE = "utf16le", utf16BE = "utf16be" }

    /// Takes the bytes over (`consuming`), so that dropping a BOM moves them in place instead of
    /// copying a quarter-gigabyte file.
    public static func normalise(_ bytes: consuming [UInt8]) -> (bytes: [UInt8], encoding: Encoding) {
        var bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes.removeFirst(3)
            return (bytes, .utf8BOM)
        }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return (transcodeUTF16(bytes[2...], littleEndian: true), .utf16LE)
        }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return (transcodeUTF16(bytes[2...], littleEndian: false), .utf16BE)
        }
        // UTF-16LE without a mark: ASCII text with every second byte zero.
        if bytes.count >= 8, bytes[1] == 0, bytes[3] == 0, bytes[0] != 0, bytes[2] != 0 {
            return (transcodeUTF16(bytes[...], littleEndian: true), .utf16LE)
        }
        return (bytes, .utf8)
    }

    static func transcodeUTF16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? (a | b << 8) : (a << 8 | b))
            i += 2
        }
        var out: [UInt8] = []
        out.reserveCapacity(units.count)
        _ = transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: false) { out.append($0) }
        return out
    }

    /// True when the bytes look like a binary file rather than text: NUL bytes or many control
    /// characters near the start.
    public static func looksBinary(_ bytes: [UInt8]) -> Bool {
        let sample = bytes.prefix(8192)
        guard !sample.isEmpty else { return false }
        var control = 0
        for b in sample {
            if b == 0 { return true }
            if b < 0x09 || (b > 0x0D && b < 0x20) { control += 1 }
        }
        return control * 20 > sample.count
    }
}

/// Lines of UTF-8 bytes with their 1-based numbers; CR, LF and CRLF all end a line.
struct LineScanner {
    let bytes: [UInt8]
    var position = 0
    var number = 0

    /// Reads `bytes[..<end]` (all of it when `end` is nil): a streamed chunk's complete records.
    let end: Int

    init(_ bytes: [UInt8], firstLine: Int = 1, start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        position = start
        number = firstLine - 1
        self.end = min(end ?? bytes.count, bytes.count)
    }

    /// The next line (without its terminator) as a range into `bytes`.
    /// Finds the LF with `memchr`, then looks for a CR only before it: a byte-by-byte loop over
    /// every abstract and cited reference was the largest part of reading a WoS file.
    mutating func next() -> Range<Int>? {
        guard position < end else { return nil }
        let n = self.end
        let start = position
        let (stop, after) = bytes.withUnsafeBufferPointer { b -> (Int, Int) in
            let base = b.baseAddress!
            var lf = n
            if let p = memchr(base + start, 0x0A, n - start) { lf = base.distance(to: p.assumingMemoryBound(to: UInt8.self)) }
            if lf > start, let p = memchr(base + start, 0x0D, lf - start) {
                let cr = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                // CRLF ends the line at the CR; a lone CR (old Mac files) ends it too.
                return (cr, cr + 1 == lf && lf < n ? lf + 1 : cr + 1)
            }
            return (lf, lf < n ? lf + 1 : n)
        }
        position = after
        number += 1
        return start..<stop
    }
}

extension LineScanner {
    /// Lines in `bytes[start..<end]` as `next()` counts them (LF, CRLF or a lone CR end a line),
    /// for a range that ends after a line break.
    static func count(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, start < end else { return 0 }
            // Every LF, found with memchr; then every CR not followed by LF (rare: old Mac files).
            var c = 0
            var i = start
            while i < end, let p = memchr(base + i, 0x0A, end - i) {
                c &+= 1
                i = base.distance(to: p.assumingMemoryBound(to: UInt8.self)) + 1
            }
            i = start
            while i < end, let p = memchr(base + i, 0x0D, end - i) {
                let k = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                if k + 1 >= end || base[k + 1] != 0x0A { c &+= 1 }
                i = k + 1
            }
            return c
        }
    }
}

extension Array where Element == UInt8 {
    func string(_ range: Range<Int>) -> String { String(decoding: self[range], as: UTF8.self) }
}
