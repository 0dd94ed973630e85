/// Zeiss SmartSEM metadata, TIFF tag 34118 (`CZ_SEM`): a block of unnamed numbers, then pairs of
/// lines — a code (`AP_WIDTH`) and `Label = value unit` (`Width = 25.24 µm`). Latin-1 µ and °.
/// The magnification reference is a user setting (Polaroid 545 or the display), so FOV comes from
/// `AP_WIDTH`, never from Mag with a constant.
public enum ZeissSmartSEM {
    enum Code {
        static let instrument = "DP_SEM"                 // Sem = Merlin
        static let detector = ["DP_DETECTOR_CHANNEL", "DP_DETECTOR_TYPE"]
        static let magnification = "AP_MAG"              // Mag =    4.53 K X
        static let width = "AP_WIDTH"                    // Width = 25.24 µm
        static let imagePixelSize = "AP_IMAGE_PIXEL_SIZE"
        static let pixelSize = "AP_PIXEL_SIZE"
        static let voltage = "AP_ACTUALKV"               // EHT =  5.00 kV
        static let date = "AP_DATE"                      // Date :25 Sep 2018
        static let time = "AP_TIME"                      // Time :8:20:42
        static let store = "DP_IMAGE_STORE"              // Store resolution = 1024 * 768
    }
    /// Index, in the leading block of numbers, of the pixel size in metres for a 1024-px-wide
    /// reference frame (what RosettaSciIO reads; more digits than `AP_PIXEL_SIZE`).
    static let leadingPixelSizeIndex = 3

    public static func parse(latin1 bytes: [UInt8], imageWidth: Int? = nil) throws(MetadataProblem) -> AcquisitionMetadata {
        let text = LineText(utf8: TextSniffing.utf8(bytes, legacy: .cp1252).bytes)
        var values: [String: String] = [:]
        var leading: [Double] = []
        var inLeading = true
        var previousCode: String? = nil
        for (_, raw) in text.lines {
            let line = raw.trimmingSpaces
            if inLeading, let v = Double(String(line)) { leading.append(v); continue }
            inLeading = false
            if isCode(line) { previousCode = String(line); continue }
            if let code = previousCode {
                let value: Substring
                if let eq = line.firstIndex(of: "=") { value = line[line.index(after: eq)...] }
                else if let colon = line.firstIndex(of: ":") { value = line[line.index(after: colon)...] }
                else { value = "" }
                if values[code] == nil { values[code] = String(value.trimmingSpaces) }
                previousCode = nil
            }
        }
        guard values[Code.magnification] != nil || values[Code.width] != nil || values[Code.instrument] != nil else {
            throw .unparseable("not Zeiss SmartSEM metadata: no AP_MAG, AP_WIDTH or DP_SEM")
        }
        func get(_ k: String) -> String? { values[k].flatMap { $0.isEmpty ? nil : $0 } }
        var m = AcquisitionMetadata(format: .zeiss)
        m.technique = .sem
        m.instrument = get(Code.instrument)
        m.detector = Code.detector.lazy.compactMap(get).first
        if let mag = get(Code.magnification), let (v, rest) = NumberParsing.leading(Substring(mag)) {
            m.magnification = rest.trimmingSpaces.uppercased().hasPrefix("K") ? v * 1000 : v
        }
        if let kv = get(Code.voltage), let (v, rest) = NumberParsing.leading(Substring(kv)) {
            m.acceleratingVoltageV = rest.trimmingSpaces.lowercased().hasPrefix("kv") ? v * 1000 : v
        }
        if let store = get(Code.store) {
            let p = store.split(separator: "*").compactMap { Int($0.trimmingSpaces) }
            if p.count == 2 { (m.widthPx, m.heightPx) = (p[0], p[1]) }
        }
        if let w = get(Code.width), let (v, unit) = NumberParsing.leading(Substring(w)) {
            m.statedFOVNm = NumberParsing.nanometres(v, unit: unit)
        }
        let frameWidth = m.widthPx ?? imageWidth
        let stated = [Code.imagePixelSize, Code.pixelSize].lazy.compactMap { get($0) }.compactMap { s -> Double? in
            guard let (v, unit) = NumberParsing.leading(Substring(s)) else { return nil }
            return NumberParsing.nanometres(v, unit: unit)
        }.first
        if leading.count > leadingPixelSizeIndex, let w = frameWidth, w > 0 {
            let precise = leading[leadingPixelSizeIndex] * 1e9 * 1024 / Double(w)
            // Prefer the precise value when it agrees with the rounded label.
            if let stated, abs(precise - stated) / stated > 0.02 { m.pixelSizeNm = stated } else { m.pixelSizeNm = precise }
        } else {
            m.pixelSizeNm = stated
        }
        if let d = get(Code.date) {
            if let date = DateParsing.combine(DateParsing.dayMonthNameYear(d), get(Code.time).flatMap(DateParsing.time)) { m.date = date }
            else { m.warnings.append("impossible date '\(d)'") }
        }
        return m
    }

    /// `AP_WIDTH`, `DP_SEM`, `SV_USER_NAME`: upper-case letters, digits and underscores with a prefix.
    static func isCode(_ s: Substring) -> Bool {
        guard s.count >= 4, s.contains("_") else { return false }
        return s.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}
