/// Colours for series, told apart also by people with colour-vision deficiencies: the Okabe–Ito
/// palette (Okabe & Ito 2008, "Color Universal Design"), black left out for the axes' sake.
enum ChartPalette {
    static let colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
    static func colour(_ i: Int) -> String { colours[i % colours.count] }
}
