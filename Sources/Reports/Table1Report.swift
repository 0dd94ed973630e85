import Core
import Ledger

/// Renders Table 1 as the paper prints it. Computes nothing: every number comes from the Ledger.
public enum Table1Report {
    static let noData = "No data"
    static let dash = "—"

    public static func render(_ table: Table1, as format: ReportFormat) -> String {
        switch format {
        case .markdown: return markdown(table)
        case .csv: return csv(table)
        case .json: return json(table).rendered() + "\n"
        case .latex: return latex(table)
        case .html: return html(table)
        }
    }

    /// The six rows, each a label and one cell per column across all sources.
    static func rows(_ table: Table1) -> [(String, [String])] {
        let cols = table.sources.flatMap(\.columns)
        func cells(_ f: (Table1Column) -> String) -> [String] { cols.map(f) }
        return [
            (Table1.rowLabels[0], cells { $0.acquired.map(String.init) ?? noData }),
            (Table1.rowLabels[1], cells { String($0.articles) }),
            (Table1.rowLabels[2], cells { String($0.images) }),
            (Table1.rowLabels[3], cells { $0.imagesPerArticle?.description ?? dash }),
            (Table1.rowLabels[4], cells { $0.publishedPercent?.description ?? dash }),
            (Table1.rowLabels[5], cells { $0.lostPercent?.description ?? dash }),
        ]
    }

    // MARK: Markdown

    static func markdown(_ table: Table1) -> String {
        var header = ["Data source"], types = ["Data type"]
        for s in table.sources {
            for (i, c) in s.columns.enumerated() {
                header.append(i == 0 ? s.name : "")
                types.append(c.key.description)
            }
        }
        func line(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
        var out = "Table 1. Estimation of the amount of electron microscopy data used and lost.\n\n"
        out += line(header) + "\n"
        out += "|" + ([":---"] + Array(repeating: "---:", count: header.count - 1)).joined(separator: "|") + "|\n"
        out += line(types.map { $0 == "Data type" ? $0 : "**\($0)**" }) + "\n"
        for (label, cells) in rows(table) { out += line([label] + cells) + "\n" }
        out += trimNotes(table)
        return out
    }

    static func trimNotes(_ table: Table1) -> String {
        let reports = table.sources.compactMap { s in s.trim.map { (s.name, $0) } }
        guard let threshold = reports.first?.1.threshold else { return "" }
        var out = "\nOutlier trimming: articles with more than \(threshold) images removed.\n\n"
        for (name, r) in reports {
            guard r.applicable else {
                out += "- \(name): known only by totals; not trimmed.\n"
                continue
            }
            let per = { (t: Tally) in Hundredths(ratio: t.images, t.articles)?.description ?? dash }
            out += "- \(name): \(r.trimmed.count) article\(r.trimmed.count == 1 ? "" : "s") removed; "
            out += "before \(r.before.articles) articles, \(r.before.images) images (\(per(r.before)) per article); "
            out += "after \(r.after.articles) articles, \(r.after.images) images (\(per(r.after)) per article).\n"
            for a in r.trimmed { out += "  - \(a.id): \(a.images) images\n" }
        }
        return out
    }

    // MARK: CSV

    static func csv(_ table: Table1) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines: [[String]] = []
        lines.append(["Data source"] + table.sources.flatMap { s in s.columns.map { _ in s.name } })
        lines.append(["Data type"] + table.sources.flatMap { $0.columns.map(\.key.description) })
        for (label, cells) in rows(table) { lines.append([label] + cells) }
        return lines.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    /// `{"sources":[{"name","columns":[{"technique","acquired","articles","images",
    /// "imagesPerArticle","publishedPercent","lostPercent"}],"trim"?}]}` — docs/reports.md.
    public static func json(_ table: Table1) -> JSONValue {
        func num(_ h: Hundredths?) -> JSONValue { h.map { .number($0.description) } ?? .null }
        return .object([("sources", .array(table.sources.map { s in
            var pairs: [(String, JSONValue)] = [
                ("name", .string(s.name)),
                ("columns", .array(s.columns.map { c in
                    .object([
                        ("technique", .string(c.key.description)),
                        ("acquired", c.acquired.map { .int($0) } ?? .null),
                        ("articles", .int(c.articles)),
                        ("images", .int(c.images)),
                        ("imagesPerArticle", num(c.imagesPerArticle)),
                        ("publishedPercent", num(c.publishedPercent)),
                        ("lostPercent", num(c.lostPercent)),
                    ])
                })),
            ]
            if let r = s.trim {
                pairs.append(("trim", .object([
                    ("threshold", .int(r.threshold)),
                    ("applicable", .bool(r.applicable)),
                    ("before", .object([("articles", .int(r.before.articles)), ("images", .int(r.before.images))])),
                    ("after", .object([("articles", .int(r.after.articles)), ("images", .int(r.after.images))])),
                    ("trimmed", .array(r.trimmed.map { .object([("id", .string($0.id)), ("images", .int($0.images))]) })),
                ])))
            }
            return .object(pairs)
        }))])
    }

    // MARK: LaTeX

    static func latex(_ table: Table1) -> String {
        func esc(_ s: String) -> String {
            var o = ""
            for ch in s {
                switch ch {
                case "&", "%", "$", "#", "_", "{", "}": o += "\\\(ch)"
                case "—": o += "---"
                case "\\": o += "\\textbackslash{}"
                default: o.append(ch)
                }
            }
            return o
        }
        let n = table.sources.reduce(0) { $0 + $1.columns.count }
        var out = "\\begin{table}\n\\caption{Estimation of the amount of electron microscopy data used and lost.}\n"
        out += "\\begin{tabular}{l" + String(repeating: "r", count: n) + "}\n\\hline\n"
        out += "Data source & " + table.sources.map { "\\multicolumn{\($0.columns.count)}{c}{\(esc($0.name))}" }.joined(separator: " & ") + " \\\\\n"
        out += "Data type & " + table.sources.flatMap { $0.columns.map { esc($0.key.description) } }.joined(separator: " & ") + " \\\\\n\\hline\n"
        for (label, cells) in rows(table) {
            out += esc(label) + " & " + cells.map(esc).joined(separator: " & ") + " \\\\\n"
        }
        out += "\\hline\n\\end{tabular}\n\\end{table}\n"
        return out
    }

    // MARK: HTML

    static func html(_ table: Table1) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var out = "<table class=\"lostdata-table1\">\n<caption>Table 1. Estimation of the amount of electron microscopy data used and lost.</caption>\n<thead>\n"
        out += "<tr><th scope=\"row\">Data source</th>" + table.sources.map { "<th scope=\"colgroup\" colspan=\"\($0.columns.count)\">\(esc($0.name))</th>" }.joined() + "</tr>\n"
        out += "<tr><th scope=\"row\">Data type</th>" + table.sources.flatMap { $0.columns.map { "<th scope=\"col\">\(esc($0.key.description))</th>" } }.joined() + "</tr>\n</thead>\n<tbody>\n"
        for (label, cells) in rows(table) {
            out += "<tr><th scope=\"row\">\(esc(label))</th>" + cells.map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        return out
    }
}

import Foundation
