import Core

/// Web of Science plain text (`savedrecs.txt`, `.ciw`): "TG value" lines, 3-space continuation
/// lines, `ER` ends a record, `EF` a file — but `EF` may be missing and several `FN … EF` blocks
/// may be concatenated into one file, so neither is required.
enum WoSPlainText {
    /// Header lines outside records.
    static let headerTags: Set<String> = ["FN", "VR", "EF"]

    static func read(_ text: [UInt8], file: String, encoding: InputText.Encoding, detail: ReadDetail, firstLine: Int = 1) -> FileReadResult {
        let keepRaw = detail.keepsRaw
        let aliases = detail.filter(WoSTags.aliases)
        var result = FileReadResult(file: file, format: .wosPlainText, encoding: encoding)
        let builder = RecordBuilder(aliases: aliases, authorStyle: .onePerValue, file: file, database: .wos)
        var lines = LineScanner(text, firstLine: firstLine)
        var record: RawRecord? = nil
        var currentTag = ""
        var keepCurrent = false
        var problem: (line: Int, reason: String)? = nil

        func close(_ r: RawRecord, endLine: Int) {
            var r = r
            r.endLine = endLine
            if let p = problem {
                result.rejected.append(InputError(p.reason, file: file, line: p.line))
            } else if r.tags.isEmpty {
                result.rejected.append(InputError("empty record", file: file, line: r.line))
            } else {
                var built = builder.build(r)
                if !keepRaw { built.raw.tags = [] }
                result.records.append(built)
            }
            problem = nil
        }

        while let range = lines.next() {
            let n = lines.number
            let len = range.count
            if len == 0 { continue }
            let b0 = text[range.lowerBound]
            // Continuation: three spaces, then text.
            if b0 == 0x20 {
                guard record != nil else { continue }
                guard len >= 3, text[range.lowerBound + 1] == 0x20, text[range.lowerBound + 2] == 0x20, !currentTag.isEmpty else {
                    if problem == nil { problem = (n, "line \(n) is neither a tag line nor a 3-space continuation; the record is malformed") }
                    continue
                }
                guard keepCurrent else { continue }
                let value = text.string((range.lowerBound + 3)..<range.upperBound)
                if WoSTags.listTags.contains(currentTag) {
                    record!.append(currentTag, value)
                } else if let i = record!.tags.lastIndex(where: { $0.name == currentTag }) {
                    let last = record!.tags[i].values.count - 1
                    record!.tags[i].values[last] += " " + value
                }
                continue
            }
            // A tag line: two capital letters or digits, then a space or the end of the line.
            guard len >= 2, isTagByte(b0), isTagByte(text[range.lowerBound + 1]), len == 2 || text[range.lowerBound + 2] == 0x20 else {
                if record != nil {
                    if problem == nil { problem = (n, "line \(n) does not start with a field tag; the record is malformed") }
                } else {
                    result.rejected.append(InputError("text outside any record (expected a field tag such as PT)", file: file, line: n))
                }
                continue
            }
            let tag = text.string(range.lowerBound..<(range.lowerBound + 2))
            let value = len > 3 ? text.string((range.lowerBound + 3)..<range.upperBound) : ""
            if tag == "ER" {
                if let r = record { close(r, endLine: n) }
                record = nil; currentTag = ""
                continue
            }
            if record == nil {
                if headerTags.contains(tag) { continue }
                record = RawRecord(line: n, endLine: n)
            } else if tag == "PT" || tag == "FN" || tag == "EF" {
                // A new record or file block started before this one was closed: truncated.
                let start = record!.line
                problem = (start, "record starting at line \(start) has no ER line before line \(n); it is truncated")
                close(record!, endLine: n - 1)
                record = headerTags.contains(tag) ? nil : RawRecord(line: n, endLine: n)
                if record == nil { currentTag = ""; continue }
            }
            currentTag = tag
            keepCurrent = keepRaw || aliases[tag] != nil
            if keepCurrent { record!.append(tag, value) }
        }
        if let r = record {
            problem = (r.line, "record starting at line \(r.line) ends with the file, without an ER line; it is truncated")
            close(r, endLine: lines.number)
        }
        result.nextLine = lines.number + 1
        return result
    }

    @inline(__always) static func isTagByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }
}
