/// Thermo Fisher / FEI INI metadata in TIFF tag 34682 (`FEI_HELIOS`) or, on older instruments,
/// 34680 (`FEI_SFEG`). Keys repeat across sections, so every key is read in its section. Values
/// are SI without unit text: HV in V, HFW/PixelWidth in m. There is no magnification on modern
/// instruments (it depends on the display), so FOV comes from PixelWidth × ResolutionX or HFW.
public enum FEIText {
    /// (section, key) pairs in order of preference.
    enum Key {
        static let date = ("User", "Date")           // 06/13/2016
        static let time = ("User", "Time")           // 05:06:40 PM
        static let instrument = ("System", "SystemType")
        static let voltage = [("Beam", "HV"), ("EBeam", "HV")]
        static let pixelWidth = [("Scan", "PixelWidth"), ("EScan", "PixelWidth")]
        static let width = ("Image", "ResolutionX"), height = ("Image", "ResolutionY")
        static let hfw = [("EBeam", "HFW"), ("Beam", "HFW")]
        static let detectorName = ("Detectors", "Name"), detectorMode = ("Detectors", "Mode")
        static let magnification = ("Image", "Magnification")
    }

    static func recognises(_ text: LineText) -> Bool {
        text.lines.prefix(3).contains { $0.content.trimmingSpaces == "[User]" }
            || text.lines.contains { $0.content.trimmingSpaces == "[System]" }
    }

    public static func parse(utf8 bytes: [UInt8]) throws(MetadataProblem) -> AcquisitionMetadata {
        let text = LineText(utf8: bytes)
        let kv = SectionedKeyValues(text)
        guard kv.sections["User"] != nil || kv.sections["System"] != nil || kv.sections["Beam"] != nil else {
            throw .unparseable("not FEI metadata: no [User], [System] or [Beam] section")
        }
        func first(_ keys: [(String, String)]) -> Double? {
            keys.lazy.compactMap { kv[$0.0, $0.1].flatMap(NumberParsing.leading) }.first
        }
        var m = AcquisitionMetadata(format: .feiINI)
        m.technique = .sem
        m.instrument = kv[Key.instrument.0, Key.instrument.1]
        if let d = kv[Key.date.0, Key.date.1] {
            if let date = DateParsing.combine(DateParsing.numericDate(d), kv[Key.time.0, Key.time.1].flatMap(DateParsing.time)) { m.date = date }
            else { m.warnings.append("impossible date '\(d)'") }
        }
        m.acceleratingVoltageV = first(Key.voltage)
        if let p = first(Key.pixelWidth), p > 0 { m.pixelSizeNm = p * 1e9 }
        if let w = kv[Key.width.0, Key.width.1].flatMap({ Int($0) }), w > 0 { m.widthPx = w }
        if let h = kv[Key.height.0, Key.height.1].flatMap({ Int($0) }), h > 0 { m.heightPx = h }
        if let hfw = first(Key.hfw), hfw > 0 { m.statedFOVNm = hfw * 1e9 }
        m.magnification = kv[Key.magnification.0, Key.magnification.1].flatMap(NumberParsing.leading)
        let name = kv[Key.detectorName.0, Key.detectorName.1]
        let mode = kv[Key.detectorMode.0, Key.detectorMode.1].flatMap { $0 == "None" ? nil : $0 }
        m.detector = [name, mode].compactMap { $0 }.joined(separator: " ").nilIfEmpty
        if let name, DetectorVocabulary.classify(name) == .navigationCamera {
            // A navigation-camera photo: [EBeam]/[Scan] describe the electron beam's last frame
            // (micrometres), not this photo of the chamber (about 0.2 m) — its own section does.
            m.pixelSizeNm = nil
            m.statedFOVNm = nil
            let own = [name, name.replacingOccurrences(of: "-", with: ""), "NavCam", "Nav-Cam"]
            if let hfw = own.lazy.compactMap({ kv[$0, "HFW"].flatMap(NumberParsing.leading) }).first, hfw > 0 { m.statedFOVNm = hfw * 1e9 }
            if let p = own.lazy.compactMap({ kv[$0, "PixelWidth"].flatMap(NumberParsing.leading) }).first, p > 0 { m.pixelSizeNm = p * 1e9 }
            if let w = own.lazy.compactMap({ kv[$0, "ResolutionX"].flatMap { Int($0) } }).first, w > 0 { m.widthPx = w }
            if let h = own.lazy.compactMap({ kv[$0, "ResolutionY"].flatMap { Int($0) } }).first, h > 0 { m.heightPx = h }
            if m.statedFOVNm == nil && m.pixelSizeNm == nil {
                m.warnings.append("navigation-camera image without HFW or PixelWidth in its [\(name)] section: no field of view")
            }
        }
        return m
    }
}
