/// Metadata text split into numbered lines (CRLF, LF or lone CR), for the line-based formats
/// (Hitachi, JEOL, Tescan, FEI INI, Zeiss). Input is UTF-8 after `TextSniffing`.
struct LineText {
    let text: String
    /// (1-based line number, content without the line break).
    let lines: [(number: Int, content: Substring)]
    /// Whether the last line ends with a line break (instrument software always writes one; a
    /// missing one means the file was cut short).
    let endsWithLineBreak: Bool

    init(utf8 bytes: [UInt8]) {
        var trimmed = bytes[...]
        // Embedded copies are often NUL-terminated or NUL-padded.
        while let l = trimmed.last, l == 0 { trimmed.removeLast() }
        text = String(decoding: trimmed, as: UTF8.self)
        var out: [(Int, Substring)] = []
        var number = 1
        var start = text.startIndex
        var i = start
        let utf8 = text.utf8
        var lastBreak = false
        while i < text.endIndex {
            let c = utf8[i]
            if c == 0x0A || c == 0x0D {
                out.append((number, text[start..<i]))
                number += 1
                var next = utf8.index(after: i)
                if c == 0x0D, next < text.endIndex, utf8[next] == 0x0A { next = utf8.index(after: next) }
                i = next; start = i; lastBreak = true
            } else {
                i = utf8.index(after: i); lastBreak = false
            }
        }
        if start < text.endIndex { out.append((number, text[start..<text.endIndex])) }
        lines = out
        endsWithLineBreak = lastBreak || text.isEmpty
    }
}

/// `[Section]` then `Key=Value` text, keys scoped by section (FEI repeats `HV` in `[Beam]` and
/// `[EBeam]`), split at the first `=`; the first occurrence of a key in a section wins.
struct SectionedKeyValues {
    private(set) var sections: [String: [String: Substring]] = [:]
    /// Sections in the order met.
    private(set) var order: [String] = []
    /// Lines that are neither a section header, a `key=value` pair nor blank.
    private(set) var strayLines = 0

    init(_ text: LineText, keep: ((String, Substring) -> Bool)? = nil) {
        var current = ""
        for (_, raw) in text.lines {
            let line = raw.trimmingSpaces
            if line.isEmpty { continue }
            if line.first == "[", line.last == "]" {
                current = String(line.dropFirst().dropLast())
                if sections[current] == nil { sections[current] = [:]; order.append(current) }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { strayLines += 1; continue }
            let key = String(line[..<eq].trimmingSpaces)
            if let keep, !keep(current, Substring(key)) { continue }
            let value = line[line.index(after: eq)...].trimmingSpaces
            if sections[current] == nil { sections[current] = [:]; order.append(current) }
            if sections[current]?[key] == nil { sections[current]?[key] = value }
        }
    }

    subscript(section: String, key: String) -> String? {
        guard let v = sections[section]?[key] else { return nil }
        let s = String(v)
        return s.isEmpty ? nil : s
    }
}
