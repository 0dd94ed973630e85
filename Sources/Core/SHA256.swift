import Crypto

/// SHA-256 (FIPS 180-4), for the report's input checksums (a reader can check the files they
/// hold with `sha256sum`) and `lostdata run`'s fingerprints. A thin face over swift-crypto
/// (BoringSSL, SHA-NI instructions where the CPU has them), already in the build for the
/// catalogue's PostgreSQL client. The fifty hand-written lines it replaces hashed ~100 MB/s and
/// took 27 % of a warm `lostdata run` (perf, issue 14; docs/performance.md).
public struct SHA256: Sendable {
    private var inner = Crypto.SHA256()

    public init() {}

    /// The hex digest of `bytes`.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        var s = SHA256()
        s.update(bytes)
        return hexString(s.finalize())
    }

    /// Lower-case hex of a digest.
    public static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(digest.count * 2)
        for b in digest { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public mutating func update(_ bytes: some Collection<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ inner.update(bufferPointer: UnsafeRawBufferPointer($0)) }) != nil { return }
        Array(bytes).withUnsafeBytes { inner.update(bufferPointer: $0) }
    }

    /// Hashes raw memory (a stat record, a name) without copying it into an array first.
    public mutating func update(raw: UnsafeRawBufferPointer) {
        inner.update(bufferPointer: raw)
    }

    public func finalize() -> [UInt8] {
        Array(inner.finalize())
    }
}
