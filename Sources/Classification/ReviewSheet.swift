import Core
import Foundation

/// The review spreadsheet: a CSV with one row per article — the proposal, its evidence, and empty
/// decision columns a person fills in — and the validation of what comes back. Pure: text in,
/// values and located errors out; the Study stores the decisions.
public enum ReviewSheet {
    /// Column names, in export order. Import finds columns by name, so a reviewer may reorder
    /// or delete the informative ones; only `id` and `decision_categories` are required.
    public static let columns = [
        "id", "doi", "title", "year", "suggested_categories", "suggested_primary", "ambiguous", "evidence",
        "current_decision", "decision_categories", "decision_primary", "reviewer", "note",
    ]
    /// Typed in `decision_categories` to confirm the proposal as it stands.
    public static let acceptWord = "accept"
    /// At most this many evidence items per row, strongest first, to keep cells readable.
    static let evidenceShown = 6

    /// One exported row.
    public struct Row: Hashable, Sendable {
        public var id: String
        public var doi: String?
        public var title: String
        public var year: Int?
        public var suggested: [String]
        public var suggestedPrimary: String
        public var ambiguous: Bool
        public var evidence: [Evidence]
        /// The decision already recorded, categories primary first (shown, not re-imported).
        public var currentDecision: [String]?

        public init(id: String, doi: String?, title: String, year: Int?, suggested: [String], suggestedPrimary: String,
                    ambiguous: Bool, evidence: [Evidence], currentDecision: [String]?) {
            self.id = id
            self.doi = doi
            self.title = title
            self.year = year
            self.suggested = suggested
            self.suggestedPrimary = suggestedPrimary
            self.ambiguous = ambiguous
            self.evidence = evidence
            self.currentDecision = currentDecision
        }
    }

    /// One decision read back from a sheet.
    public struct Entry: Hashable, Sendable {
        public var line: Int
        public var id: String
        /// Primary first, then the rest in taxonomy order, parents of subcategories added.
        public var categories: [String]
        public var reviewer: String?
        public var note: String?
    }

    /// The sheet's text: RFC 4180, CRLF line ends (what spreadsheets expect), UTF-8.
    public static func render(_ rows: [Row]) -> String {
        var out = columns.map(field).joined(separator: ",") + "\r\n"
        for r in rows {
            let evidence = r.evidence.sorted { abs($0.points) > abs($1.points) }.prefix(evidenceShown)
                .map { "\($0.category) [\($0.field.rawValue)] \($0.text)" }.joined(separator: " | ")
            let cells = [r.id, r.doi ?? "", r.title, r.year.map(String.init) ?? "", r.suggested.joined(separator: "; "),
                         r.suggestedPrimary, r.ambiguous ? "yes" : "", evidence,
                         r.currentDecision?.joined(separator: "; ") ?? "", "", "", "", ""]
            out += cells.map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// Reads a filled-in sheet. `suggestions` maps every known article id to its current
    /// proposal (categories, primary), which "accept" resolves to. Every bad row is reported
    /// with its line; the caller applies nothing unless `errors` is empty.
    public static func parse(_ data: Data, file: String, taxonomy: Taxonomy,
                             suggestions: [String: (categories: [String], primary: String)])
        -> (entries: [Entry], skipped: Int, errors: [InputError]) {
        let parsed = CSV.parse(data)
        var errors: [InputError] = []
        if case .unterminatedQuote(let line)? = parsed.error {
            errors.append(InputError("a quoted cell is never closed", file: file, line: line))
        }
        guard let header = parsed.rows.first else {
            return ([], 0, errors + [InputError("the review file is empty", file: file, line: 1)])
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        guard let idCol = column("id"), let decCol = column("decision_categories") else {
            let hint = names.count == 1 && names[0].contains(";") ? " (the file looks semicolon-separated; save it as comma-separated CSV)" : ""
            return ([], 0, errors + [InputError("the header needs the columns 'id' and 'decision_categories'\(hint)", file: file, line: header.line)])
        }
        let primaryCol = column("decision_primary"), reviewerCol = column("reviewer"), noteCol = column("note")
        var entries: [Entry] = []
        var skipped = 0
        var seen: [String: Int] = [:]
        for (index, row) in parsed.rows.enumerated().dropFirst() {
            // A spreadsheet numbers rows, not lines; they differ after a cell with a line break.
            let rowNote = index + 1 == row.line ? "" : "spreadsheet row \(index + 1): "
            func cell(_ i: Int?) -> String {
                guard let i, i < row.fields.count else { return "" }
                return row.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let id = cell(idCol), decided = cell(decCol), primaryGiven = cell(primaryCol)
            if decided.isEmpty && primaryGiven.isEmpty { skipped += 1; continue }
            let error = { (message: String) in
                errors.append(InputError(rowNote + message, file: file, line: row.line, record: id.isEmpty ? nil : id))
            }
            guard !id.isEmpty else { error("a decision without an article id"); continue }
            guard let suggestion = suggestions[id] else { error("unknown article id '\(id)' (not in this study's classification)"); continue }
            if let first = seen[id] { error("article '\(id)' is decided twice (also on line \(first))"); continue }
            seen[id] = row.line
            var chosen: [String]
            var primary: String
            if decided.lowercased() == acceptWord {
                chosen = suggestion.categories
                primary = primaryGiven.isEmpty ? suggestion.primary : primaryGiven
            } else {
                chosen = decided.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                if chosen.isEmpty { chosen = [primaryGiven] }
                primary = primaryGiven.isEmpty ? chosen[0] : primaryGiven
            }
            let unknown = Set(chosen + [primary]).filter { !taxonomy.contains($0) }.sorted()
            if !unknown.isEmpty {
                error("unknown categor\(unknown.count == 1 ? "y" : "ies") \(unknown.map { "'\($0)'" }.joined(separator: ", ")) (the rules file lists the known ids)")
                continue
            }
            if Set(chosen + [primary]).contains(Taxonomy.unclassified) && Set(chosen + [primary]).count > 1 {
                error("'unclassified' cannot be combined with other categories"); continue
            }
            let reviewer = cell(reviewerCol), note = cell(noteCol)
            entries.append(Entry(line: row.line, id: id, categories: taxonomy.normalisedDecision(chosen, primary: primary),
                                 reviewer: reviewer.isEmpty ? nil : reviewer, note: note.isEmpty ? nil : note))
        }
        return (entries, skipped, errors)
    }

    /// A CSV cell, quoted when it holds a separator, quote or line break.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
