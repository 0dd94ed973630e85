/// A non-negative quantity with two decimals, held exactly as hundredths.
///
/// Table 1's averages and percentages are ratios of integers. Doing them in `Double` and rounding
/// would turn an exact .xx5 into .xx4999… and round it the wrong way; instead the ratio is rounded
/// half-up in integer arithmetic, so the printed digits are exactly the paper's.
public struct Hundredths: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Int

    public init(hundredths: Int) { value = hundredths }

    /// `numerator / denominator`, rounded half-up to two decimals. Nil when the denominator is 0.
    public init?(ratio numerator: Int, _ denominator: Int) {
        guard denominator > 0, numerator >= 0 else { return nil }
        // round(n/d * 100) half-up  ==  floor((200 n + d) / 2d)
        let (n, d) = (numerator.multipliedFullWidth(by: 200), denominator)
        precondition(n.high == 0, "ratio too large for exact rounding")
        value = Int((n.low + UInt(d)) / UInt(2 * d))
    }

    /// `100 · numerator / denominator` rounded half-up: a percentage.
    public init?(percent numerator: Int, of denominator: Int) {
        self.init(ratio: numerator * 100, denominator)
    }

    /// "12.83", "97.40", "0.05".
    public var description: String {
        let whole = value / 100, frac = value % 100
        return "\(whole)." + (frac < 10 ? "0\(frac)" : "\(frac)")
    }

    public var doubleValue: Double { Double(value) / 100 }
    public static func < (l: Hundredths, r: Hundredths) -> Bool { l.value < r.value }
}
