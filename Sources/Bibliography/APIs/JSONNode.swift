import Foundation

/// A place in a parsed JSON document, read straight from the document's bytes.
///
/// The parse makes one flat list of tokens over the bytes (`JSONDocument`) and no value: a
/// string becomes a `String` only when a reader asks for it, and an object's key is compared
/// with the bytes as written. Why: an OpenAlex work holds a few hundred strings (referenced and
/// related works, concepts, counts by year…) of which the field table reads a few dozen. The tree
/// of Swift values this replaced allocated every one of them and every array and object, and
/// building and freeing that tree was ~45 % of the walk's fetching thread (perf,
/// bench/acquisition; docs/performance.md "Round 7"; the walk 9.3 → 6.6 s after, round 8).
///
/// `JSONSerialization` was the first reader: on Linux every `as? [String: Any]` re-bridges a whole
/// dictionary, ~800 µs per OpenAlex work (docs/performance.md "Round 4").
public struct JSONNode: Sendable {
    let document: JSONDocument
    /// The node's token in `document.tokens`.
    let index: Int

    public enum Kind: UInt8, Sendable { case null, bool, number, string, array, object }

    public var kind: Kind { document.tokens[index].kind.kind }

    /// The member's value of an object; a key written twice answers with its last value, as a
    /// dictionary built from the document would. Nil for a missing key or a node of another kind.
    public subscript(key: String) -> JSONNode? {
        object?[key]
    }

    public var string: String? {
        let t = document.tokens[index]
        guard t.kind == .string || t.kind == .escapedString else { return nil }
        return document.text(of: t)
    }

    public var int: Int? {
        let t = document.tokens[index]
        guard t.kind == .number else { return nil }
        if let n = document.plainInteger(t) { return n }
        let n = document.text(of: t)
        return Int(n) ?? Double(n).flatMap { Int(exactly: $0) }
    }

    public var array: JSONArray? {
        document.tokens[index].kind == .array ? JSONArray(document: document, index: index) : nil
    }

    public var object: JSONObject? {
        document.tokens[index].kind == .object ? JSONObject(document: document, index: index) : nil
    }

    public var isNull: Bool { document.tokens[index].kind == .null }

    /// A scalar as text: strings as they are, numbers as written, booleans "true"/"false".
    public var scalarText: String? {
        let t = document.tokens[index]
        switch t.kind {
        case .string, .escapedString, .number: return document.text(of: t)
        case .true: return "true"
        case .false: return "false"
        default: return nil
        }
    }

    public struct SyntaxError: Error { public var offset: Int }

    /// Parses a whole document (white space around it allowed).
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONNode {
        JSONNode(document: try JSONDocument(bytes), index: 0)
    }
}

/// An array's elements, in order.
public struct JSONArray: Collection, Sendable {
    let document: JSONDocument
    let index: Int

    public struct Index: Comparable, Sendable {
        let token: Int
        public static func < (a: Index, b: Index) -> Bool { a.token < b.token }
    }

    public var startIndex: Index { Index(token: index + 1) }
    public var endIndex: Index { Index(token: document.tokens[index].end) }
    public func index(after i: Index) -> Index { Index(token: document.next(after: i.token)) }
    public subscript(position: Index) -> JSONNode { JSONNode(document: document, index: position.token) }
    /// Counted when parsed, not walked.
    public var count: Int { document.tokens[index].count }
}

/// An object's members in document order.
public struct JSONObject: Sequence, Sendable {
    let document: JSONDocument
    let index: Int

    /// A key written twice answers with its last value.
    public subscript(key: String) -> JSONNode? {
        document.value(of: key, inObjectAt: index).map { JSONNode(document: document, index: $0) }
    }

    /// The object as a node, for a reader that takes nodes.
    public var node: JSONNode { JSONNode(document: document, index: index) }

    public var count: Int { document.tokens[index].count }
    public var isEmpty: Bool { count == 0 }
    public var keys: [String] { map(\.key) }

    public struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var k: Int
        let end: Int
        public mutating func next() -> (key: String, value: JSONNode)? {
            guard k < end else { return nil }
            let member = (key: document.text(of: document.tokens[k]), value: JSONNode(document: document, index: k + 1))
            k = document.next(after: k + 1)
            return member
        }
    }

    public func makeIterator() -> Iterator { Iterator(document: document, k: index + 1, end: document.tokens[index].end) }
}

/// The bytes of a JSON document and its tokens in document order: a container's token is
/// followed by its elements' (an object's by key, value, key, value…), and knows the index just
/// past its last descendant, so that a reader steps over a whole subtree at once.
final class JSONDocument: Sendable {
    let bytes: [UInt8]
    let tokens: [Token]

    struct Token {
        enum Kind: UInt8 {
            case null, `false`, `true`, number, string, escapedString, array, object

            var kind: JSONNode.Kind {
                switch self {
                case .null: return .null
                case .false, .true: return .bool
                case .number: return .number
                case .string, .escapedString: return .string
                case .array: return .array
                case .object: return .object
                }
            }
        }
        var kind: Kind
        /// Scalars: the first byte (of a string: after its opening quote). Containers: how many
        /// elements or members.
        var a: UInt32
        /// Scalars: the byte past the last (of a string: its closing quote). Containers: the
        /// index of the token after the container's last descendant.
        var b: UInt32

        var start: Int { Int(a) }
        var count: Int { Int(a) }
        var end: Int { Int(b) }
    }

    init(_ bytes: [UInt8]) throws(JSONNode.SyntaxError) {
        // Offsets are kept in 32 bits; API pages are a few megabytes at most.
        guard bytes.count < Int(UInt32.max) else { throw JSONNode.SyntaxError(offset: Int(UInt32.max)) }
        self.bytes = bytes
        var tokens: [Token] = []
        try bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(JSONNode.SyntaxError) in
            var p = Tokenizer(b: b)
            p.tokens.reserveCapacity(bytes.count / 16 + 4)
            p.skipSpace()
            try p.value(depth: 0)
            p.skipSpace()
            guard p.i == b.count else { throw JSONNode.SyntaxError(offset: p.i) }
            tokens = p.tokens
        }
        self.tokens = tokens
    }

    /// The token after the subtree of token `k`.
    @inline(__always)
    func next(after k: Int) -> Int {
        let t = tokens[k]
        return t.kind == .array || t.kind == .object ? t.end : k + 1
    }

    /// A string or number token's text, a string's escapes decoded.
    func text(of t: Token) -> String {
        bytes.withUnsafeBufferPointer { b in
            if t.kind == .escapedString {
                var i = t.start - 1
                // Checked when tokenized: the read cannot fail.
                return (try? JSONString.read(b, at: &i)) ?? ""
            }
            return String(decoding: UnsafeBufferPointer(rebasing: b[t.start..<t.end]), as: UTF8.self)
        }
    }

    /// The token of the member's value of the object at token `k`: the last member of a key
    /// written twice, as a dictionary built from the document would hold.
    func value(of key: String, inObjectAt k: Int) -> Int? {
        var found: Int?
        var m = k + 1
        let end = tokens[k].end
        while m < end {
            if self.key(at: m, equals: key) { found = m + 1 }
            m = next(after: m + 1)
        }
        return found
    }

    /// Whether the key token `k` is `key`: its bytes compared, unless escapes need decoding.
    func key(at k: Int, equals key: String) -> Bool {
        let t = tokens[k]
        if t.kind == .escapedString { return text(of: t) == key }
        let n = t.end - t.start
        return bytes.withUnsafeBufferPointer { b in
            let same = key.utf8.withContiguousStorageIfAvailable { kb in
                kb.count == n && (n == 0 || memcmp(b.baseAddress! + t.start, kb.baseAddress!, n) == 0)
            }
            return same ?? (key.utf8.count == n && key.utf8.elementsEqual(b[t.start..<t.end]))
        }
    }

    /// A number written as an optional minus and up to 18 digits, read from the bytes; nil for
    /// any other form, which `JSONNode.int` reads through text as before.
    func plainInteger(_ t: Token) -> Int? {
        var i = t.start
        let negative = i < t.end && bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < t.end, t.end - i <= 18 else { return nil }
        var n = 0
        while i < t.end {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return nil }
            n = n * 10 + Int(d)
            i += 1
        }
        return negative ? -n : n
    }

    private struct Tokenizer {
        let b: UnsafeBufferPointer<UInt8>
        var tokens: [Token] = []
        var i = 0

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) throws(JSONNode.SyntaxError) {
            guard i < b.count, depth < 512 else { throw JSONNode.SyntaxError(offset: i) }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                let me = tokens.count
                tokens.append(Token(kind: .object, a: 0, b: 0))
                var members: UInt32 = 0
                defer { tokens[me].a = members; tokens[me].b = UInt32(tokens.count) }
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return }
                while true {
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw JSONNode.SyntaxError(offset: i) }
                    try string()
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw JSONNode.SyntaxError(offset: i) }
                    i += 1
                    skipSpace()
                    try value(depth: depth + 1)
                    members += 1
                    skipSpace()
                    guard i < b.count else { throw JSONNode.SyntaxError(offset: i) }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return }
                    throw JSONNode.SyntaxError(offset: i)
                }
            case UInt8(ascii: "["):
                i += 1
                let me = tokens.count
                tokens.append(Token(kind: .array, a: 0, b: 0))
                var elements: UInt32 = 0
                defer { tokens[me].a = elements; tokens[me].b = UInt32(tokens.count) }
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return }
                while true {
                    skipSpace()
                    try value(depth: depth + 1)
                    elements += 1
                    skipSpace()
                    guard i < b.count else { throw JSONNode.SyntaxError(offset: i) }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return }
                    throw JSONNode.SyntaxError(offset: i)
                }
            case UInt8(ascii: "\""):
                try string()
            case UInt8(ascii: "t"): try literal("true"); scalar(.true, i - 4)
            case UInt8(ascii: "f"): try literal("false"); scalar(.false, i - 5)
            case UInt8(ascii: "n"): try literal("null"); scalar(.null, i - 4)
            default:
                let start = i
                while i < b.count, (b[i] >= 0x30 && b[i] <= 0x39) || b[i] == 0x2D || b[i] == 0x2B || b[i] == 0x2E || b[i] == 0x65 || b[i] == 0x45 { i += 1 }
                guard i > start else { throw JSONNode.SyntaxError(offset: i) }
                scalar(.number, start)
            }
        }

        mutating func scalar(_ kind: Token.Kind, _ start: Int) {
            tokens.append(Token(kind: kind, a: UInt32(start), b: UInt32(i)))
        }

        mutating func literal(_ word: StaticString) throws(JSONNode.SyntaxError) {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count else { throw JSONNode.SyntaxError(offset: i) }
            for k in 0..<n where b[i + k] != word.utf8Start[k] { throw JSONNode.SyntaxError(offset: i) }
            i += n
        }

        /// At the opening quote; moves past the closing quote. Escapes are checked as
        /// `JSONString.read` decodes them (a `\u` needs four hex digits), so that a string this
        /// accepts always decodes; the error offsets are the ones `JSONString.read` gives.
        mutating func string() throws(JSONNode.SyntaxError) {
            i += 1
            let start = i
            var escaped = false
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    tokens.append(Token(kind: escaped ? .escapedString : .string, a: UInt32(start), b: UInt32(i)))
                    i += 1
                    return
                }
                i += 1
                guard c == UInt8(ascii: "\\") else { continue }
                escaped = true
                guard i < b.count else { break }
                let e = b[i]
                i += 1
                if e == UInt8(ascii: "u") {
                    guard i + 4 <= b.count else { throw JSONNode.SyntaxError(offset: i) }
                    for _ in 0..<4 {
                        guard Self.isHex(b[i]) else { throw JSONNode.SyntaxError(offset: i) }
                        i += 1
                    }
                }
            }
            throw JSONNode.SyntaxError(offset: start)
        }

        static func isHex(_ c: UInt8) -> Bool {
            (0x30...0x39).contains(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c)
        }
    }
}
