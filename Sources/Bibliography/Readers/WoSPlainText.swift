import Core

/// Web of Science plain text (`savedrecs.txt`, `.ciw`): "TG value" lines, 3-space continuation
/// lines, `ER` ends a record, `EF` a file — but `EF` may be missing and several `FN … EF` blocks
/// may be concatenated into one file, so neither is required.
enum WoSPlainText {
    // Header lines outside records are FN, VR and EF; the loop below compares their 16-bit codes.

    static func read(_ text: [UInt8], file: String, encoding: InputText.Encoding, detail: ReadDetail, firstLine: Int = 1, start: Int = 0, end: Int? = nil) -> FileReadResult {
        var result = FileReadResult(file: file, format: .wosPlainText, encoding: encoding)
        read(text, file: file, detail: detail, firstLine: firstLine, start: start, end: end, into: &result)
        return result
    }

    /// Appends the records and rejects of `text[start..<end]` to `result` and sets its
    /// `nextLine` — so a stream adds a chunk's records where they end up, without a copy.
    static func read(_ text: [UInt8], file: String, detail: ReadDetail, firstLine: Int = 1, start: Int = 0, end: Int? = nil, into result: inout FileReadResult) {
        text.withUnsafeBufferPointer { buffer in
            read(buffer, file: file, detail: detail, firstLine: firstLine, start: start, end: end, into: &result)
        }
    }

    /// The same over bytes the caller holds for the call: a stream parses a mapped window in
    /// place with it (no copy of the window), and the identification read's collector takes the
    /// value bytes from it without a String per line.
    static func read(_ buffer: UnsafeBufferPointer<UInt8>, file: String, detail: ReadDetail, firstLine: Int = 1, start: Int = 0, end: Int? = nil, into result: inout FileReadResult) {
        @inline(__always) func string(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: buffer[r]), as: UTF8.self) }
        let keepRaw = detail.keepsRaw
        let aliases = detail.filter(WoSTags.aliases)
        var builder = RecordBuilder(aliases: aliases, authorStyle: .onePerValue, file: file, database: .wos)
        builder.firstAuthorOnly = !keepRaw
        var lines = BufferLineScanner(buffer, firstLine: firstLine, start: start, end: end)
        var record: RawRecord? = nil
        var currentTag = ""
        var currentIsList = false
        var keepCurrent = false
        // Tags as 16-bit codes: most tag lines are dropped, so no String is made for them.
        // (Lookup tables indexed by the code: no hashing per line.)
        var keptCodes = [Bool](repeating: false, count: 65536)
        for tag in aliases.keys { keptCodes[Int(Self.code(tag))] = true }
        var listCodes = [Bool](repeating: false, count: 65536)
        for tag in WoSTags.listTags { listCodes[Int(Self.code(tag))] = true }
        var problem: (line: Int, reason: String)? = nil
        // Identification reads: values go straight to their fields (`record` then only carries
        // the line numbers; its tag array stays empty).
        var collector = WoSValueCollector(aliases: keepRaw ? [:] : aliases)

        func close(_ r: RawRecord, endLine: Int) {
            var r = r
            r.endLine = endLine
            if let p = problem {
                result.rejected.append(InputError(p.reason, file: file, line: p.line))
            } else if keepRaw ? r.tags.isEmpty : !collector.sawKeptTag {
                result.rejected.append(InputError("empty record", file: file, line: r.line))
            } else if keepRaw {
                result.records.append(builder.build(r))
            } else {
                collector.finish(in: buffer)
                result.records.append(builder.build(collector.values, raw: r))
            }
            problem = nil
        }

        while let range = lines.next() {
            let n = lines.number
            let len = range.count
            if len == 0 { continue }
            let b0 = buffer[range.lowerBound]
            // Continuation: three spaces, then text.
            if b0 == 0x20 {
                guard record != nil else { continue }
                guard len >= 3, buffer[range.lowerBound + 1] == 0x20, buffer[range.lowerBound + 2] == 0x20, !currentTag.isEmpty else {
                    if problem == nil { problem = (n, "line \(n) is neither a tag line nor a 3-space continuation; the record is malformed") }
                    continue
                }
                // An identification read keeps only the first person of AU/AF.
                guard keepCurrent, keepRaw || !currentIsList else { continue }
                if !keepRaw { collector.join(range.lowerBound + 3, range.upperBound, in: buffer); continue }
                let value = string((range.lowerBound + 3)..<range.upperBound)
                if currentIsList {
                    record!.append(currentTag, value)
                } else if let i = record!.tags.lastIndex(where: { $0.name == currentTag }) {
                    let last = record!.tags[i].values.count - 1
                    record!.tags[i].values[last] += " " + value
                }
                continue
            }
            // A tag line: two capital letters or digits, then a space or the end of the line.
            guard len >= 2, isTagByte(b0), isTagByte(buffer[range.lowerBound + 1]), len == 2 || buffer[range.lowerBound + 2] == 0x20 else {
                if record != nil {
                    if problem == nil { problem = (n, "line \(n) does not start with a field tag; the record is malformed") }
                } else {
                    result.rejected.append(InputError("text outside any record (expected a field tag such as PT)", file: file, line: n))
                }
                continue
            }
            let tagCode = UInt16(b0) << 8 | UInt16(buffer[range.lowerBound + 1])
            if tagCode == 0x4552 {   // "ER"
                if let r = record { close(r, endLine: n) }
                record = nil; currentTag = ""
                continue
            }
            let isHeader = tagCode == 0x464E || tagCode == 0x5652 || tagCode == 0x4546   // FN, VR, EF
            if record == nil {
                if isHeader { continue }
                record = RawRecord(line: n, endLine: n)
                if !keepRaw { collector.reset() }
            } else if tagCode == 0x5054 || isHeader {   // PT, or a new file block
                // A new record or file block started before this one was closed: truncated.
                let start = record!.line
                problem = (start, "record starting at line \(start) has no ER line before line \(n); it is truncated")
                close(record!, endLine: n - 1)
                record = isHeader ? nil : RawRecord(line: n, endLine: n)
                if record == nil { currentTag = ""; continue }
                if !keepRaw { collector.reset() }
            }
            currentIsList = listCodes[Int(tagCode)]
            keepCurrent = keepRaw || keptCodes[Int(tagCode)]
            if !keepRaw {
                // No tag name and no String unless the tag is kept; any tag line ends the open value.
                currentTag = "--"
                if keepCurrent {
                    collector.begin(tagCode, len > 3 ? range.lowerBound + 3 : range.upperBound, range.upperBound, in: buffer)
                } else {
                    collector.close(in: buffer)
                }
                continue
            }
            // The tag's name is needed only when its value is kept; continuation lines check it.
            currentTag = string(range.lowerBound..<(range.lowerBound + 2))
            record!.append(currentTag, len > 3 ? string((range.lowerBound + 3)..<range.upperBound) : "")
        }
        if let r = record {
            problem = (r.line, "record starting at line \(r.line) ends with the file, without an ER line; it is truncated")
            close(r, endLine: lines.number)
        }
        result.nextLine = lines.number + 1
    }

    static func code(_ tag: String) -> UInt16 {
        let u = Array(tag.utf8)
        return u.count == 2 ? UInt16(u[0]) << 8 | UInt16(u[1]) : 0
    }

    @inline(__always) static func isTagByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }
}
