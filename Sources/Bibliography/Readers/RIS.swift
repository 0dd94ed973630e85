import Core

/// RIS ("TY  - JOUR" … "ER  - "), as exported by Scopus, Web of Science and reference managers.
/// A line without a tag continues the previous tag (Scopus puts thousands of reference lines
/// under one N1). The three flavours differ only in their tag tables (`ScopusRIS`, `WoSRIS`).
struct RISReader {
    let format: ExportFormat
    let aliases: [String: Field]

    /// Tags every RIS writer uses the same way.
    static let commonAliases: [String: Field] = [
        "TY": .entryType, "TI": .title, "T1": .title, "AU": .authors, "A1": .authors,
        "PY": .year, "Y1": .year, "DA": .date,
        "T2": .sourceTitle, "JO": .sourceTitle, "JF": .sourceTitle, "J2": .sourceAbbreviation, "JA": .sourceAbbreviation,
        "SN": .issn, "VL": .volume, "IS": .issue, "SP": .pageStart, "EP": .pageEnd,
        "DO": .doi, "UR": .url, "M3": .documentType, "LA": .language, "AB": .abstract, "N2": .abstract,
        "KW": .authorKeywords, "AD": .affiliations, "PB": .publisher, "N1": .note, "DB": .database,
    ]

    static let generic = RISReader(format: .ris, aliases: commonAliases)

    func read(_ text: [UInt8], file: String, encoding: InputText.Encoding, detail: ReadDetail, firstLine: Int = 1, start: Int = 0, end: Int? = nil) -> FileReadResult {
        let keepRaw = detail.keepsRaw
        let aliases = detail.filter(self.aliases)
        var result = FileReadResult(file: file, format: format, encoding: encoding)
        var builder = RecordBuilder(aliases: aliases, authorStyle: .onePerValue, file: file, database: format.database)
        builder.firstAuthorOnly = !keepRaw
        var lines = LineScanner(text, firstLine: firstLine, start: start, end: end)
        var record: RawRecord? = nil
        var currentTag = ""
        var keepCurrent = false

        func finish(_ r: RawRecord, endLine: Int) {
            var r = r
            r.endLine = endLine
            var built = builder.build(r)
            if !keepRaw { built.raw.tags = [] }
            result.records.append(built)
        }

        while let range = lines.next() {
            let n = lines.number
            if range.isEmpty { continue }
            if let tag = Self.tag(text, range) {
                var start = range.lowerBound + 5
                if start < range.upperBound, text[start] == 0x20 { start += 1 }
                let value = start < range.upperBound ? text.string(start..<range.upperBound) : ""
                if tag == "TY" {
                    if let r = record {
                        result.rejected.append(InputError("record starting at line \(r.line) has no ER line before the next TY at line \(n); it is truncated", file: file, line: r.line))
                    }
                    record = RawRecord(line: n, endLine: n)
                } else if tag == "ER" {
                    if let r = record { finish(r, endLine: n) } else {
                        result.rejected.append(InputError("ER without a record (no TY before it)", file: file, line: n))
                    }
                    record = nil; currentTag = ""
                    continue
                } else if record == nil {
                    result.rejected.append(InputError("tag \(tag) outside any record (records start with TY)", file: file, line: n))
                    continue
                }
                currentTag = tag
                keepCurrent = keepRaw || aliases[tag] != nil
                if keepCurrent { record!.append(tag, value) }
            } else if record != nil, !currentTag.isEmpty {
                guard keepCurrent, let i = record!.tags.lastIndex(where: { $0.name == currentTag }) else { continue }
                let last = record!.tags[i].values.count - 1
                record!.tags[i].values[last] += "\n" + text.string(range)
            } else if !text[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                result.rejected.append(InputError("text outside any record", file: file, line: n))
            }
        }
        if let r = record {
            result.rejected.append(InputError("record starting at line \(r.line) ends with the file, without an ER line; it is truncated", file: file, line: r.line))
        }
        result.nextLine = lines.number + 1
        return result
    }

    /// "XX  - " → "XX" (two characters, A–Z or 0–9, then two spaces and a dash).
    static func tag(_ text: [UInt8], _ range: Range<Int>) -> String? {
        let s = range.lowerBound
        guard range.count >= 5, WoSPlainText.isTagByte(text[s]), WoSPlainText.isTagByte(text[s + 1]),
              text[s + 2] == 0x20, text[s + 3] == 0x20, text[s + 4] == 0x2D else { return nil }
        return text.string(s..<(s + 2))
    }
}
