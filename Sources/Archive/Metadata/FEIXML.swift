/// Thermo Fisher XML metadata (TIFF tag 34683 `FEI_TITAN`, or base64 inside 34680 on newer
/// instruments). Read with a small element-path scanner: only leaf texts at known paths matter.
public enum FEIXML {
    /// Element paths (under `Metadata/`) → meaning.
    enum Path {
        static let instrument = "Instrument/InstrumentClass"
        static let date = "Acquisition/AcquisitionDatetime"     // 2020-08-18T13:40:03
        static let voltage = "Optics/AccelerationVoltage"         // V
        static let fov = "Optics/ScanFieldOfView/X"               // m
        static let pixelSize = "BinaryResult/PixelSize/X"         // m
        static let width = "ScanSettings/ScanSize/Width"
        static let height = "ScanSettings/ScanSize/Height"
        static let detector = "Detectors/ScanningDetector/DetectorName"
        static let signal = "Detectors/ScanningDetector/Signal"
    }

    public static func parse(utf8 bytes: [UInt8]) throws(MetadataProblem) -> AcquisitionMetadata {
        let leaves = leafTexts(bytes)
        guard !leaves.isEmpty, leaves.keys.contains(where: { $0.hasPrefix("Metadata/") }) else {
            throw .unparseable("not Thermo Fisher XML metadata: no <Metadata> element")
        }
        func get(_ p: String) -> String? { leaves["Metadata/" + p].flatMap { $0.isEmpty ? nil : $0 } }
        var m = AcquisitionMetadata(format: .feiXML)
        m.technique = .sem
        m.instrument = get(Path.instrument)
        if let d = get(Path.date) {
            // Empty pieces kept: "T" or "T10:11" still gives a (bad) date part, never no part.
            let parts = d.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
            if let date = DateParsing.combine(DateParsing.numericDate(String(parts[0])), parts.count > 1 ? DateParsing.time(String(parts[1].prefix(8))) : nil) {
                m.date = date
            } else { m.warnings.append("impossible date '\(d)'") }
        }
        m.acceleratingVoltageV = get(Path.voltage).flatMap(NumberParsing.leading)
        if let f = get(Path.fov).flatMap(NumberParsing.leading), f > 0 { m.statedFOVNm = f * 1e9 }
        if let p = get(Path.pixelSize).flatMap(NumberParsing.leading), p > 0 { m.pixelSizeNm = p * 1e9 }
        m.widthPx = get(Path.width).flatMap { Int($0) }
        m.heightPx = get(Path.height).flatMap { Int($0) }
        let name = get(Path.detector), signal = get(Path.signal)
        m.detector = [name, signal].compactMap { $0 }.joined(separator: " ").nilIfEmpty
        return m
    }

    /// `a/b/c` → text of the first leaf element at that path. Attributes, comments and
    /// processing instructions are skipped; entities are not expanded (numbers and names only).
    static func leafTexts(_ bytes: [UInt8]) -> [String: String] {
        var out: [String: String] = [:]
        var stack: [String] = []
        var text: [UInt8] = []
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b != UInt8(ascii: "<") { text.append(b); i += 1; continue }
            var j = i + 1
            while j < n, bytes[j] != UInt8(ascii: ">") { j += 1 }
            guard j < n else { break }
            let tag = bytes[(i + 1)..<j]
            i = j + 1
            guard let first = tag.first else { continue }
            if first == UInt8(ascii: "?") || first == UInt8(ascii: "!") { continue }
            if first == UInt8(ascii: "/") {
                let path = stack.joined(separator: "/")
                if out[path] == nil, !text.isEmpty {
                    out[path] = String(decoding: text, as: UTF8.self).trimmingSpaces
                }
                text.removeAll(keepingCapacity: true)
                if !stack.isEmpty { stack.removeLast() }
                continue
            }
            text.removeAll(keepingCapacity: true)
            let selfClosing = tag.last == UInt8(ascii: "/")
            let nameEnd = tag.firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\t") || $0 == 0x0A || $0 == 0x0D }) ?? tag.endIndex
            if !selfClosing { stack.append(String(decoding: tag[tag.startIndex..<nameEnd], as: UTF8.self)) }
        }
        return out
    }
}
