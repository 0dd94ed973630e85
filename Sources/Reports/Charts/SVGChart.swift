import Foundation

/// Draws a `BarChart` as standalone SVG text: pure (values in, text out), no script, no fonts
/// to fetch. Every bar carries its exact value in `data-value` and in a `<title>` that browsers
/// show on hover; the same text renders identically every time.
public enum SVGChart {
    static let width = 720.0, plotH = 278.0
    static let baseLeft = 78.0, right = 170.0, top = 44.0
    /// Category labels longer than this are cut with "…" under the axis (whole in the bar's title).
    static let labelLimit = 44

    public static func render(_ chart: BarChart) -> String {
        let n = max(chart.categories.count, 1)
        let labels = chart.categories.map { $0.count > labelLimit ? String($0.prefix(labelLimit - 1)) + "…" : $0 }
        let longest = Double(labels.map(\.count).max() ?? 0)
        // Labels that would not fit side by side are turned 45°, and the chart grows to hold them
        // (downwards, and leftwards for the first label).
        let turned = longest * 6.6 > (width - baseLeft - right) / Double(n)
        let left = turned ? max(baseLeft, longest * 4.2) : baseLeft
        let plotW = width - left - right
        let band = plotW / Double(n)
        let bottom = turned ? 52 + longest * 5.2 : 60
        let height = top + plotH + bottom
        let values: [Int] = chart.layout == .stacked ? chart.totals : chart.series.flatMap(\.values)
        let scale = ChartScale(scale: chart.scale, maximum: values.max() ?? 0)
        let e = XMLText.escape
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" "
        s += "role=\"img\" class=\"chart\" id=\"chart-\(e(chart.id))\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n"
        s += "<title>\(e(chart.title))</title>\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"\(f(left))\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(e(chart.title))</text>\n"
        // Y axis: grid lines and tick labels.
        for t in scale.ticks {
            let y = top + plotH * (1 - scale.fraction(t))
            s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#dddddd\"/>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(e(ChartScale.label(t)))</text>\n"
        }
        s += "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" stroke=\"#333333\"/>\n"
        s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\" stroke=\"#333333\"/>\n"
        s += "<text transform=\"translate(18 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(e(chart.yLabel))</text>\n"
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(e(chart.xLabel))</text>\n"
        // Bars.
        let barW = band * 0.72
        for (ci, category) in chart.categories.enumerated() {
            let x0 = left + band * Double(ci) + (band - barW) / 2
            var base = 0
            for (si, series) in chart.series.enumerated() {
                let v = series.values.indices.contains(ci) ? series.values[ci] : 0
                let x: Double, w: Double, yTop: Double, yBottom: Double
                switch chart.layout {
                case .stacked:
                    (x, w) = (x0, barW)
                    yBottom = top + plotH * (1 - scale.fraction(Double(base)))
                    yTop = top + plotH * (1 - scale.fraction(Double(base + v)))
                    base += v
                case .grouped:
                    w = barW / Double(max(chart.series.count, 1))
                    x = x0 + w * Double(si)
                    yBottom = top + plotH
                    yTop = top + plotH * (1 - scale.fraction(Double(v)))
                }
                let tip = "\(series.name), \(category): \(ChartScale.label(Double(v))) \(chart.unit)"
                s += "<rect class=\"bar\" data-series=\"\(e(series.name))\" data-category=\"\(e(category))\" data-value=\"\(v)\" "
                s += "x=\"\(f(x))\" y=\"\(f(yTop))\" width=\"\(f(w))\" height=\"\(f(max(0, yBottom - yTop)))\" fill=\"\(ChartPalette.colour(si))\">"
                s += "<title>\(e(tip))</title></rect>\n"
            }
            // Category labels, turned when there are many so they do not overlap.
            let cx = left + band * (Double(ci) + 0.5), cy = top + plotH + 14
            if turned {
                s += "<text transform=\"translate(\(f(cx)) \(f(cy))) rotate(-45)\" text-anchor=\"end\" font-size=\"11\">\(e(labels[ci]))</text>\n"
            } else {
                s += "<text x=\"\(f(cx))\" y=\"\(f(cy + 2))\" text-anchor=\"middle\" font-size=\"11\">\(e(labels[ci]))</text>\n"
            }
        }
        // Legend.
        for (si, series) in chart.series.enumerated() {
            let y = top + 4 + Double(si) * 20
            s += "<rect class=\"legend\" x=\"\(f(width - right + 16))\" y=\"\(f(y))\" width=\"12\" height=\"12\" fill=\"\(ChartPalette.colour(si))\"/>\n"
            s += "<text x=\"\(f(width - right + 34))\" y=\"\(f(y + 10))\">\(e(series.name))</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// Coordinates with one decimal: enough for the screen, and the same text on every run.
    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}

extension BarChart {
    /// The unit of a value, for hover text: the y label's word after the last "(" or the label.
    var unit: String {
        if let open = yLabel.lastIndex(of: "("), let close = yLabel.lastIndex(of: ")"), open < close {
            return String(yLabel[yLabel.index(after: open)..<close])
        }
        return yLabel
    }
}
