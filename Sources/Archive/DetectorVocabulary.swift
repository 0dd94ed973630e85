import Core

/// Detector names as instruments write them → `DetectorClass`. Data, not conditionals: add a
/// row when an archive shows a new spelling (`lostdata archive check` lists the unknown ones).
public enum DetectorVocabulary {
    /// Upper-cased names (after removing a parenthesised suffix such as `SE(U)` → `SE`).
    static let classes: [String: DetectorClass] = [
        // Hitachi SignalName (the paper's list: SE, LA-BSE, HA-BSE, PDBSE, TE, BFSTEM, DFSTEM)
        "SE": .se, "SE(U)": .se, "SE(L)": .se, "SE(UL)": .se, "SE(M)": .se,
        "BSE": .bse, "BSE(U)": .bse, "BSE(L)": .bse, "YAGBSE": .bse, "YAG-BSE": .bse,
        "LA-BSE": .laBSE, "LABSE": .laBSE, "LA": .laBSE,
        "HA-BSE": .haBSE, "HABSE": .haBSE, "HA": .haBSE,
        "PDBSE": .pdBSE, "PD-BSE": .pdBSE,
        "TE": .te,
        "BF-STEM": .bfSTEM, "BFSTEM": .bfSTEM, "BF": .bfSTEM, "STEM-BF": .bfSTEM,
        "DF-STEM": .dfSTEM, "DFSTEM": .dfSTEM, "DF": .dfSTEM, "ADF": .dfSTEM, "HAADF": .dfSTEM, "STEM-DF": .dfSTEM,
        // JEOL
        "SEI": .se, "LEI": .se, "LED": .se, "UED": .se, "USD": .se, "SED": .se,
        "BEI": .bse, "BEC": .bse, "BED-C": .bse, "BED-T": .bse, "COMPO": .bse, "TOPO": .bse,
        // Thermo Fisher / FEI
        "ETD": .se, "TLD": .se, "ICE": .se, "CDEM": .se, "T2": .se, "T3": .se, "MD": .se,
        "CBS": .bse, "ABS": .bse, "T1": .bse, "VCD": .bse, "GAD": .bse, "DBS": .bse,
        // Zeiss
        "INLENS": .se, "SE2": .se, "HE-SE2": .se, "SESI": .se, "VPSE": .se, "VPSE G3": .se,
        "ESB": .bse, "ASB": .bse, "BSD": .bse, "NTS BSD": .bse,
        // Tescan
        "IN-BEAM SE": .se, "INBEAMSE": .se, "IN-BEAM BSE": .bse, "LE BSE": .bse, "R-BSE": .bse,
        // TEM cameras
        "CCD": .camera, "CMOS": .camera, "CAMERA": .camera,
        // Navigation cameras (chamber photos; not electron images)
        "NAV-CAM": .navigationCamera, "NAVCAM": .navigationCamera, "NAV CAM": .navigationCamera, "NAVIGATION CAMERA": .navigationCamera,
    ]

    /// The class of a raw detector name; nil when unknown (and then reported).
    /// Tries the whole name, the name without a parenthesised part (`SE(U,LA0)` → `SE`), then its
    /// last and first words (`ETD SE` → `SE`).
    public static func classify(_ raw: String) -> DetectorClass? {
        // A name already trimmed and upper-case in ASCII (`SE(U)`, `LA-BSE`: nearly every one)
        // is looked up as it is: `trimmingSpaces.uppercased()` made two `String`s per image to
        // get the same text back.
        if isUpperTrimmedASCII(raw), let c = classes[raw] { return c }
        let name = raw.trimmingSpaces.uppercased()
        guard !name.isEmpty else { return nil }
        if let c = classes[name] { return c }
        if let p = name.firstIndex(of: "("), let c = classes[String(name[..<p]).trimmingSpaces] { return c }
        let words = name.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "+" || $0 == "/" })
        if let last = words.last, let c = classes[String(last)] { return c }
        if let first = words.first, let c = classes[String(first)] { return c }
        return nil
    }

    /// True when `trimmingSpaces.uppercased()` would return `raw` itself: ASCII, no a–z, and no
    /// blank, NUL or line break at either end.
    static func isUpperTrimmedASCII(_ raw: String) -> Bool {
        var raw = raw
        return raw.withUTF8 { b in
            guard let first = b.first, let last = b.last else { return false }
            let edge = { (c: UInt8) in c == 0x20 || c == 0x09 || c == 0x00 || c == 0x0D || c == 0x0A }
            if edge(first) || edge(last) { return false }
            for c in b where c >= 0x80 || (c >= 0x61 && c <= 0x7A) { return false }
            return true
        }
    }
}
