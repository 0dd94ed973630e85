import Foundation

/// Maps values to lengths along the y axis and chooses its ticks.
struct ChartScale {
    let scale: BarChart.Scale
    /// The top of the axis (linear) or its top power of ten (decade).
    let top: Double
    let ticks: [Double]

    init(scale: BarChart.Scale, maximum: Int) {
        self.scale = scale
        switch scale {
        case .linear:
            let (top, step) = Self.niceTop(Double(max(maximum, 1)))
            self.top = top
            ticks = stride(from: 0.0, through: top + step / 2, by: step).map { $0 }
        case .decade:
            var power = 1.0
            while power < Double(max(maximum, 1)) { power *= 10 }
            top = power
            var t: [Double] = [1]
            while t.last! < power { t.append(t.last! * 10) }
            ticks = t
        }
    }

    /// A tick step of 1, 2 or 5 × 10ⁿ giving at most about six intervals, and the axis top
    /// rounded up to a whole step.
    static func niceTop(_ maximum: Double) -> (top: Double, step: Double) {
        let rough = maximum / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        return (max(step, (maximum / step).rounded(.up) * step), step)
    }

    /// The fraction (0…1) of the axis height at `value`.
    func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear: return top == 0 ? 0 : value / top
        case .decade: return value < 1 ? 0 : log10(value) / log10(top == 1 ? 10 : top)
        }
    }

    static func label(_ v: Double) -> String {
        guard let n = Int(exactly: v.rounded()) else { return String(v) }
        var s = String(n)
        // Thousands separated by a thin space, as in the paper's tables' prose.
        var i = s.count - 3
        while i > (n < 0 ? 1 : 0) { s.insert(" ", at: s.index(s.startIndex, offsetBy: i)); i -= 3 }
        return s
    }
}
