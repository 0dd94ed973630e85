/// JEOL SEM sidecar `NAME.txt`: `$KEY value` lines (`$$` for secondary keys), CRLF, CP1252.
/// `$CM_LABEL` is a free lab label, so it is not used to recognise the format.
/// Pixel size = scale-bar length / scale-bar pixels (JEOL's magnification reference differs from
/// Hitachi's by ~6%, so magnification is never used for size).
public enum JEOLSidecar {
    enum Key {
        static let instrument = "CM_INSTRUMENT"
        static let signal = ["CM_SIGNAL", "CM_SIGNAL_NAME", "CM_DETECTOR_NAME"]
        static let voltageKV = "CM_ACCEL_VOLT"
        static let magnification = "CM_MAG"
        static let date = "CM_DATE"
        static let time = "CM_TIME"
        static let frame = "CM_FULL_SIZE"       // `1280 960`
        static let barPixels = "SM_MICRON_BAR"  // `106`
        static let barLength = "SM_MICRON_MARKER" // `10um`
    }

    static func recognises(_ text: LineText) -> Bool {
        text.lines.prefix(5).contains { $0.content.hasPrefix("$CM_") || $0.content.hasPrefix("$SEM_") || $0.content.hasPrefix("$$") }
    }

    public static func parse(utf8 bytes: [UInt8]) throws(MetadataProblem) -> AcquisitionMetadata {
        let text = LineText(utf8: bytes)
        guard recognises(text) else { throw .unparseable("not JEOL metadata: no $CM_ keys") }
        var values: [String: String] = [:]
        for (_, line) in text.lines {
            var l = line.trimmingSpaces
            guard l.first == "$" else { continue }
            while l.first == "$" { l = l.dropFirst() }
            let key: Substring, value: Substring
            if let sp = l.firstIndex(of: " ") { key = l[..<sp]; value = l[sp...].trimmingSpaces } else { key = l; value = "" }
            if values[String(key)] == nil { values[String(key)] = String(value) }
        }
        func get(_ k: String) -> String? { values[k].flatMap { $0.isEmpty ? nil : $0 } }
        var m = AcquisitionMetadata(format: .jeol)
        m.technique = .sem
        m.instrument = get(Key.instrument)
        m.detector = Key.signal.lazy.compactMap(get).first
        if let kv = get(Key.voltageKV).flatMap(NumberParsing.leading) { m.acceleratingVoltageV = kv * 1000 }
        m.magnification = get(Key.magnification).flatMap(NumberParsing.leading)
        if let d = get(Key.date) {
            if let date = DateParsing.combine(DateParsing.numericDate(d), get(Key.time).flatMap(DateParsing.time)) { m.date = date }
            else { m.warnings.append("impossible date '\(d)'") }
        }
        if let f = get(Key.frame) {
            let p = f.split(separator: " ").compactMap { Int($0) }
            if p.count >= 2, p[0] > 0, p[1] > 0 { (m.widthPx, m.heightPx) = (p[0], p[1]) }
        }
        if let px = get(Key.barPixels).flatMap(NumberParsing.leading), px > 0,
           let marker = get(Key.barLength), let (len, unit) = NumberParsing.leading(Substring(marker)),
           let nm = NumberParsing.nanometres(len, unit: unit) {
            m.pixelSizeNm = nm / px
        }
        return m
    }
}
