/// The class of detector an electron-microscope image was recorded with — the paper's third search
/// parameter (`SignalName=SE`, `LA-BSE`, `HA-BSE`, `PDBSE`, `TE`, `BF-STEM`, `DF-STEM`), which is
/// also what separates STEM images from SEM images recorded on the same instrument.
///
/// Shared vocabulary: the Archive stage derives it from acquisition metadata, the Figures stage may
/// derive it from figure captions.
public enum DetectorClass: String, CaseIterable, Codable, Sendable, Comparable, CustomStringConvertible {
    /// Secondary electrons (Everhart–Thornley, in-lens, upper/lower SE detectors).
    case se = "SE"
    /// Backscattered electrons, without a finer class.
    case bse = "BSE"
    /// Low-angle BSE (Hitachi upper detector with energy filter).
    case laBSE = "LA-BSE"
    /// High-angle BSE.
    case haBSE = "HA-BSE"
    /// Photodiode BSE.
    case pdBSE = "PDBSE"
    /// Hitachi "top" detector.
    case te = "TE"
    /// Bright-field scanning transmission detector.
    case bfSTEM = "BF-STEM"
    /// Dark-field (incl. annular/HAADF) scanning transmission detector.
    case dfSTEM = "DF-STEM"
    /// A TEM camera (CCD/CMOS) image.
    case camera = "CAMERA"
    /// A navigation camera (Thermo Fisher / FEI `Nav-Cam`): a light photo of the chamber or the
    /// sample holder, taken to find the way — not an electron image, never counted as acquired EM.
    case navigationCamera = "NAV-CAM"

    public var description: String { rawValue }

    /// STEM detectors: on an SEM they make the image a STEM image.
    public var isTransmission: Bool { self == .bfSTEM || self == .dfSTEM }

    /// False for detectors that record light, not electrons (a navigation camera): their images
    /// are neither SEM, TEM nor STEM.
    public var isElectron: Bool { self != .navigationCamera }

    public init?(name: String) {
        guard let c = DetectorClass.allCases.first(where: { $0.rawValue == name.uppercased() })
        else { return nil }
        self = c
    }

    private var order: Int { DetectorClass.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: DetectorClass, rhs: DetectorClass) -> Bool { lhs.order < rhs.order }
}
