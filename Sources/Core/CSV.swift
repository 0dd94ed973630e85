/// RFC 4180 CSV, read from bytes: quoted fields with embedded separators, doubled quotes and line
/// breaks, CRLF or LF, an optional UTF-8 byte-order mark. Each row keeps the line it starts on,
/// so errors can name it. Shared by every reader of comma- or tab-separated exports.
public struct CSVRow: Hashable, Sendable {
    /// 1-based line of the row's first byte.
    public var line: Int
    /// 1-based line of the row's last byte (differs from `line` when a quoted field spans lines).
    public var endLine: Int
    public var fields: [String]
}

public enum CSVError: Error, Hashable, Sendable {
    /// A quoted field that is never closed; the row started on `line`.
    case unterminatedQuote(line: Int)
}

public enum CSV {
    /// Splits `bytes` into rows. A quote left open at the end is reported with its line, and the
    /// rows before it are still returned through `rows`.
    public static func parse(_ bytes: some Collection<UInt8>, separator: UInt8 = UInt8(ascii: ","),
                             quotes: Bool = true) -> (rows: [CSVRow], error: CSVError?) {
        var rows: [CSVRow] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, rowStart = 1
        var inQuotes = false, wasQuoted = false, rowHasContent = false
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var it = bytes.makeIterator()
        var pending: UInt8? = nil
        // Skip a UTF-8 BOM.
        var bom: [UInt8] = []
        while bom.count < 3, let b = it.next() { bom.append(b) }
        var replay = (bom == [0xEF, 0xBB, 0xBF]) ? [] : bom
        replay.reverse()
        func next() -> UInt8? {
            if let p = pending { pending = nil; return p }
            if let r = replay.popLast() { return r }
            return it.next()
        }
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRow(at endLine: Int) {
            endField()
            if rowHasContent || fields.count > 1 || !(fields.first?.isEmpty ?? true) {
                rows.append(CSVRow(line: rowStart, endLine: endLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
            rowHasContent = false
        }
        while let b = next() {
            if inQuotes {
                if b == quote {
                    if let n = next() {
                        if n == quote { field.append(quote) } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    if b == lf { line += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case quote where quotes && field.isEmpty && !wasQuoted:
                inQuotes = true; wasQuoted = true; rowHasContent = true
            case separator:
                rowHasContent = true
                endField()
            case cr:
                if let n = next(), n != lf { pending = n }
                endRow(at: line); line += 1; rowStart = line
            case lf:
                endRow(at: line); line += 1; rowStart = line
            default:
                rowHasContent = true
                field.append(b)
            }
        }
        if inQuotes { return (rows, .unterminatedQuote(line: rowStart)) }
        if rowHasContent || !field.isEmpty || !fields.isEmpty { endRow(at: line) }
        return (rows, nil)
    }
}
