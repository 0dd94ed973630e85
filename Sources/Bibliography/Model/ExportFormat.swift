import Core

/// The export formats the stage reads. Raw values are what `--format` takes and what reports print.
public enum ExportFormat: String, CaseIterable, Hashable, Sendable, Codable {
    case scopusCSV = "scopus-csv"
    case scopusRIS = "scopus-ris"
    case scopusBibTeX = "scopus-bibtex"
    case wosPlainText = "wos-plaintext"
    case wosTabDelimited = "wos-tabdelimited"
    case wosBibTeX = "wos-bibtex"
    case wosRIS = "wos-ris"
    case ris
    case bibtex
    case lensCSV = "lens-csv"
    case openAlexCSV = "openalex-csv"

    /// The database a format's records come from, when the format says it.
    public var database: SourceDatabase {
        switch self {
        case .scopusCSV, .scopusRIS, .scopusBibTeX: return .scopus
        case .wosPlainText, .wosTabDelimited, .wosBibTeX, .wosRIS: return .wos
        case .lensCSV: return .lens
        case .openAlexCSV: return .openalex
        case .ris, .bibtex: return .other
        }
    }
}

/// What reading one file gave: its records and, for each item that could not be read, where and why.
/// `recordsRead == records.count + rejected.count`: nothing is dropped silently.
public struct FileReadResult: Sendable {
    public var file: String
    public var format: ExportFormat
    public var encoding: InputText.Encoding
    public var records: [BibRecord]
    public var rejected: [InputError]

    public var recordsRead: Int { records.count + rejected.count }

    /// The line after the last one read (for a reader fed one chunk of a longer file).
    var nextLine = 1

    public init(file: String, format: ExportFormat, encoding: InputText.Encoding, records: [BibRecord] = [], rejected: [InputError] = []) {
        self.file = file
        self.format = format
        self.encoding = encoding
        self.records = records
        self.rejected = rejected
    }
}

/// A whole file that cannot be read at all: binary, empty, or in no format the stage knows.
public struct UnreadableFile: Error, Hashable, Sendable, CustomStringConvertible {
    public var error: InputError
    public var description: String { error.description }
}
