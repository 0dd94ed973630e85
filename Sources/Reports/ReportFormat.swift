/// The formats every report can be written in.
public enum ReportFormat: String, CaseIterable, Sendable {
    case markdown, csv, json, latex, html
}
