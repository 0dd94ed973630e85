import Core

/// Gatan DigitalMicrograph DM3/DM4: a big-endian header, then a tree of tag groups and typed data
/// tags in the byte order the header names. The tree is walked without reading pixel data (large
/// arrays are skipped by size); kept are the calibrations and microscope tags of the largest image.
public enum GatanDM {
    /// Tag paths under `ImageList.N.` (unnamed list items are numbered from 0).
    enum Path {
        static let scale = "ImageData.Calibrations.Dimension.0.Scale"
        static let units = "ImageData.Calibrations.Dimension.0.Units"
        static let width = "ImageData.Dimensions.0", height = "ImageData.Dimensions.1"
        static let voltage = "ImageTags.Microscope Info.Voltage"                       // V
        static let magnification = "ImageTags.Microscope Info.Indicated Magnification"
        static let mode = "ImageTags.Microscope Info.Imaging Mode"                     // TEM, STEM, DIFFRACTION
        static let instrument = ["ImageTags.Microscope Info.Name", "ImageTags.Session Info.Microscope",
                                 "ImageTags.Microscope Info.Microscope"]
        static let date = "ImageTags.DataBar.Acquisition Date"
        static let time = "ImageTags.DataBar.Acquisition Time"
    }
    /// Bytes per element of the simple data types.
    static let sizes: [UInt64: Int] = [2: 2, 3: 4, 4: 2, 5: 4, 6: 4, 7: 8, 8: 1, 9: 1, 10: 1, 11: 8, 12: 8]
    static let maxDepth = 64, maxTags: UInt64 = 1_000_000, maxInfo: UInt64 = 4096

    enum Value { case number(Double), text(String) }

    public static func read(_ source: some ByteSource, fileSize: Int) throws(MetadataProblem) -> AcquisitionMetadata? {
        var r = Reader(source: source, size: fileSize)
        let version = try r.uint(4, bigEndian: true)
        guard version == 3 || version == 4 else { throw .unparseable("not a DigitalMicrograph file (version \(version), expected 3 or 4)") }
        let wide = version == 4
        _ = try r.uint(wide ? 8 : 4, bigEndian: true)  // root length
        let little = try r.uint(4, bigEndian: true) == 1
        var values: [String: Value] = [:]
        try group(&r, path: "", depth: 0, wide: wide, little: little, into: &values)
        // The largest image of ImageList (item 0 is usually a thumbnail).
        var best: (String, Double)? = nil
        for (k, v) in values where k.hasPrefix("ImageList.") && k.hasSuffix("." + Path.width) {
            guard case .number(let w) = v else { continue }
            let prefix = String(k.dropLast(Path.width.count))
            var h = 1.0
            if case .number(let hh)? = values[prefix + Path.height] { h = hh }
            if best == nil || w * h > best!.1 { best = (prefix, w * h) }
        }
        guard let (p, _) = best else { throw .unparseable("no image in the DM tag tree") }
        func number(_ k: String) -> Double? { if case .number(let d)? = values[p + k] { return d }; return nil }
        func text(_ k: String) -> String? { if case .text(let s)? = values[p + k] { return s.trimmingSpaces.nilIfEmpty }; return nil }
        var m = AcquisitionMetadata(format: .gatanDM)
        let mode = text(Path.mode)?.uppercased()
        m.technique = mode?.contains("STEM") == true ? .stem : .tem
        m.instrument = Path.instrument.lazy.compactMap(text).first
        m.acceleratingVoltageV = number(Path.voltage)
        m.magnification = number(Path.magnification)
        m.widthPx = number(Path.width).map { Int($0) }
        m.heightPx = number(Path.height).map { Int($0) }
        if mode?.contains("DIFF") != true, let scale = number(Path.scale), scale > 0,
           let unit = text(Path.units), let nm = NumberParsing.nanometres(scale, unit: Substring(unit)) {
            m.pixelSizeNm = nm
        }
        if let d = text(Path.date) {
            if let date = DateParsing.combine(DateParsing.numericDate(d), text(Path.time).flatMap(DateParsing.time)) { m.date = date }
            else { m.warnings.append("unreadable DM acquisition date '\(d)'") }
        }
        return m
    }

    static func group(_ r: inout Reader<some ByteSource>, path: String, depth: Int, wide: Bool, little: Bool,
                      into values: inout [String: Value]) throws(MetadataProblem) {
        guard depth < maxDepth else { throw .unparseable("DM tag groups nested deeper than \(maxDepth)") }
        _ = try r.uint(2, bigEndian: true)  // sorted, open
        let count = try r.uint(wide ? 8 : 4, bigEndian: true)
        guard count <= maxTags else { throw .unparseable("implausible DM tag count \(count)") }
        var index = 0
        for _ in 0..<count {
            let kind = try r.uint(1, bigEndian: true)
            let nameLength = Int(try r.uint(2, bigEndian: true))
            var name = String(decoding: try r.bytes(nameLength), as: UTF8.self)
            if name.isEmpty { name = String(index); index += 1 }
            let full = path.isEmpty ? name : path + "." + name
            if wide { _ = try r.uint(8, bigEndian: true) }  // tag size
            switch kind {
            case 20: try group(&r, path: full, depth: depth + 1, wide: wide, little: little, into: &values)
            case 21: try data(&r, path: full, wide: wide, little: little, into: &values)
            default: throw .unparseable("unknown DM tag kind \(kind) at byte \(r.position)")
            }
        }
    }

    static func data(_ r: inout Reader<some ByteSource>, path: String, wide: Bool, little: Bool,
                     into values: inout [String: Value]) throws(MetadataProblem) {
        guard try r.bytes(4) == Array("%%%%".utf8) else { throw .unparseable("DM data tag without %%%% at byte \(r.position)") }
        let n = try r.uint(wide ? 8 : 4, bigEndian: true)
        guard n >= 1, n <= maxInfo else { throw .unparseable("implausible DM type description (\(n) words)") }
        var info: [UInt64] = []
        for _ in 0..<n { info.append(try r.uint(wide ? 8 : 4, bigEndian: true)) }
        let type = info[0]
        if let size = sizes[type] {
            values[path] = .number(try scalar(&r, type: type, size: size, little: little))
        } else if type == 18, info.count >= 2 {
            values[path] = .text(String(decoding: try r.bytes(Int(min(info[1], 1 << 20))), as: UTF8.self))
        } else if type == 15 {
            // Struct: [15, nameLength, fieldCount, (nameLength, type)…]
            guard info.count >= 3, info[2] <= maxInfo, info.count >= 3 + 2 * Int(info[2]) else { throw .unparseable("bad DM struct description") }
            for f in 0..<Int(info[2]) {
                let t = info[4 + 2 * f]
                guard let size = sizes[t] else { throw .unparseable("DM struct field of type \(t)") }
                let v = try scalar(&r, type: t, size: size, little: little)
                values[path + "." + String(f)] = .number(v)
            }
        } else if type == 20, info.count >= 3 {
            let element = info[1]
            if let size = sizes[element] {
                let count = info[2]
                guard count <= UInt64(Int.max / 8) else { throw .unparseable("implausible DM array length") }
                let total = Int(count) * size
                if element == 4, count <= 4096 {
                    // A UTF-16 string (how DM stores text).
                    let bytes = try r.bytes(total)
                    var units: [UInt16] = []
                    for i in stride(from: 0, to: bytes.count - 1, by: 2) {
                        units.append(little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
                    }
                    values[path] = .text(String(decoding: units, as: UTF16.self))
                } else {
                    try r.skip(total)  // pixel data and other arrays: never read
                }
            } else if element == 15, info.count >= 4, info[3] <= maxInfo {
                // Array of structs: [20, 15, nameLength, fieldCount, (nameLength, type)…, count]
                let fields = Int(info[3])
                guard info.count >= 5 + 2 * fields else { throw .unparseable("bad DM struct-array description") }
                var structSize = 0
                for f in 0..<fields {
                    guard let s = sizes[info[5 + 2 * f]] else { throw .unparseable("DM struct field of type \(info[5 + 2 * f])") }
                    structSize += s
                }
                let count = info[4 + 2 * fields]
                guard count <= UInt64(Int.max / max(structSize, 1)) else { throw .unparseable("implausible DM array length") }
                try r.skip(Int(count) * structSize)
            } else {
                throw .unparseable("DM array of type \(element) is not read")
            }
        } else {
            throw .unparseable("DM data type \(type) is not read")
        }
    }

    static func scalar(_ r: inout Reader<some ByteSource>, type: UInt64, size: Int, little: Bool) throws(MetadataProblem) -> Double {
        let u = try r.uint(size, bigEndian: !little)
        switch type {
        case 2: return Double(Int16(truncatingIfNeeded: u))
        case 3: return Double(Int32(truncatingIfNeeded: u))
        case 6: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: u)))
        case 7: return Double(bitPattern: u)
        case 10: return Double(Int8(truncatingIfNeeded: u))
        case 11: return Double(Int64(bitPattern: u))
        default: return Double(u)
        }
    }

    /// Sequential reads through a 64 KiB window over the file.
    struct Reader<Source: ByteSource> {
        let source: Source
        let size: Int
        var position = 0
        var window: [UInt8] = []
        var windowStart = 0

        init(source: Source, size: Int) { self.source = source; self.size = size }

        mutating func bytes(_ n: Int) throws(MetadataProblem) -> [UInt8] {
            guard n >= 0, n <= size - position else { throw .truncated("the DM file ends inside a tag (byte \(position) + \(n) of \(size))") }
            if position < windowStart || position + n > windowStart + window.count {
                windowStart = position
                window = source.read(at: position, count: max(n, 65536))
                guard window.count >= n else { throw .truncated("the DM file ends inside a tag (byte \(position))") }
            }
            let o = position - windowStart
            position += n
            return Array(window[o..<(o + n)])
        }

        mutating func skip(_ n: Int) throws(MetadataProblem) {
            guard n >= 0, n <= size - position else { throw .truncated("the DM file ends inside a data array (byte \(position) + \(n) of \(size))") }
            position += n
        }

        mutating func uint(_ n: Int, bigEndian: Bool) throws(MetadataProblem) -> UInt64 {
            let b = try bytes(n)
            var v: UInt64 = 0
            if bigEndian { for x in b { v = v << 8 | UInt64(x) } } else { for x in b.reversed() { v = v << 8 | UInt64(x) } }
            return v
        }
    }
}
