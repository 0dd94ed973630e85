import Core
import Yams

/// A YAML mapping read strictly, for hand-edited rules files: unknown keys, duplicate keys and
/// values of the wrong kind are errors naming the file and line. (The Study has its own reader
/// for study.yaml; a stage cannot import the Study, so this small one lives here.)
struct StrictYAML {
    let node: Node
    let pairs: [(key: String, value: Node)]
    let file: String

    init(_ node: Node, file: String, allowed: Set<String>, context: String) throws {
        guard case .mapping(let mapping) = node else {
            throw InputError("\(context) must be a mapping of keys to values", file: file, line: Self.line(node))
        }
        var pairs: [(String, Node)] = []
        for (k, v) in mapping {
            guard let key = k.string else { throw InputError("\(context): keys must be text", file: file, line: Self.line(k)) }
            guard allowed.contains(key) else {
                throw InputError("unknown key '\(key)' in \(context) (known keys: \(allowed.sorted().joined(separator: ", ")))",
                                 file: file, line: Self.line(k))
            }
            if pairs.contains(where: { $0.0 == key }) {
                throw InputError("key '\(key)' appears twice in \(context)", file: file, line: Self.line(k))
            }
            pairs.append((key, v))
        }
        self.node = node
        self.pairs = pairs
        self.file = file
    }

    /// 1-based line of a node (Yams marks are 1-based).
    static func line(_ node: Node?) -> Int? { node?.mark?.line }

    var line: Int? { Self.line(node) }

    subscript(key: String) -> Node? { pairs.first { $0.key == key }?.value }

    func error(_ message: String, at key: String) -> InputError {
        InputError(message, file: file, line: Self.line(self[key] ?? node))
    }

    func string(_ key: String) throws -> String? {
        guard let n = self[key] else { return nil }
        guard case .scalar(let s) = n else { throw error("'\(key)' must be text", at: key) }
        if s.style == .plain && ["", "~", "null"].contains(s.string) { return nil }
        return s.string
    }

    func number(_ key: String) throws -> Double? {
        guard let n = self[key] else { return nil }
        guard case .scalar(let s) = n, s.style == .plain, let v = Double(s.string), v.isFinite else {
            throw error("'\(key)' must be a number", at: key)
        }
        return v
    }

    func bool(_ key: String) throws -> Bool? {
        guard let n = self[key] else { return nil }
        guard let b = n.bool else { throw error("'\(key)' must be true or false", at: key) }
        return b
    }

    /// A list of text items; a single text value is accepted as a list of one.
    func strings(_ key: String) throws -> [(String, Node)]? {
        guard let n = self[key] else { return nil }
        if case .scalar(let s) = n { return [(s.string, n)] }
        guard case .sequence(let seq) = n else { throw error("'\(key)' must be a list", at: key) }
        return try seq.map { item in
            guard case .scalar(let s) = item else {
                throw InputError("items of '\(key)' must be text", file: file, line: Self.line(item))
            }
            return (s.string, item)
        }
    }

    func sequence(_ key: String) throws -> [Node]? {
        guard let n = self[key] else { return nil }
        guard case .sequence(let seq) = n else { throw error("'\(key)' must be a list", at: key) }
        return Array(seq)
    }
}
