/// The electron-microscopy techniques lostdata counts.
///
/// The order of the cases is the order the paper's Table 1 prints its columns in
/// (SEM, STEM, TEM); a source shows only the techniques it declares.
public enum Technique: String, CaseIterable, Codable, Sendable, Comparable, CustomStringConvertible {
    case sem = "SEM"
    case stem = "STEM"
    case tem = "TEM"

    public var description: String { rawValue }

    /// Parses "SEM", "sem", "Stem", … Returns nil for anything else.
    public init?(name: String) {
        switch name.uppercased() {
        case "SEM": self = .sem
        case "STEM": self = .stem
        case "TEM": self = .tem
        default: return nil
        }
    }

    private var order: Int { Technique.allCases.firstIndex(of: self)! }
    public static func < (lhs: Technique, rhs: Technique) -> Bool { lhs.order < rhs.order }
}
