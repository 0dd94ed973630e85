/// Options whose value may be left out, such as `--trim-outliers [N]`. ArgumentParser wants a
/// value after every option, so before parsing, a bare occurrence gets its default inserted.
enum OptionalValueOptions {
    static let defaults: [String: String] = [
        // `study`: the study's figures.outlierThreshold (default 50), read once the study is open.
        "--trim-outliers": "study",
    ]

    static func expand(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            out.append(arg)
            if arg == "--" { out += arguments[(i + 1)...]; break }
            if let value = defaults[arg] {
                let next = i + 1 < arguments.count ? arguments[i + 1] : nil
                if next.flatMap({ Int($0) }) == nil { out.append(value) }
            }
            i += 1
        }
        return out
    }
}
