import Core
import Archive
import ArgumentParser
import Reports
import Study

/// `lostdata archive group-by FIELD…`: the paper's sorting into bins (Figure 1C).
struct ArchiveGroupByCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group-by",
        abstract: "Count indexed images per combination of FIELDs (Figure 1C, sorting into bins).",
        discussion: """
        FIELD is one of: year instrument technique detector decade magnification extension. \
        `detector` is the detector class; `decade` is the scale-bar decade's lower bound in nm \
        (FOV/10 rounded down to a power of ten; null when the FOV is unknown). Filters as for \
        `archive count` apply first. With --json, one object per bin per line, e.g. \
        {"year":2019,"technique":"SEM","images":8123}.
        """
    )

    @Argument(help: ArgumentHelp("Fields to group by.", valueName: "FIELD"))
    var fields: [String]

    @OptionGroup var filters: ArchiveFilterOptions
    @Flag(name: .long, help: "One JSON object per bin per line on stdout.")
    var json = false
    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        for f in fields where ArchiveField(rawValue: f) == nil {
            throw ValidationError("unknown field '\(f)'; use: \(ArchiveField.allCases.map(\.rawValue).joined(separator: " "))")
        }
        if Set(fields).count != fields.count { throw ValidationError("a field is given twice") }
    }

    func run() throws {
        let fields = self.fields.compactMap(ArchiveField.init(rawValue:))
        let bins = try studyOptions.open().archiveGroupBy(fields, filter: filters.filter)
        var out = ""
        if json {
            for b in bins {
                var pairs = b.values.map { ($0.field.rawValue, Self.json($0.value)) }
                pairs.append(("images", .int(b.images)))
                out += JSONValue.object(pairs).rendered() + "\n"
            }
        } else {
            let header = fields.map(\.rawValue) + ["images"]
            let rows = bins.map { b in b.values.map { Self.text($0.value, field: $0.field) } + [String(b.images)] }
            let widths = header.indices.map { i in max(header[i].count, rows.map { $0[i].count }.max() ?? 0) }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, c in i == cells.count - 1 ? String(repeating: " ", count: widths[i] - c.count) + c
                                                                        : c + String(repeating: " ", count: widths[i] - c.count) }
                    .joined(separator: "  ")
            }
            out += line(header) + "\n"
            for r in rows { out += line(r) + "\n" }
        }
        try Output.write(out, to: nil)
    }

    static func json(_ v: ArchiveBin.Value) -> JSONValue {
        switch v {
        case .integer(let i): return .int(i)
        case .number(let d): return ArchiveJSON.number(d)
        case .text(let s): return .string(s)
        case .none: return .null
        }
    }

    static func text(_ v: ArchiveBin.Value, field: ArchiveField) -> String {
        switch v {
        case .integer(let i): return String(i)
        case .number(let d): return field == .decade ? ImageDerivation.label(decadeNm: d) : ArchiveJSON.number(d).rendered()
        case .text(let s): return s
        case .none: return "—"
        }
    }
}
