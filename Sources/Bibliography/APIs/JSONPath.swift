/// Values at a dotted path in a JSON document. Every array met on the way is walked, so
/// "authorships.author.display_name" yields each author's name and "issued.date-parts" the
/// flattened parts: the same flattening OpenAlex's own CSV export uses for its column names,
/// which keeps each API's field table one line per field.
enum JSONPath {
    static func values(_ node: JSONNode?, _ path: [String]) -> [String] {
        var out: [String] = []
        collect(node, path[...], into: &out)
        return out
    }

    private static func collect(_ node: JSONNode?, _ path: ArraySlice<String>, into out: inout [String]) {
        guard let node else { return }
        switch node {
        case .null: return
        case .array(let items):
            for item in items { collect(item, path, into: &out) }
        case .object(let o):
            guard let key = path.first else { return }
            collect(o[key], path.dropFirst(), into: &out)
        default:
            if path.isEmpty, let s = node.scalarText { out.append(s) }
        }
    }
}
