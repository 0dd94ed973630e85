/// Values at a dotted path in a JSON document. Every array met on the way is walked, so
/// "authorships.author.display_name" yields each author's name and "issued.date-parts" the
/// flattened parts: the same flattening OpenAlex's own CSV export uses for its column names,
/// which keeps each API's field table one line per field.
enum JSONPath {
    static func values(_ node: JSONNode?, _ path: [String]) -> [String] {
        var out: [String] = []
        guard let node else { return out }
        collect(node.document, node.index, path[...], into: &out)
        return out
    }

    /// Walks the tokens themselves: no node is made on the way, and only the strings at the
    /// path's end become `String`s.
    private static func collect(_ doc: JSONDocument, _ k: Int, _ path: ArraySlice<String>, into out: inout [String]) {
        let t = doc.tokens[k]
        switch t.kind {
        case .null: return
        case .array:
            var e = k + 1
            while e < t.end {
                collect(doc, e, path, into: &out)
                e = doc.next(after: e)
            }
        case .object:
            guard let key = path.first else { return }
            if let found = doc.value(of: key, inObjectAt: k) { collect(doc, found, path.dropFirst(), into: &out) }
        case .true, .false:
            if path.isEmpty { out.append(t.kind == .true ? "true" : "false") }
        case .number, .string, .escapedString:
            if path.isEmpty { out.append(doc.text(of: t)) }
        }
    }
}
