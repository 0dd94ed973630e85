import Core

/// Hitachi `[SemImageFile]` / `[TemImageFile]` key=value text — the sidecar `NAME.txt` that PC-SEM
/// and newer software write beside each image, and the copy the TM4000 (and, we take it, the HT7700)
/// embeds in TIFF tag 40092. Every key is optional; values may carry units (`5000 Volt`, `1800 um`);
/// lines split at the first `=` (`Condition=Vacc=1kV   Mag=x150k   WD=1.8mm`).
public enum HitachiText {
    /// Section header → technique.
    static let sections: [String: Technique] = ["SemImageFile": .sem, "TemImageFile": .tem]

    /// The keys read; everything else is left alone.
    enum Key {
        static let instrument = "InstructName"
        static let imageName = "ImageName"
        static let date = "Date"
        static let time = "Time"
        static let dataSize = "DataSize"
        static let pixelSize = "PixelSize"      // nm per pixel, no unit written
        static let signal = "SignalName"
        static let voltage = "AcceleratingVoltage"
        static let magnification = "Magnification"
        static let condition = "Condition"      // `Vacc=1kV   Mag=x150k   WD=1.8mm`
    }
    static let wanted: Set<String> = [Key.instrument, Key.imageName, Key.date, Key.time, Key.dataSize,
                                      Key.pixelSize, Key.signal, Key.voltage, Key.magnification, Key.condition]

    /// Voltage unit words → volts.
    static let voltUnits: [String: Double] = ["": 1, "v": 1, "volt": 1, "volts": 1, "kv": 1000, "mv": 1e6]

    /// True when the text starts with a Hitachi section header (after blank lines).
    static func recognises(_ text: LineText) -> Bool {
        for (_, line) in text.lines {
            let l = line.trimmingSpaces
            if l.isEmpty { continue }
            return l.first == "[" && sections[String(l.dropFirst().dropLast())] != nil
        }
        return false
    }

    /// Parses UTF-8 text. `sidecar` is true for a file written on its own (it must end with a line
    /// break; a copy embedded in a TIFF need not).
    public static func parse(utf8 bytes: [UInt8], sidecar: Bool) throws(MetadataProblem) -> AcquisitionMetadata {
        let text = LineText(utf8: bytes)
        guard recognises(text) else {
            throw .unparseable("not Hitachi metadata: no [SemImageFile] or [TemImageFile] section")
        }
        let kv = SectionedKeyValues(text) { _, key in wanted.contains(String(key)) }
        guard let section = kv.order.first(where: { sections[$0] != nil }), let technique = sections[section] else {
            throw .unparseable("no [SemImageFile] or [TemImageFile] section")
        }
        var m = AcquisitionMetadata(format: technique == .tem ? .hitachiTEM : .hitachiSEM)
        m.technique = technique
        let get = { (key: String) in kv[section, key] }
        m.instrument = get(Key.instrument)
        m.imageName = get(Key.imageName)
        m.detector = get(Key.signal)
        if let d = get(Key.date) {
            let date = DateParsing.numericDate(d)
            let time = get(Key.time).flatMap(DateParsing.time)
            if let parsed = DateParsing.combine(date, time) { m.date = parsed }
            else { m.warnings.append("impossible date '\(d)'\(get(Key.time).map { " \($0)" } ?? "")") }
        }
        if let size = get(Key.dataSize) {
            let parts = size.lowercased().split(separator: "x").map { Int($0.trimmingSpaces) }
            if parts.count == 2, let w = parts[0], let h = parts[1], w > 0, h > 0 { (m.widthPx, m.heightPx) = (w, h) }
            else { m.warnings.append("unreadable DataSize '\(size)'") }
        }
        if let p = get(Key.pixelSize) {
            if let v = NumberParsing.leading(p), v > 0 { m.pixelSizeNm = v } else { m.warnings.append("unreadable PixelSize '\(p)'") }
        }
        if let v = get(Key.voltage) { m.acceleratingVoltageV = volts(v) }
        if let mag = get(Key.magnification), let v = NumberParsing.leading(mag), v > 0 {
            m.magnification = v
        } else if let cond = get(Key.condition) {
            m.magnification = magnificationInCondition(cond)
        }
        if sidecar && !text.endsWithLineBreak {
            m.truncation = "the file ends in the middle of line \(text.lines.last?.number ?? 1)"
        }
        return m
    }

    /// `5000 Volt`, `1kV`, `200000` → volts.
    static func volts(_ s: String) -> Double? {
        guard let (v, rest) = NumberParsing.leading(Substring(s)) else { return nil }
        guard let f = voltUnits[rest.trimmingSpaces.lowercased()] else { return nil }
        return v * f
    }

    /// `Mag=x150k` inside `Condition` → 150000.
    static func magnificationInCondition(_ s: String) -> Double? {
        for token in s.split(separator: " ") where token.lowercased().hasPrefix("mag=") {
            var v = token.dropFirst(4)
            if v.first == "x" || v.first == "X" { v = v.dropFirst() }
            guard let (n, rest) = NumberParsing.leading(v) else { return nil }
            switch rest.lowercased() {
            case "k": return n * 1e3
            case "m": return n * 1e6
            case "": return n
            default: return nil
            }
        }
        return nil
    }
}
