import Core

/// Reads any export that is a header row plus one row per record (Scopus CSV, WoS tab-delimited,
/// Lens CSV, OpenAlex CSV). Columns are found by header name through the format's alias table,
/// never by position: databases add, drop and move columns between years.
struct TabularReader {
    let format: ExportFormat
    let separator: UInt8
    let quotes: Bool
    let aliases: [String: Field]
    let authorStyle: RecordBuilder.AuthorStyle
    /// WoS tab-delimited rows of some years end with one more (empty) field than the header.
    let allowsTrailingEmptyField: Bool

    func read(_ text: [UInt8], file: String, encoding: InputText.Encoding, detail: ReadDetail) -> FileReadResult {
        var header: [String]? = nil
        return read(text, file: file, encoding: encoding, detail: detail, firstLine: 1, header: &header)
    }

    /// Reads rows; `header` is read from the text when nil (and set), else the text holds rows only
    /// (a later chunk of a streamed file starting at `firstLine`).
    func read(_ text: [UInt8], file: String, encoding: InputText.Encoding, detail: ReadDetail, firstLine: Int, header: inout [String]?) -> FileReadResult {
        text.withUnsafeBufferPointer { read($0, file: file, encoding: encoding, detail: detail, firstLine: firstLine, header: &header) }
    }

    func read(_ text: UnsafeBufferPointer<UInt8>, file: String, encoding: InputText.Encoding, detail: ReadDetail, firstLine: Int, header knownHeader: inout [String]?) -> FileReadResult {
        var state = StreamState(isFinal: true)
        return read(text, file: file, encoding: encoding, detail: detail, firstLine: firstLine, header: &knownHeader, state: &state)
    }

    /// Where a chunked read stopped: bytes consumed and the line the rest starts on.
    struct StreamState {
        var isFinal: Bool
        var consumed = 0
        var nextLine = 1
    }

    func read(_ text: UnsafeBufferPointer<UInt8>, file: String, encoding: InputText.Encoding, detail: ReadDetail, firstLine: Int,
              header knownHeader: inout [String]?, state: inout StreamState) -> FileReadResult {
        let keepRaw = detail.keepsRaw
        let aliases = detail.filter(self.aliases)
        var result = FileReadResult(file: file, format: format, encoding: encoding)
        var scanner = DelimitedScanner(text, separator: separator, quotes: quotes, firstLine: firstLine)
        scanner.isFinal = state.isFinal
        defer { state.consumed = scanner.position; state.nextLine = scanner.line }
        var names: [String]
        if let knownHeader {
            names = knownHeader
        } else {
            let header: DelimitedScanner.Row
            do {
                guard let h = try scanner.next() else { return result }   // (needs more bytes, or an empty file)
                header = h
            } catch {
                result.rejected.append(InputError("the header row opens a quote that never closes; nothing can be read", file: file, line: firstLine))
                return result
            }
            names = header.fields.map { scanner.string($0).trimmed() }
            if allowsTrailingEmptyField, names.last == "" { names.removeLast() }
            knownHeader = names
        }
        let mapped = names.map { aliases[$0] }
        var builder = RecordBuilder(aliases: aliases, authorStyle: authorStyle, file: file, database: format.database)
        builder.firstAuthorOnly = !keepRaw
        while true {
            let row: DelimitedScanner.Row
            do {
                guard let r = try scanner.next() else { break }
                row = r
            } catch {
                if case .unterminatedQuote(let line) = error {
                    result.rejected.append(InputError("a quoted field opened here never closes; the rest of the file (from this row) cannot be read", file: file, line: line))
                }
                break
            }
            var fields = row.fields
            if allowsTrailingEmptyField, fields.count == names.count + 1, let last = fields.last, last.range.isEmpty {
                fields.removeLast()
            }
            guard fields.count == names.count else {
                result.rejected.append(InputError("row has \(fields.count) fields but the header has \(names.count); columns would shift, so the row is left out", file: file, line: row.line))
                continue
            }
            var raw = RawRecord(line: row.line, endLine: row.endLine)
            if keepRaw {
                raw.tags.reserveCapacity(fields.count)
                for (i, span) in fields.enumerated() where !span.range.isEmpty {
                    raw.tags.append(.init(name: names[i], values: [scanner.string(span)]))
                }
                result.records.append(builder.build(raw))
            } else {
                // Identification: the mapped columns straight into their fields, in column order
                // (the order `build(_:)` would see them in), and no raw tags at all.
                var values = FieldValues()
                for (i, span) in fields.enumerated() where !span.range.isEmpty {
                    if let field = mapped[i] { values.add(scanner.string(span), to: field) }
                }
                result.records.append(builder.build(values, raw: raw))
            }
        }
        return result
    }
}
