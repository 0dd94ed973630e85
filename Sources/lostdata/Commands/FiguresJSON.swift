import Core
import Figures
import Foundation
import Reports

/// The JSON shapes of `lostdata figures` (documented in docs/figures.md), keys in documented order.
enum FiguresJSON {
    static func techniques(_ c: TechniqueCounts) -> JSONValue {
        .object([("SEM", .int(c.sem)), ("TEM", .int(c.tem)), ("STEM", .int(c.stem))])
    }

    static func number(_ v: Double) -> JSONValue {
        if v == v.rounded(), abs(v) < 1e15 { return .int(Int(v)) }
        return .number(String(format: "%g", v))
    }

    /// One article: the line `figures count --json` prints.
    static func article(_ a: ArticleFigures, evidence: Bool) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("file", .string(a.file)),
            ("doi", a.doi.map { .string($0.value) } ?? a.rawDOI.map { .string($0) } ?? .null),
            ("figures", .int(a.mainFigures.count)),
            ("emFigures", .int(a.emFigures)),
            ("emPanels", .int(a.main.total)),
            ("byTechnique", techniques(a.main)),
            ("supplementary", .object([
                ("items", .int(a.supplements.count)),
                ("emPanels", .int(a.supplementary.total)),
                ("uncounted", .int(a.uncountedSupplements)),
                ("byTechnique", techniques(a.supplementary)),
            ])),
            ("lowerBound", .bool(a.lowerBound)),
            ("reused", .int(a.reusedPanels)),
            ("flags", .array(a.flags.map { .string($0) })),
            ("scaleBarsNm", .array(a.scaleBarsNm.map(number))),
        ]
        if evidence {
            pairs.append(("evidence", .array(a.figures.flatMap { fig in
                fig.emPanels.map { panel in
                    JSONValue.object([
                        ("figure", .string(fig.label.isEmpty ? (fig.id ?? "") : fig.label)),
                        ("supplementary", .bool(fig.role != .main)),
                        ("panel", .string(panel.label)),
                        ("technique", .string(panel.technique?.rawValue ?? "")),
                        ("words", .string(panel.decidedBy ?? "")),
                        ("place", .string(panel.place?.rawValue ?? "")),
                        ("snippet", .string(CaptionText.display(panel.evidence))),
                    ])
                }
            })))
        }
        return .object(pairs)
    }

    static func totals(_ t: OutlierTrim.Totals) -> JSONValue {
        .object([("articles", .int(t.articles)), ("images", .int(t.images.total)), ("byTechnique", techniques(t.images))])
    }

    /// The last line of `figures count --json --trim-outliers`.
    static func outliers(_ trim: OutlierTrim) -> JSONValue {
        .object([("outliers", .object([
            ("threshold", .int(trim.threshold)),
            ("trimmed", .array(trim.trimmed.map { a in
                .object([("file", .string(a.file)), ("doi", a.doi.map { .string($0.value) } ?? .null), ("images", .int(a.total.total))])
            })),
            ("before", totals(trim.before)),
            ("after", totals(trim.after)),
        ]))])
    }
}
