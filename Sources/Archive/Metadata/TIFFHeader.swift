#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random access to a file's bytes — `pread` on a descriptor, or an array in tests — so TIFF tags
/// are read from the header and the first IFD only, never the pixel data.
public protocol ByteSource {
    /// Up to `count` bytes at `offset`; fewer at the end of the file.
    func read(at offset: Int, count: Int) -> [UInt8]
}

extension Array: ByteSource where Element == UInt8 {
    public func read(at offset: Int, count: Int) -> [UInt8] {
        guard offset >= 0, offset < self.count, count > 0 else { return [] }
        return Array(self[offset..<Swift.min(self.count, offset + count)])
    }
}

/// An open file descriptor read with `pread`.
public struct DescriptorBytes: ByteSource {
    public let fd: Int32
    public init(fd: Int32) { self.fd = fd }
    public func read(at offset: Int, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        // Into uninitialised storage, counted as read (was zero-filled, then cut to size).
        return [UInt8](unsafeUninitializedCapacity: count) { buf, initialized in
            var got = 0
            while got < count {
                let n = pread(fd, buf.baseAddress! + got, count - got, off_t(offset + got))
                if n <= 0 { break }
                got += n
            }
            initialized = got
        }
    }
}

/// A descriptor whose first bytes were read in one call: the header, the first IFD and small
/// tags of a camera TIFF usually lie there, so most files need a single `pread`.
public struct PrefetchedBytes: ByteSource {
    let head: [UInt8]
    let file: DescriptorBytes
    public init(fd: Int32, headSize: Int) {
        file = DescriptorBytes(fd: fd)
        head = file.read(at: 0, count: headSize)
    }
    public func read(at offset: Int, count: Int) -> [UInt8] {
        if offset >= 0, count >= 0, offset + count <= head.count { return Array(head[offset..<(offset + count)]) }
        return file.read(at: offset, count: count)
    }
}

/// The first image file directory (IFD) of a classic TIFF: frame size and the private tags that
/// carry acquisition metadata.
public struct TIFFHeader: Sendable, Hashable {
    public var width: Int?
    public var height: Int?
    /// Raw bytes of the metadata tags present (see `metadataTags`).
    public var tags: [UInt16: [UInt8]]

    /// Private tags read, and whose metadata they hold.
    public static let metadataTags: [UInt16: String] = [
        40092: "Hitachi (XPComment, UTF-16LE)",
        34682: "Thermo Fisher/FEI INI (FEI_HELIOS)",
        34683: "Thermo Fisher XML (FEI_TITAN)",
        34680: "FEI INI or base64 XML (FEI_SFEG)",
        34118: "Zeiss SmartSEM (CZ_SEM)",
        50431: "Tescan",
    ]
    /// `metadataTags[tag] != nil` as a switch: the IFD loop asked the dictionary (a hash) for
    /// every entry of every TIFF.
    @inline(__always)
    static func isMetadataTag(_ tag: UInt16) -> Bool {
        switch tag {
        case 40092, 34682, 34683, 34680, 34118, 50431: return true
        default: return false
        }
    }
    static let widthTag: UInt16 = 256, heightTag: UInt16 = 257
    /// Bytes per value of each TIFF field type.
    static let typeSizes: [UInt16: Int] = [1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8]
    /// `typeSizes[type]` as a switch (no hash per metadata tag).
    @inline(__always)
    static func typeSize(_ type: UInt16) -> Int? {
        switch type {
        case 1, 2, 6, 7: return 1
        case 3, 8: return 2
        case 4, 9, 11, 13: return 4
        case 5, 10, 12, 16, 17, 18: return 8
        default: return nil
        }
    }
    /// A tag value larger than this is not metadata; it is not read.
    static let maxTagBytes = 8 << 20
    static let maxEntries = 4096

    /// Reads the header and first IFD from `source` of `fileSize` bytes.
    public static func read(_ source: some ByteSource, fileSize: Int) throws(MetadataProblem) -> TIFFHeader {
        let head = source.read(at: 0, count: 8)
        guard head.count == 8 else { throw .truncated("TIFF header shorter than 8 bytes") }
        let little: Bool
        switch (head[0], head[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: throw .unparseable("not a TIFF file (no II/MM byte-order mark)")
        }
        func u16(_ b: [UInt8], _ o: Int) -> UInt16 {
            little ? UInt16(b[o]) | UInt16(b[o + 1]) << 8 : UInt16(b[o]) << 8 | UInt16(b[o + 1])
        }
        func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
            little ? UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
                   : UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
        }
        let magic = u16(head, 2)
        if magic == 43 { throw .unparseable("BigTIFF is not read (no EM vendor writes it for images)") }
        guard magic == 42 else { throw .unparseable("not a TIFF file (magic \(magic), expected 42)") }
        let ifd = Int(u32(head, 4))
        guard ifd >= 8, ifd + 2 <= fileSize else { throw .truncated("the first IFD (offset \(ifd)) lies beyond the end of the file (\(fileSize) bytes)") }
        let countBytes = source.read(at: ifd, count: 2)
        guard countBytes.count == 2 else { throw .truncated("the file ends inside the first IFD") }
        let n = Int(u16(countBytes, 0))
        guard n > 0, n <= maxEntries else { throw .unparseable("implausible IFD entry count \(n)") }
        let entries = source.read(at: ifd + 2, count: 12 * n)
        guard entries.count == 12 * n else { throw .truncated("the file ends inside the first IFD (\(n) entries)") }
        var header = TIFFHeader(width: nil, height: nil, tags: [:])
        for e in 0..<n {
            let o = 12 * e
            let tag = u16(entries, o), type = u16(entries, o + 2)
            let count = Int(u32(entries, o + 4))
            if tag == widthTag || tag == heightTag {
                let v = type == 3 ? Int(u16(entries, o + 8)) : Int(u32(entries, o + 8))
                if tag == widthTag { header.width = v } else { header.height = v }
                continue
            }
            guard isMetadataTag(tag), let size = typeSize(type) else { continue }
            let total = count * size
            guard total > 0, total <= maxTagBytes else { continue }
            if total <= 4 {
                header.tags[tag] = Array(entries[(o + 8)..<(o + 8 + total)])
            } else {
                let at = Int(u32(entries, o + 8))
                guard at + total <= fileSize else {
                    throw .truncated("tag \(tag) (\(total) bytes at \(at)) runs past the end of the file (\(fileSize) bytes)")
                }
                header.tags[tag] = source.read(at: at, count: total)
            }
        }
        return header
    }
}
