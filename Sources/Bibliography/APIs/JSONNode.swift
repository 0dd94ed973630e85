/// A parsed JSON document as plain Swift values, read straight from the bytes.
///
/// `JSONSerialization` hands back Foundation containers, and every `as? [String: Any]` on
/// Linux re-bridges a whole dictionary: reading 24 fields of an OpenAlex work that way cost
/// ~800 µs per record (perf, bench/acquisition). This parser builds the tree once.
///
/// Not `indirect` (that boxed every node, every string and null included, on the heap) and
/// objects are `JSONObject`s — their members in order, looked up by a scan — not dictionaries:
/// an API object has a handful to a few dozen keys, read a few times each, and hashing every key
/// into a fresh dictionary for ~17 objects per OpenAlex work was most of the parse (perf,
/// bench/acquisition, docs/performance.md "Round 4").
public enum JSONNode: Sendable {
    case null
    case bool(Bool)
    /// A number as written ("2012", "1.5e3"): readers turn it into text or Int as they need.
    case number(String)
    case string(String)
    case array([JSONNode])
    case object(JSONObject)

    public subscript(key: String) -> JSONNode? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var int: Int? { if case .number(let n) = self { return Int(n) ?? Double(n).flatMap { Int(exactly: $0) } }; return nil }
    public var array: [JSONNode]? { if case .array(let a) = self { return a }; return nil }
    public var object: JSONObject? { if case .object(let o) = self { return o }; return nil }
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// A scalar as text: strings as they are, numbers as written, booleans "true"/"false".
    public var scalarText: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    public struct SyntaxError: Error { public var offset: Int }

    /// Parses a whole document (white space around it allowed).
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONNode {
        try bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(SyntaxError) -> JSONNode in
            var p = Parser(b: b)
            p.skipSpace()
            let v = try p.value(depth: 0)
            p.skipSpace()
            guard p.i == b.count else { throw SyntaxError(offset: p.i) }
            return v
        }
    }

    private struct Parser {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONNode {
            guard i < b.count, depth < 512 else { throw SyntaxError(offset: i) }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                var o = JSONObject()
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                while true {
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw SyntaxError(offset: i) }
                    let key = try string()
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw SyntaxError(offset: i) }
                    i += 1
                    skipSpace()
                    o.members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < b.count else { throw SyntaxError(offset: i) }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                    throw SyntaxError(offset: i)
                }
            case UInt8(ascii: "["):
                i += 1
                var a: [JSONNode] = []
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                while true {
                    skipSpace()
                    a.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < b.count else { throw SyntaxError(offset: i) }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                    throw SyntaxError(offset: i)
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default:
                let start = i
                while i < b.count, (b[i] >= 0x30 && b[i] <= 0x39) || b[i] == 0x2D || b[i] == 0x2B || b[i] == 0x2E || b[i] == 0x65 || b[i] == 0x45 { i += 1 }
                guard i > start else { throw SyntaxError(offset: i) }
                return .number(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
            }
        }

        mutating func literal(_ word: StaticString) throws(SyntaxError) {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count else { throw SyntaxError(offset: i) }
            for k in 0..<n where b[i + k] != word.utf8Start[k] { throw SyntaxError(offset: i) }
            i += n
        }

        /// At the opening quote; returns the decoded string and moves past the closing quote.
        mutating func string() throws(SyntaxError) -> String {
            try JSONString.read(b, at: &i)
        }
    }
}

/// A JSON object's members in document order. A key written twice answers with its last value,
/// as a dictionary built from the document would.
public struct JSONObject: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public var members: [(key: String, value: JSONNode)] = []

    public init() {}
    public init(dictionaryLiteral elements: (String, JSONNode)...) { members = elements.map { (key: $0.0, value: $0.1) } }

    public subscript(key: String) -> JSONNode? {
        var i = members.count
        while i > 0 {
            i -= 1
            if members[i].key == key { return members[i].value }
        }
        return nil
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }
    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONNode)]> { members.makeIterator() }
}
