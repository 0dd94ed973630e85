import TestSupport
import XCTest
@testable import Bibliography

/// `JSONNode` reads a document from its tokens, decoding strings only when asked. These tests
/// write random documents from a model — with escapes of every kind, white space, keys written
/// twice — and check that every value read back is the model's, and that broken documents are
/// refused, never read half.
final class JSONNodeTests: XCTestCase {
    /// The value a test document was written from.
    indirect enum Model {
        case null, bool(Bool), integer(Int), number(String), string(String)
        case array([Model]), object([(String, Model)])
    }

    /// Characters that need care: quotes, backslashes, controls, multi-byte, astral, combining.
    static let alphabet: [Unicode.Scalar] = ["a", "b", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}",
                                             "é", "µ", "\u{0301}", "中", "😀", "\u{FEFF}", "\u{7F}", "\u{2028}"]

    static func text(_ rng: inout SplitMix, maxLength: Int) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &rng) { s.append(alphabet.randomElement(using: &rng)!) }
        return String(s)
    }

    static func model(_ rng: inout SplitMix, depth: Int) -> Model {
        switch Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .integer(Int.random(in: -1_000_000_000_000...1_000_000_000_000, using: &rng))
        case 3: return .number(["1.5", "-0.25e3", "2E10", "0", "-7", "12345678901234567890"].randomElement(using: &rng)!)
        case 4: return .string(text(&rng, maxLength: 24))
        case 5: return .array((0..<Int.random(in: 0...5, using: &rng)).map { _ in model(&rng, depth: depth + 1) })
        default:
            // A small key pool, so that keys come twice in one object.
            let keys = ["id", "title", "a\"b", "é", "x y", "", "😀", "results"]
            return .object((0..<Int.random(in: 0...6, using: &rng)).map { _ in (keys.randomElement(using: &rng)!, model(&rng, depth: depth + 1)) })
        }
    }

    /// Writes a string with each character escaped or not at random, as services do.
    static func write(_ s: String, _ rng: inout SplitMix, into out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            let must = c == "\"" || c == "\\" || c.value < 0x20
            if !must && Int.random(in: 0..<4, using: &rng) != 0 { out.unicodeScalars.append(c); continue }
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n" where Bool.random(using: &rng): out += "\\n"
            case "\t" where Bool.random(using: &rng): out += "\\t"
            case "/" where Bool.random(using: &rng): out += "\\/"
            default:
                for unit in String(c).utf16 { out += "\\u" + String(format: Bool.random(using: &rng) ? "%04x" : "%04X", unit) }
            }
        }
        out += "\""
    }

    static func write(_ m: Model, _ rng: inout SplitMix, into out: inout String) {
        func space() { out += ["", "", " ", "\n  ", "\t", "\r\n"].randomElement(using: &rng)! }
        switch m {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let n): out += String(n)
        case .number(let n): out += n
        case .string(let s): write(s, &rng, into: &out)
        case .array(let items):
            out += "["; space()
            for (i, item) in items.enumerated() { if i > 0 { out += ","; space() }; write(item, &rng, into: &out); space() }
            out += "]"
        case .object(let members):
            out += "{"; space()
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out += ","; space() }
                write(k, &rng, into: &out); space(); out += ":"; space(); write(v, &rng, into: &out); space()
            }
            out += "}"
        }
    }

    /// Fails unless `node` holds `m`, reading it every way a reader can.
    func check(_ node: JSONNode, _ m: Model, _ path: String, file: StaticString = #filePath, line: UInt = #line) {
        switch m {
        case .null:
            XCTAssertTrue(node.isNull, path); XCTAssertNil(node.scalarText, path)
        case .bool(let b):
            XCTAssertEqual(node.kind, .bool, path); XCTAssertEqual(node.scalarText, b ? "true" : "false", path)
        case .integer(let n):
            XCTAssertEqual(node.kind, .number, path); XCTAssertEqual(node.int, n, path); XCTAssertEqual(node.scalarText, String(n), path)
        case .number(let n):
            XCTAssertEqual(node.scalarText, n, path)
            XCTAssertEqual(node.int, Int(n) ?? Double(n).flatMap { Int(exactly: $0) }, path)
        case .string(let s):
            XCTAssertEqual(node.string, s, path); XCTAssertEqual(node.scalarText, s, path); XCTAssertNil(node.int, path)
        case .array(let items):
            guard let a = node.array else { return XCTFail("not an array at \(path)") }
            XCTAssertEqual(a.count, items.count, path)
            XCTAssertEqual(Array(a).count, items.count, path)
            for (i, (n, item)) in zip(a, items).enumerated() { check(n, item, path + "[\(i)]") }
            XCTAssertNil(node["id"], path)
        case .object(let members):
            guard let o = node.object else { return XCTFail("not an object at \(path)") }
            XCTAssertEqual(o.count, members.count, path)
            XCTAssertEqual(o.keys, members.map(\.0), path)
            for (i, ((k, n), (mk, mv))) in zip(o, members).enumerated() {
                XCTAssertEqual(k, mk, path); check(n, mv, path + "#\(i)")
            }
            // Lookup answers the last member of a key written twice.
            for key in Set(members.map(\.0)) {
                guard let value = o[key] else { XCTFail("\(key) missing at \(path)"); continue }
                check(value, members.last { $0.0 == key }!.1, path + ".\(key)")
                XCTAssertEqual(node[key]?.scalarText, value.scalarText, path)
            }
            XCTAssertNil(o["no such key"], path)
            XCTAssertNil(node.string, path)
        }
    }

    func testRandomDocumentsReadBackAsWritten() throws {
        var rng = SplitMix(state: 20261206)
        for round in 0..<2_000 {
            let m: Model = Bool.random(using: &rng) ? .object([("results", Self.model(&rng, depth: 0)), ("id", Self.model(&rng, depth: 3))])
                                                    : Self.model(&rng, depth: 0)
            var text = ""
            Self.write(m, &rng, into: &text)
            let node = try JSONNode.parse(Array(("  " + text + "\n").utf8))
            check(node, m, "round \(round)")
        }
    }

    /// Every cut of a document before its closing bracket is refused, and every single-byte
    /// change either reads or is refused (never a crash): a page cut mid-body must not become
    /// records.
    func testCutAndDamagedDocumentsAreRefusedOrRead() {
        var rng = SplitMix(state: 7)
        for _ in 0..<200 {
            var text = ""
            Self.write(.object([("results", .array((0..<3).map { _ in Self.model(&rng, depth: 2) }))]), &rng, into: &text)
            let bytes = Array(text.utf8)
            for cut in 0..<(bytes.count - 1) {
                XCTAssertThrowsError(try JSONNode.parse(Array(bytes[..<cut])), "cut at \(cut) of \(text)")
            }
            for _ in 0..<50 {
                var damaged = bytes
                damaged[Int.random(in: 0..<damaged.count, using: &rng)] = [0x22, 0x5C, 0x7B, 0x5D, 0x2C, 0x3A, 0x75, 0xFF, 0x00].randomElement(using: &rng)!
                if let node = try? JSONNode.parse(damaged) { _ = JSONPath.values(node, ["results", "id"]); _ = node.object?.keys }
            }
        }
    }

    func testPathWalksArraysAndTakesTheLastOfATwiceWrittenKey() throws {
        let doc = try JSONNode.parse(Array(#"{"a":[{"b":{"c":"1"}},{"b":[{"c":2},{"c":null},{"c":true}]},{"b":{"c":"\u0033"}}],"d":"old","d":"new"}"#.utf8))
        XCTAssertEqual(JSONPath.values(doc, ["a", "b", "c"]), ["1", "2", "true", "3"])
        XCTAssertEqual(JSONPath.values(doc, ["d"]), ["new"])
        XCTAssertEqual(JSONPath.values(doc, ["a", "b"]), [])
        XCTAssertEqual(JSONPath.values(doc, ["missing"]), [])
    }
}
