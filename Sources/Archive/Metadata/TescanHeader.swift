/// Tescan `NAME.hdr` sidecar (and the same text in TIFF tag 50431, sometimes after binary junk):
/// INI with `[MAIN]` (Date, Time, Device, DeviceModel, PixelSizeX in metres) and `[SEM]` (HV,
/// Magnification, Detector).
public enum TescanHeader {
    enum Key {
        static let main = "MAIN", sem = "SEM"
        static let date = "Date", time = "Time", device = "Device", model = "DeviceModel"
        static let pixelSizeM = "PixelSizeX"
        static let voltage = ["HV", "AcceleratorVoltage"]
        static let magnification = "Magnification"
        static let detector = "Detector"
        static let width = "ImageWidth", height = "ImageHeight"
    }

    public static func parse(utf8 raw: [UInt8]) throws(MetadataProblem) -> AcquisitionMetadata {
        // Skip anything before the first `[MAIN]`.
        var bytes = raw[...]
        let marker = Array("[MAIN]".utf8)
        if let start = firstIndex(of: marker, in: raw) { bytes = raw[start...] }
        let text = LineText(utf8: Array(bytes))
        let kv = SectionedKeyValues(text)
        guard kv.sections[Key.main] != nil else { throw .unparseable("not Tescan metadata: no [MAIN] section") }
        var m = AcquisitionMetadata(format: .tescan)
        m.technique = .sem
        let device = kv[Key.main, Key.device], model = kv[Key.main, Key.model]
        m.instrument = [device, model.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ").nilIfEmpty
        if let d = kv[Key.main, Key.date] {
            if let date = DateParsing.combine(DateParsing.numericDate(d), kv[Key.main, Key.time].flatMap(DateParsing.time)) { m.date = date }
            else { m.warnings.append("impossible date '\(d)'") }
        }
        if let p = kv[Key.main, Key.pixelSizeM].flatMap(NumberParsing.leading), p > 0 { m.pixelSizeNm = p * 1e9 }
        m.acceleratingVoltageV = Key.voltage.lazy.compactMap { kv[Key.sem, $0].flatMap(NumberParsing.leading) }.first
        m.magnification = kv[Key.sem, Key.magnification].flatMap(NumberParsing.leading)
        m.detector = kv[Key.sem, Key.detector]
        if let w = kv[Key.main, Key.width].flatMap({ Int($0) }), let h = kv[Key.main, Key.height].flatMap({ Int($0) }) {
            (m.widthPx, m.heightPx) = (w, h)
        }
        return m
    }

    static func firstIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
