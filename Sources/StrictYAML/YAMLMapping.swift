import Core
import Yams

/// A YAML mapping read strictly, for files people edit by hand (`study.yaml`, classification
/// rules): an unknown key, a key given twice or a value of the wrong kind is an `InputError`
/// naming the file and the line, so a typo can never silently change a result.
///
/// Shared by the Study (study.yaml) and the Classification stage (rules files); it lives in its own
/// small target so that Core stays free of the YAML dependency.
public struct YAMLMapping {
    public let node: Node
    public let pairs: [(key: String, value: Node)]
    public let file: String

    /// Reads `node` as a mapping and rejects any key outside `allowed`; `context` names the
    /// mapping in messages ("the study file", "source 'Facility'", …).
    public init(_ node: Node, file: String, allowed: Set<String>, context: String) throws {
        guard case .mapping(let mapping) = node else {
            throw YAMLMapping.error("\(context) must be a mapping of keys to values", node, file)
        }
        var pairs: [(String, Node)] = []
        for (k, v) in mapping {
            guard let key = k.string else { throw YAMLMapping.error("\(context): keys must be text", k, file) }
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw YAMLMapping.error("unknown key '\(key)' in \(context) (known keys: \(known))", k, file)
            }
            if pairs.contains(where: { $0.0 == key }) {
                throw YAMLMapping.error("key '\(key)' appears twice in \(context)", k, file)
            }
            pairs.append((key, v))
        }
        self.node = node
        self.pairs = pairs
        self.file = file
    }

    public subscript(key: String) -> Node? { pairs.first { $0.key == key }?.value }

    /// 1-based line of a node (Yams marks are 1-based).
    public static func line(_ node: Node?) -> Int? { node?.mark?.line }

    public var line: Int? { Self.line(node) }

    public static func error(_ message: String, _ node: Node?, _ file: String) -> InputError {
        InputError(message, file: file, line: line(node))
    }

    /// An error placed at `key`'s value, or at the mapping when the key is absent.
    public func error(_ message: String, at key: String) -> InputError {
        YAMLMapping.error(message, self[key] ?? node, file)
    }

    /// Text; nil when absent or written as a plain empty, `~` or `null` value.
    public func string(_ key: String) throws -> String? {
        guard let n = self[key] else { return nil }
        guard case .scalar(let s) = n else { throw error("'\(key)' must be text", at: key) }
        if s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string) { return nil }
        return s.string
    }

    public func requiredString(_ key: String, context: String) throws -> String {
        guard let s = try string(key), !s.isEmpty else {
            throw YAMLMapping.error("\(context) needs '\(key)'", self[key] ?? node, file)
        }
        return s
    }

    public func int(_ key: String) throws -> Int? {
        guard let n = self[key] else { return nil }
        return try YAMLMapping.int(n, file: file, what: "'\(key)'")
    }

    /// A whole number; `_` separators allowed (`119_557`).
    public static func int(_ n: Node, file: String, what: String) throws -> Int {
        guard case .scalar(let s) = n, let v = Int(s.string.replacingOccurrences(of: "_", with: "")) else {
            throw YAMLMapping.error("\(what) must be a whole number", n, file)
        }
        return v
    }

    public func number(_ key: String) throws -> Double? {
        guard let n = self[key] else { return nil }
        guard case .scalar(let s) = n, s.style == .plain, let v = Double(s.string), v.isFinite else {
            throw error("'\(key)' must be a number", at: key)
        }
        return v
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let n = self[key] else { return nil }
        guard let b = n.bool else { throw error("'\(key)' must be true or false", at: key) }
        return b
    }

    /// A list of text items; a single text value is accepted as a list of one.
    public func strings(_ key: String) throws -> [String]? {
        try stringItems(key)?.map(\.0)
    }

    /// Like `strings`, with each item's node, so later checks can name the item's own line.
    public func stringItems(_ key: String) throws -> [(String, Node)]? {
        guard let n = self[key] else { return nil }
        if case .scalar(let s) = n { return [(s.string, n)] }
        guard case .sequence(let seq) = n else { throw error("'\(key)' must be a list", at: key) }
        return try seq.map { item in
            guard case .scalar(let s) = item else { throw YAMLMapping.error("items of '\(key)' must be text", item, file) }
            return (s.string, item)
        }
    }

    public func sequence(_ key: String) throws -> [Node]? {
        guard let n = self[key] else { return nil }
        guard case .sequence(let seq) = n else { throw error("'\(key)' must be a list", at: key) }
        return Array(seq)
    }
}
