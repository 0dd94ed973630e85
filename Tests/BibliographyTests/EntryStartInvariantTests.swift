import Foundation
import XCTest
@testable import Bibliography

/// The reader-level invariant: every entry that starts in an export ends as a record (kept, or
/// later merged into its survivor) or as a rejection with a reason. The entry starts are counted
/// here by an independent scan — regular expressions and Foundation's decoding over the text, no
/// code of the readers — so a reader that misses an entry start (Scopus's `}@ARTICLE{Key2023,`)
/// shows as a difference, where its own `recordsRead` would agree with itself.
final class EntryStartInvariantTests: XCTestCase {
    /// Entry starts by the rules of each format, found without the project's readers.
    static func independentEntryStarts(_ data: Data, name: String) -> Int? {
        var text: String
        if data.starts(with: [0xFF, 0xFE]) {
            text = String(data: data, encoding: .utf16LittleEndian) ?? ""
        } else {
            text = String(decoding: data, as: UTF8.self)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        func count(_ pattern: String, _ options: NSRegularExpression.Options = [.anchorsMatchLines]) -> [NSTextCheckingResult] {
            let re = try! NSRegularExpression(pattern: pattern, options: options)
            return re.matches(in: text, range: NSRange(text.startIndex..., in: text))
        }
        if name.hasSuffix(".bib") {
            // BibTeX: `@type{` or `@type(` anywhere; @comment/@preamble/@string hold no record.
            return count(#"@\s*([A-Za-z]+)\s*[{(]"#, []).filter { m in
                let type = (text as NSString).substring(with: m.range(at: 1)).lowercased()
                return !["comment", "preamble", "string"].contains(type)
            }.count
        }
        if name.hasSuffix(".ris") { return count(#"^TY  -"#).count }
        if text.hasPrefix("FN ") || text.hasPrefix("PT ") { return count(#"^PT "#).count }   // WoS plain text
        if text.hasPrefix("PT\t") {   // WoS tab-delimited: one record a non-blank line under the header
            return text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                .filter { !$0.allSatisfy(\.isWhitespace) }.count
        }
        if name.hasSuffix(".csv") { return rfc4180Rows(text) - 1 }
        return nil
    }

    /// RFC 4180 rows (quotes hold commas, newlines and doubled quotes); blank lines are no row.
    static func rfc4180Rows(_ text: String) -> Int {
        var rows = 0, inQuotes = false, rowHasText = false
        for c in text.unicodeScalars {
            if c == "\"" { inQuotes.toggle(); rowHasText = true }
            else if c == "\n" && !inQuotes { if rowHasText { rows += 1 }; rowHasText = false }
            else if c != "\r" { rowHasText = true }
        }
        return rows + (rowHasText ? 1 : 0)
    }

    func check(_ url: URL, name: String) throws {
        let data = try Data(contentsOf: url)
        guard let starts = Self.independentEntryStarts(data, name: name), starts > 0 else { return }
        let whole = try Bibliography.read(Array(data), file: name)
        XCTAssertEqual(whole.records.count + whole.rejected.count, starts,
                       "\(name): \(starts) entry starts, \(whole.records.count) records + \(whole.rejected.count) rejected: \(whole.rejected.map(\.description))")
        // The chunked reader used by `bib import` keeps the invariant too, wherever a chunk is cut.
        for chunk in [4_099] {
            var stream = ExportStream(file: name)
            let bytes = Array(data)
            for s in stride(from: 0, to: bytes.count, by: chunk) { try stream.feed(Array(bytes[s..<min(bytes.count, s + chunk)])) }
            let streamed = try stream.finish()
            XCTAssertEqual(streamed.records.count + streamed.rejected.count, starts, "\(name), streamed in chunks of \(chunk)")
        }
    }

    func testEverySharedExportAccountsForEveryEntryStart() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Corpus.url("README.md").deletingLastPathComponent().path)
            .filter { $0 != "README.md" }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 25)
        for name in names { try check(Corpus.directory.appendingPathComponent(name), name: name) }
    }

    func testEveryFixtureAccountsForEveryEntryStart() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Corpus.fixtures.path).sorted()
        var checked = 0
        for name in names where Self.independentEntryStarts(try Data(contentsOf: Corpus.fixtures.appendingPathComponent(name)), name: name) ?? 0 > 0 {
            try check(Corpus.fixtures.appendingPathComponent(name), name: name)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 13)
    }

    /// Scopus writes the next entry on the closing brace's line, and keys may hold a space.
    func testEntryOnTheClosingBraceLineAndKeysWithASpaceAreRead() throws {
        let r = try Corpus.fixture("scopus_same_line_entries.bib")
        XCTAssertEqual(r.records.map(\.title), [
            "Cryo-electron tomography of a battery cathode", "Operando TEM of lithium plating",
            "Atomic-resolution STEM of a perovskite interface", "Electron ptychography of zeolites",
        ])
        guard r.records.count == 4 else { return }
        XCTAssertEqual(r.records[2].raw.values("@key"), ["A D2023"])
        XCTAssertEqual(r.rejected.map(\.location.line), [29], "the entry cut short by the next one on its closing line")
    }
}
