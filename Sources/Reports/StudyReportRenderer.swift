import Core
import Ledger

/// Lays out a `StudyReport` as the files of `report/`: `index.html` (self-contained: inline CSS
/// and SVG, no script, no network), `charts/<id>.svg`, `data/<id>.csv` and `report.json`.
/// Pure and deterministic: the same report gives the same bytes, so a re-run changes no file.
public enum StudyReportRenderer {
    /// Relative path → file content, in a stable order.
    public static func files(_ report: StudyReport) -> [(path: String, content: String)] {
        var out: [(String, String)] = [("index.html", html(report)), ("report.json", json(report).rendered() + "\n")]
        for case .chart(let c) in report.figures {
            out.append(("charts/\(c.id).svg", SVGChart.render(c)))
            out.append(("data/\(c.id).csv", csv(c)))
        }
        out.append(("data/table1.csv", Table1Report.render(report.table1, as: .csv)))
        out.append(("data/table1-trimmed.csv", Table1Report.render(report.table1Trimmed, as: .csv)))
        out.append(("data/inputs.csv", inputsCSV(report.inputs)))
        return out
    }

    // MARK: JSON

    public static func json(_ report: StudyReport) -> JSONValue {
        func opt(_ v: Int?) -> JSONValue { v.map { .int($0) } ?? .null }
        return .object([
            ("name", .string(report.name)),
            ("period", report.period.map { .object([("from", .int($0.lowerBound)), ("to", .int($0.upperBound))]) } ?? .null),
            ("inputs", .array(report.inputs.map { i in
                .object([("stage", .string(i.stage)), ("path", .string(i.path)), ("sha256", .string(i.sha256)), ("bytes", .int(i.bytes)),
                         ("read", opt(i.read)), ("kept", opt(i.kept)), ("merged", opt(i.merged)), ("rejected", opt(i.rejected))])
            })),
            ("outlierThreshold", .int(report.outlierThreshold)),
            ("table1", Table1Report.json(report.table1)),
            ("table1Trimmed", Table1Report.json(report.table1Trimmed)),
            ("charts", .array(report.figures.map(figureJSON))),
        ])
    }

    /// One figure as `report.json` holds it (the catalogue report uses the same shape).
    public static func figureJSON(_ figure: StudyReport.Figure) -> JSONValue {
        switch figure {
        case .missing(let id, let title, let sentence):
            return .object([("id", .string(id)), ("title", .string(title)), ("missing", .string(sentence))])
        case .chart(let c):
            return .object([
                ("id", .string(c.id)), ("title", .string(c.title)), ("xLabel", .string(c.xLabel)), ("yLabel", .string(c.yLabel)),
                ("layout", .string(c.layout.rawValue)), ("scale", .string(c.scale.rawValue)),
                ("categories", .array(c.categories.map { .string($0) })),
                ("series", .array(c.series.map { .object([("name", .string($0.name)), ("values", .array($0.values.map { .int($0) }))]) })),
                ("totals", .array(c.totals.map { .int($0) })),
                ("note", c.note.map { .string($0) } ?? .null),
            ])
        }
    }

    // MARK: CSV

    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// One row per category, one column per series, and the total.
    public static func csv(_ chart: BarChart) -> String {
        var out = ([chart.xLabel] + chart.series.map(\.name) + ["total"]).map(field).joined(separator: ",") + "\n"
        let totals = chart.totals
        for (i, c) in chart.categories.enumerated() {
            out += ([c] + chart.series.map { $0.values.indices.contains(i) ? String($0.values[i]) : "0" } + [String(totals[i])])
                .map(field).joined(separator: ",") + "\n"
        }
        return out
    }

    static func inputsCSV(_ inputs: [StudyReport.Input]) -> String {
        var out = "stage,path,sha256,bytes,read,kept,merged,rejected\n"
        for i in inputs {
            let counts: [String] = [i.read, i.kept, i.merged, i.rejected].map { $0.map(String.init) ?? "" }
            let cells: [String] = [i.stage, i.path, i.sha256, String(i.bytes)] + counts
            out += cells.map(field).joined(separator: ",") + "\n"
        }
        return out
    }

    // MARK: HTML

    public static let style = """
    body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.4}
    h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ccc}
    table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}
    th[scope=row],td.text{text-align:left}caption{text-align:left;font-weight:bold;padding:.3rem 0}
    figure{margin:1.5rem 0;break-inside:avoid;page-break-inside:avoid}figure svg{max-width:100%;height:auto}
    .missing{font-style:italic;color:#555;border-left:4px solid #E69F00;padding:.4rem .8rem}
    .note{color:#444;font-size:.9rem}code{font-size:.85rem;word-break:break-all}
    @media print{body{margin:0;max-width:none}details{display:none}h2{break-after:avoid}}
    """

    /// The page up to `<body>`: the report's one stylesheet inline, so the page stands alone
    /// (the study report and the catalogue report share it).
    static func pageHead(title: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>\(XMLText.escape(title))</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n"
    }

    public static func html(_ report: StudyReport) -> String {
        let e = XMLText.escape
        var h = pageHead(title: "\(report.name) — lostdata report")
        h += "<h1>\(e(report.name))</h1>\n"
        if let p = report.period { h += "<p>Publication years \(p.lowerBound)–\(p.upperBound).</p>\n" }
        h += "<p class=\"note\">Made by lostdata \(e(LostData.version)). Every number below is in <code>report.json</code>; each chart is also in <code>charts/</code> and its data in <code>data/</code>.</p>\n"

        h += "<h2 id=\"table1\">Table 1</h2>\n" + Table1Report.render(report.table1, as: .html)
        h += "<h3>With outlier trimming (articles with more than \(report.outlierThreshold) EM images left out)</h3>\n"
        h += Table1Report.render(report.table1Trimmed, as: .html)
        h += trimmedList(report.table1Trimmed)

        h += "<h2 id=\"figures\">Figures</h2>\n"
        for figure in report.figures {
            switch figure {
            case .missing(let id, let title, let sentence):
                h += "<section class=\"figure\" id=\"\(e(id))\">\n<h3>\(e(title))</h3>\n<p class=\"missing\">\(e(sentence))</p>\n</section>\n"
            case .chart(let c):
                h += "<figure id=\"\(e(c.id))\">\n" + SVGChart.render(c)
                h += "<figcaption><a href=\"charts/\(e(c.id)).svg\">\(e(c.title))</a> · data: <a href=\"data/\(e(c.id)).csv\">data/\(e(c.id)).csv</a></figcaption>\n"
                if let note = c.note { h += "<p class=\"note\">\(e(note))</p>\n" }
                h += "<details><summary>Data table</summary>\n" + dataTable(c) + "</details>\n</figure>\n"
            }
        }

        h += "<h2 id=\"inputs\">Inputs</h2>\n<table class=\"inputs\">\n<thead><tr><th scope=\"col\">stage</th><th scope=\"col\">file</th><th scope=\"col\">sha256</th>"
        h += "<th scope=\"col\">bytes</th><th scope=\"col\">read</th><th scope=\"col\">kept</th><th scope=\"col\">merged</th><th scope=\"col\">rejected</th></tr></thead>\n<tbody>\n"
        for i in report.inputs {
            let n = { (v: Int?) in v.map(String.init) ?? "—" }
            h += "<tr><td class=\"text\">\(e(i.stage))</td><td class=\"text\"><code>\(e(i.path))</code></td><td class=\"text\"><code>\(e(i.sha256))</code></td>"
            h += "<td>\(i.bytes)</td><td>\(n(i.read))</td><td>\(n(i.kept))</td><td>\(n(i.merged))</td><td>\(n(i.rejected))</td></tr>\n"
        }
        h += "</tbody>\n</table>\n</body>\n</html>\n"
        return h
    }

    static func trimmedList(_ table: Table1) -> String {
        let e = XMLText.escape
        var h = "<ul class=\"trimmed\">\n"
        for s in table.sources {
            guard let t = s.trim else { continue }
            if !t.applicable { h += "<li>\(e(s.name)): known only by totals; not trimmed.</li>\n"; continue }
            if t.trimmed.isEmpty { h += "<li>\(e(s.name)): no article above the threshold.</li>\n"; continue }
            h += "<li>\(e(s.name)): \(t.trimmed.count) article(s) left out — "
            h += t.trimmed.map { "<code>\(e($0.id))</code> (\($0.images) images)" }.joined(separator: ", ") + "</li>\n"
        }
        return h + "</ul>\n"
    }

    /// The chart's values as a table; each cell says which chart, series and category it is.
    public static func dataTable(_ c: BarChart) -> String {
        let e = XMLText.escape
        var h = "<table class=\"data\" data-chart=\"\(e(c.id))\">\n<thead><tr><th scope=\"col\">\(e(c.xLabel))</th>"
        h += c.series.map { "<th scope=\"col\">\(e($0.name))</th>" }.joined() + "<th scope=\"col\">total</th></tr></thead>\n<tbody>\n"
        let totals = c.totals
        for (i, cat) in c.categories.enumerated() {
            h += "<tr><th scope=\"row\">\(e(cat))</th>"
            for s in c.series {
                h += "<td data-series=\"\(e(s.name))\">\(s.values.indices.contains(i) ? s.values[i] : 0)</td>"
            }
            h += "<td data-series=\"total\">\(totals[i])</td></tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }
}
