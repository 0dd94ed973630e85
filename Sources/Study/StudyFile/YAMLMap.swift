import Core
import Yams

/// A YAML mapping read strictly: every key must be known, every value of the expected kind, and
/// every complaint names the file and the line — `study.yaml` is edited by hand.
struct YAMLMap {
    let node: Node
    let pairs: [(key: String, value: Node)]
    let file: String

    /// Reads `node` as a mapping and rejects any key outside `allowed`.
    init(_ node: Node, file: String, allowed: Set<String>, context: String) throws {
        guard case .mapping(let mapping) = node else {
            throw YAMLMap.error("\(context) must be a mapping of keys to values", node, file)
        }
        var pairs: [(String, Node)] = []
        for (k, v) in mapping {
            guard let key = k.string else { throw YAMLMap.error("\(context): keys must be text", k, file) }
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw YAMLMap.error("unknown key '\(key)' in \(context) (known keys: \(known))", k, file)
            }
            if pairs.contains(where: { $0.0 == key }) {
                throw YAMLMap.error("key '\(key)' appears twice in \(context)", k, file)
            }
            pairs.append((key, v))
        }
        self.node = node
        self.pairs = pairs
        self.file = file
    }

    subscript(key: String) -> Node? { pairs.first { $0.key == key }?.value }

    var line: Int? { node.mark?.line }

    static func error(_ message: String, _ node: Node?, _ file: String) -> InputError {
        InputError(message, file: file, line: node?.mark?.line)
    }

    func error(_ message: String, at key: String) -> InputError {
        YAMLMap.error(message, self[key] ?? node, file)
    }

    func string(_ key: String) throws -> String? {
        guard let n = self[key] else { return nil }
        if case .scalar(let s) = n {
            // A plain empty, ~ or null value means "not given".
            if s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string) { return nil }
            return s.string
        }
        throw error("'\(key)' must be text", at: key)
    }

    func requiredString(_ key: String, context: String) throws -> String {
        guard let s = try string(key), !s.isEmpty else {
            throw YAMLMap.error("\(context) needs '\(key)'", self[key] ?? node, file)
        }
        return s
    }

    func int(_ key: String) throws -> Int? {
        guard let n = self[key] else { return nil }
        return try YAMLMap.int(n, file: file, what: "'\(key)'")
    }

    func bool(_ key: String) throws -> Bool? {
        guard let n = self[key] else { return nil }
        guard let b = n.bool else { throw error("'\(key)' must be true or false", at: key) }
        return b
    }

    func strings(_ key: String) throws -> [String]? {
        guard let n = self[key] else { return nil }
        if case .scalar(let s) = n { return [s.string] }
        guard case .sequence(let seq) = n else { throw error("'\(key)' must be a list", at: key) }
        return try seq.map { item in
            guard let s = item.string else { throw YAMLMap.error("items of '\(key)' must be text", item, file) }
            return s
        }
    }

    static func int(_ n: Node, file: String, what: String) throws -> Int {
        guard case .scalar(let s) = n, let v = Int(s.string.replacingOccurrences(of: "_", with: "")) else {
            throw YAMLMap.error("\(what) must be a whole number", n, file)
        }
        return v
    }
}
