import Core
/// Zeiss SmartSEM metadata, TIFF tag 34118 (`CZ_SEM`): a block of unnamed numbers, then pairs of
/// lines — a code (`AP_WIDTH`) and `Label = value unit` (`Width = 25.24 µm`). Latin-1 µ and °.
/// The magnification reference is a user setting (Polaroid 545 or the display), so FOV comes from
/// `AP_WIDTH` (or `AP_HEIGHT`), never from Mag with a constant — and the pixel size from that FOV
/// ÷ the saved image's width: `Pixel Size` refers to a reference frame, not to an image saved at
/// another resolution (issue 16: a 512-px image saying 5.825 nm with `Width` 5.965 µm has
/// 11.65 nm pixels). A stated pixel size more than 1 % off is reported, and the FOV wins.
public enum ZeissSmartSEM {
    enum Code {
        static let instrument = "DP_SEM"                 // Sem = Merlin
        static let detector = ["DP_DETECTOR_CHANNEL", "DP_DETECTOR_TYPE"]
        static let magnification = "AP_MAG"              // Mag =    4.53 K X
        static let width = "AP_WIDTH"                    // Width = 25.24 µm
        static let height = "AP_HEIGHT"                  // Height = 18.93 µm
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
    /// The frame width `Pixel Size` and the leading number refer to.
    static let referenceWidth = 1024.0
    /// Pixel sizes that differ from the field of view's by more than this are a finding.
    static let tolerance = 0.01

    static func nm(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        return r == r.rounded() ? NumberText.rounded(r) : String(r)
    }

    /// - Parameters imageWidth, imageHeight: the saved image's size (the TIFF's), which may differ
    ///   from the scan's store resolution; pixel size = stated field of view ÷ image width.
    public static func parse(latin1 bytes: [UInt8], imageWidth: Int? = nil, imageHeight: Int? = nil) throws(MetadataProblem) -> AcquisitionMetadata {
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
        var storeWidth: Int? = nil, storeHeight: Int? = nil
        if let store = get(Code.store) {
            let p = store.split(separator: "*").compactMap { Int($0.trimmingSpaces) }
            if p.count == 2 { (storeWidth, storeHeight) = (p[0], p[1]) }
        }
        // The saved image may have another size than the scan's store resolution: the image's own
        // width (from the TIFF) is what a pixel size must refer to.
        m.widthPx = imageWidth ?? storeWidth
        m.heightPx = imageWidth == nil ? storeHeight : (imageHeight ?? storeHeight)
        func length(_ code: String) -> Double? {
            guard let s = get(code), let (v, unit) = NumberParsing.leading(Substring(s)) else { return nil }
            return NumberParsing.nanometres(v, unit: unit)
        }
        // The stated field of view is the authority: `Width`, else `Height` scaled by the aspect.
        if let w = length(Code.width), w > 0 { m.statedFOVNm = w }
        else if let h = length(Code.height), h > 0, let iw = m.widthPx, let ih = m.heightPx, ih > 0 {
            m.statedFOVNm = h * Double(iw) / Double(ih)
        }
        // What the file says one pixel of this image is, from its pixel sizes: `Image Pixel Size`
        // refers to the store resolution, `Pixel Size` (and the precise leading number, in metres)
        // to a 1024-px reference frame — measured on both real files: 25.24 µm / 2048 = 12.33 nm
        // and 25.24 µm / 1024 = 24.65 nm; 2.677 mm / 1024 = 2.615 µm.
        var statedForImage: Double? = nil
        if let iw = m.widthPx, iw > 0 {
            if let p = length(Code.imagePixelSize), p > 0, let sw = storeWidth, sw > 0 {
                statedForImage = p * Double(sw) / Double(iw)
            } else if leading.count > leadingPixelSizeIndex, leading[leadingPixelSizeIndex] > 0 {
                statedForImage = leading[leadingPixelSizeIndex] * 1e9 * Self.referenceWidth / Double(iw)
            } else if let p = length(Code.pixelSize), p > 0 {
                statedForImage = p * Self.referenceWidth / Double(iw)
            }
        }
        if let fov = m.statedFOVNm, let iw = m.widthPx, iw > 0 {
            let fromFOV = fov / Double(iw)
            m.pixelSizeNm = fromFOV
            if let stated = statedForImage {
                let disagreement = abs(stated - fromFOV) / fromFOV
                if disagreement > Self.tolerance {
                    m.warnings.append("Zeiss pixel size \(Self.nm(stated)) nm disagrees with the stated field of view \(Self.nm(fov)) nm ÷ \(iw) px = \(Self.nm(fromFOV)) nm by \(NumberText.rounded(disagreement * 100)) %; the field of view is used")
                } else if leading.count > leadingPixelSizeIndex, leading[leadingPixelSizeIndex] > 0 {
                    // Same value, more digits than the 4-digit `Width`.
                    let precise = leading[leadingPixelSizeIndex] * 1e9 * Self.referenceWidth / Double(iw)
                    if abs(precise - fromFOV) / fromFOV <= Self.tolerance { m.pixelSizeNm = precise }
                }
            }
        } else {
            m.pixelSizeNm = statedForImage ?? length(Code.imagePixelSize) ?? length(Code.pixelSize)
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
