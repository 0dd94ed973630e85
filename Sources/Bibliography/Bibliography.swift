import Core

/// The Bibliography stage: literature exports in, one deduplicated, explained article list out.
/// Pure: bytes in, values out — no files, no database, no printing (the Study layer does those).
public enum Bibliography {
    /// Reads one export. The format is recognised from the bytes unless `format` is given.
    /// Bad records are returned in `rejected` with their line; a file that is binary, empty or in
    /// no known format throws `UnreadableFile`.
    /// - Parameter detail: `.full` keeps every field and raw tag (for a study); `.identification`
    ///   only what deduplication and exclusion need (for a quick `inspect`).
    public static func read(_ bytes: consuming [UInt8], file: String, format: ExportFormat? = nil, detail: ReadDetail = .full) throws(UnreadableFile) -> FileReadResult {
        if bytes.isEmpty { throw UnreadableFile(error: InputError("the file is empty", file: file)) }
        let (text, encoding) = InputText.normalise(consume bytes)
        if InputText.looksBinary(text) {
            throw UnreadableFile(error: InputError("this is a binary file, not a Scopus, Web of Science, Lens, OpenAlex, RIS or BibTeX export", file: file))
        }
        guard let format = format ?? FormatDetector.detect(text) else {
            throw UnreadableFile(error: InputError("not a recognised export (expected Scopus CSV/RIS/BibTeX, WoS plain text/tab-delimited/RIS/BibTeX, Lens or OpenAlex CSV); use --format to force one", file: file, line: 1))
        }
        let result: FileReadResult
        switch format {
        case .scopusCSV: result = ScopusCSV.reader.read(text, file: file, encoding: encoding, detail: detail)
        case .wosTabDelimited: result = WoSTabDelimited.reader.read(text, file: file, encoding: encoding, detail: detail)
        case .lensCSV: result = LensCSV.reader.read(text, file: file, encoding: encoding, detail: detail)
        case .openAlexCSV: result = OpenAlexCSV.reader.read(text, file: file, encoding: encoding, detail: detail)
        case .wosPlainText: result = WoSPlainText.read(text, file: file, encoding: encoding, detail: detail)
        case .scopusRIS: result = ScopusRIS.reader.read(text, file: file, encoding: encoding, detail: detail)
        case .wosRIS: result = WoSRIS.reader.read(text, file: file, encoding: encoding, detail: detail)
        case .ris: result = RISReader.generic.read(text, file: file, encoding: encoding, detail: detail)
        case .scopusBibTeX: result = ScopusBibTeX.reader.read(text, file: file, encoding: encoding, detail: detail)
        case .wosBibTeX: result = WoSBibTeX.reader.read(text, file: file, encoding: encoding, detail: detail)
        case .bibtex: result = BibTeXReader.generic.read(text, file: file, encoding: encoding, detail: detail)
        }
        if result.records.isEmpty && result.rejected.isEmpty {
            throw UnreadableFile(error: InputError("no records found in this \(format.rawValue) file", file: file))
        }
        return result
    }
}
