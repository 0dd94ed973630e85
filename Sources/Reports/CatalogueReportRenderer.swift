import Core
import Ledger

/// Lays out a `CatalogueReport` as `index.html` (self-contained: inline CSS and SVG, no script,
/// no network), `report.json` and `data/table1*.csv`, with the study report's style, tables and
/// charts. Pure and deterministic.
public enum CatalogueReportRenderer {
    public static func files(_ report: CatalogueReport) -> [(path: String, content: String)] {
        [("index.html", html(report)), ("report.json", json(report).rendered() + "\n"),
         ("data/table1.csv", Table1Report.render(report.table1, as: .csv)),
         ("data/table1-trimmed.csv", Table1Report.render(report.table1Trimmed, as: .csv))]
    }

    public static func json(_ report: CatalogueReport) -> JSONValue {
        .object([
            ("catalogue", .string(report.catalogue)),
            ("outlierThreshold", .int(report.outlierThreshold)),
            ("table1", Table1Report.json(report.table1)),
            ("table1Trimmed", Table1Report.json(report.table1Trimmed)),
            ("charts", .array(report.combined.map(StudyReportRenderer.figureJSON))),
            ("facilities", .array(report.facilities.map { f in
                .object([("name", .string(f.name)), ("pushedAt", .string(f.pushedAt)), ("toolVersion", .string(f.toolVersion)),
                         ("charts", .array(f.figures.map(StudyReportRenderer.figureJSON)))])
            })),
        ])
    }

    public static func html(_ report: CatalogueReport) -> String {
        let e = XMLText.escape
        var h = StudyReportRenderer.pageHead(title: "Catalogue — lostdata report")
        h += "<h1>Lost data across facilities</h1>\n"
        h += "<p class=\"note\">Catalogue <code>\(e(report.catalogue))</code>; \(report.facilities.count) facilit\(report.facilities.count == 1 ? "y" : "ies"). "
        h += "Made by lostdata \(e(LostData.version)), aggregated in the server. Every number below is in <code>report.json</code>.</p>\n"
        h += "<ul>\n" + report.facilities.enumerated().map { i, f in
            "<li><a href=\"#facility-\(i + 1)\">\(e(f.name))</a> (pushed \(e(f.pushedAt)) by lostdata \(e(f.toolVersion)))</li>\n"
        }.joined() + "</ul>\n"

        h += "<h2 id=\"table1\">Table 1</h2>\n" + Table1Report.render(report.table1, as: .html)
        h += "<h3>With outlier trimming (articles with more than \(report.outlierThreshold) EM images left out)</h3>\n"
        h += Table1Report.render(report.table1Trimmed, as: .html)
        h += StudyReportRenderer.trimmedList(report.table1Trimmed)

        h += "<h2 id=\"combined\">All facilities</h2>\n" + figures(report.combined, prefix: "all")
        for (i, f) in report.facilities.enumerated() {
            h += "<h2 id=\"facility-\(i + 1)\">\(e(f.name))</h2>\n" + figures(f.figures, prefix: "f\(i + 1)")
        }
        return h + "</body>\n</html>\n"
    }

    /// The figures of one section; element ids carry the section's prefix so they stay unique.
    static func figures(_ list: [StudyReport.Figure], prefix: String) -> String {
        let e = XMLText.escape
        var h = ""
        for figure in list {
            switch figure {
            case .missing(let id, let title, let sentence):
                h += "<section class=\"figure\" id=\"\(prefix)-\(e(id))\">\n<h3>\(e(title))</h3>\n<p class=\"missing\">\(e(sentence))</p>\n</section>\n"
            case .chart(var c):
                let dataID = c.id
                c.id = "\(prefix)-\(c.id)"
                h += "<figure id=\"\(e(c.id))\">\n" + SVGChart.render(c)
                h += "<figcaption>\(e(c.title))</figcaption>\n"
                if let note = c.note { h += "<p class=\"note\">\(e(note))</p>\n" }
                c.id = dataID
                h += "<details><summary>Data table</summary>\n" + StudyReportRenderer.dataTable(c) + "</details>\n</figure>\n"
            }
        }
        return h
    }
}
