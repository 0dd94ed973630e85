#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File and folder names as the archive's file system holds them — bytes — carried as `String`s
/// without losing one.
///
/// Why: Linux names are bytes, and an archive copied from a Windows or old Samba share keeps
/// names in a legacy code page (`caf\xE9`, CP932 Japanese). `String(cString:)` repairs such a name
/// to U+FFFD, whose UTF-8 is other bytes: `fstatat` and `openat` then failed with ENOENT and the
/// image, or a whole folder, was reported unreadable and left out of the counts.
///
/// The mapping (PEP 383's idea, with private-use scalars because a Swift `String` cannot hold
/// lone surrogates): valid UTF-8 stays as it is, and every byte of an invalid sequence becomes
/// U+F700 + byte. The same is done to the bytes of any U+F700…U+F7FF a valid name holds (Apple's
/// function-key code points, not met in file names), so `bytes(decode(b)) == b` for every name
/// and two names never share a `String`. The index stores these `String`s; a message shows such a
/// byte as that private-use character.
public enum ArchiveFileName {
    static let escapeBase: UInt32 = 0xF700

    /// The `String` for a NUL-terminated name from `readdir`.
    public static func decode(_ name: UnsafePointer<CChar>) -> String {
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name))
        // The usual case, one pass: valid UTF-8 without the escape range's lead byte.
        if !bytes.contains(0xEF), let s = String(validating: bytes, as: UTF8.self) { return s }
        return decode(bytes)
    }

    /// `decode` of a name's bytes (without the NUL).
    public static func decode<C: Collection<UInt8>>(_ bytes: C) -> String {
        var scalars = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var rest = bytes[...]
        func escape(_ n: Int) {
            for b in rest.prefix(n) { scalars.append(Unicode.Scalar(escapeBase + UInt32(b))!) }
            rest = rest.dropFirst(n)
        }
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if scalar.value >= escapeBase && scalar.value <= escapeBase + 0xFF {
                    escape(encoded.count)
                } else {
                    scalars.append(scalar)
                    rest = rest.dropFirst(encoded.count)
                }
            case .error(let length):
                escape(length)
            case .emptyInput:
                break loop
            }
        }
        return String(scalars)
    }

    /// The bytes `name` (or a path of such names) stands for: `decode`'s inverse.
    public static func bytes(_ name: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            if scalar.value >= escapeBase && scalar.value <= escapeBase + 0xFF {
                out.append(UInt8(scalar.value - escapeBase))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }

    /// `text` for a person: each byte kept by `decode` written `\xE9`, since the private-use
    /// character shows as nothing in a terminal ("saved as 'a.tif', now named 'a.tif'").
    public static func readable(_ text: String) -> String {
        guard text.utf8.contains(0xEF) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value >= escapeBase && scalar.value <= escapeBase + 0xFF {
                let b = scalar.value - escapeBase
                out += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Calls `body` with the NUL-terminated bytes of `path` for a system call.
    @inline(__always)
    public static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) -> R) -> R {
        // Without byte 0xEF (the escape range's UTF-8 lead byte) the UTF-8 is already the bytes.
        if !path.utf8.contains(0xEF) { return path.withCString(body) }
        var b = bytes(path)
        b.append(0)
        return b.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}
