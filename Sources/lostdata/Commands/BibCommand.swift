import ArgumentParser
import Bibliography
import Core
import Foundation
import Reports
import Study

/// `lostdata bib`: literature exports → one deduplicated, explained article list.
struct BibCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bib",
        abstract: "Import Scopus and Web of Science exports into one deduplicated article list.",
        discussion: """
        Reads Scopus (CSV, RIS, BibTeX), Web of Science (plain text, tab-delimited, RIS, BibTeX), \
        Lens and OpenAlex CSV exports, recognising the format from the file's content. Duplicates \
        are merged (same EID/UT, same DOI, same title + first author + year ±1, near-identical \
        titles); reviews, errata, retractions, editorials, proceedings volumes, translated journals \
        and records outside the study period are set aside with a reason you can undo. \
        Documentation: docs/bibliography.md.
        """,
        subcommands: [BibImportCommand.self, BibInspectCommand.self, BibListCommand.self, BibShowCommand.self,
                      BibIncludeCommand.self, BibExportCommand.self]
    )
}

/// `--format` for reading exports.
extension ExportFormat: ExpressibleByArgument {}

/// Shared printing of per-file outcomes.
enum BibOutput {
    static func fileJSON(_ f: BibFileReport) -> JSONValue {
        var rejected = f.rejected.map { e in JSONValue.object([("line", e.location.line.map(JSONValue.int) ?? .null), ("reason", .string(e.message))]) }
        if let u = f.unreadable {
            rejected.append(.object([("line", u.location.line.map(JSONValue.int) ?? .null), ("reason", .string(u.message))]))
        }
        return .object([
            ("path", .string(f.path)),
            ("format", f.format.map { .string($0.rawValue) } ?? .null),
            ("records", .int(f.records)),
            ("rejected", .array(rejected)),
            ("kept", .int(f.kept)),
            ("merged", .int(f.merged)),
            ("excluded", .int(f.excluded)),
            ("alreadyImported", .bool(f.alreadyImported)),
            ("error", f.unreadable.map { .string($0.message) } ?? .null),
        ])
    }

    static func summaryJSON(_ r: BibRunReport) -> JSONValue {
        .object([
            ("files", .array(r.files.map(fileJSON))),
            ("records", .int(r.records)),
            ("unique", .int(r.unique)),
            ("merged", .int(r.merged)),
            ("excluded", .object(r.excluded.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
        ])
    }

    /// A fixed-width table for the terminal.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    static func filesTable(_ r: BibRunReport) -> String {
        let rows = r.files.map { f -> [String] in
            if let u = f.unreadable { return [f.path, "-", "-", "-", "-", "-", "-", "unreadable: " + u.message] }
            return [f.path, f.format?.rawValue ?? "-", String(f.records), String(f.kept), String(f.merged), String(f.rejected.count),
                    String(f.excluded), f.alreadyImported ? "already imported, nothing added" : ""]
        }
        return table(["file", "format", "records", "kept", "merged", "rejected", "excluded", ""], rows)
    }

    /// Reports rejections on stderr (one line each: file:line: reason) and turns the outcome into
    /// the exit code: 1 when a file could not be read at all, 3 when records were rejected.
    /// The summary `bib import` and `bib inspect` print: the JSON document, or the per-file table
    /// and a totals line that starts with `totalsLabel`.
    static func summary(_ report: BibRunReport, json: Bool, totalsLabel: String) throws {
        if json {
            try Output.write(summaryJSON(report).rendered() + "\n", to: nil)
            return
        }
        var text = filesTable(report)
        let excluded = report.excluded.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        text += "\(totalsLabel), \(report.merged) merged"
        text += excluded.isEmpty ? "\n" : "; excluded: \(excluded)\n"
        try Output.write(text, to: nil)
    }

    static func finish(_ r: BibRunReport) throws {
        let unreadable = r.files.compactMap(\.unreadable)
        for f in r.files { for e in f.rejected { Diagnostics.error(e.description) } }
        for e in unreadable.dropLast() { Diagnostics.error(e.description) }
        // The last unreadable file's line is printed by the exit path, so each file gets one line.
        if let last = unreadable.last { throw last }
        let rejected = r.files.map(\.rejected.count).reduce(0, +)
        if rejected > 0 { throw PartialSuccess(message: "\(rejected) record(s) rejected; the rest was read") }
    }
}
