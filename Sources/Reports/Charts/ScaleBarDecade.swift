import Foundation
import Core

/// How a scale-bar decade (its lower bound, in nm) is written on a chart's axis: "100 nm",
/// "1 µm", "10 mm". One home, so the study report and the catalogue report label alike (their
/// Fig 2B categories are compared value for value).
public enum ScaleBarDecade {
    public static func label(_ nm: Double) -> String {
        let units: [(Double, String)] = [(1e6, "mm"), (1e3, "µm"), (1, "nm")]
        for (scale, unit) in units where nm >= scale * 0.999 {
            let v = nm / scale
            return (v >= 1 ? NumberText.rounded(v) : String(v)) + " " + unit
        }
        return String(format: "%g", nm) + " nm"
    }
}
