import Foundation
import XCTest
@testable import Bibliography

/// Reading in chunks gives exactly what reading the whole file gives: records, rejects, lines.
final class ExportStreamTests: XCTestCase {
    func compare(_ bytes: [UInt8], name: String, chunk: Int, detail: ReadDetail) throws {
        let whole: FileReadResult
        do { whole = try Bibliography.read(bytes, file: name, detail: detail) } catch {
            var s = ExportStream(file: name, detail: detail)
            var threw = false
            do {
                for start in stride(from: 0, to: bytes.count, by: chunk) { try s.feed(Array(bytes[start..<min(bytes.count, start + chunk)])) }
                _ = try s.finish()
            } catch { threw = true }
            XCTAssertTrue(threw, "\(name): the stream must refuse what the whole read refuses")
            return
        }
        var s = ExportStream(file: name, detail: detail)
        for start in stride(from: 0, to: bytes.count, by: chunk) { try s.feed(Array(bytes[start..<min(bytes.count, start + chunk)])) }
        let streamed = try s.finish()
        XCTAssertEqual(streamed.format, whole.format, name)
        XCTAssertEqual(streamed.records.count, whole.records.count, "\(name) chunk \(chunk)")
        XCTAssertEqual(streamed.records, whole.records, "\(name) chunk \(chunk)")
        XCTAssertEqual(streamed.rejected, whole.rejected, "\(name) chunk \(chunk)")
    }

    func testEveryCorpusFileStreamsLikeAWholeRead() throws {
        for (name, _, _, _) in CorpusCountTests.expected {
            let bytes = Array(try Data(contentsOf: try Corpus.url(name)))
            for chunk in [7_919, 100_003, 3_000_000] {   // the last puts whole files through the two-core path
                try compare(bytes, name: name, chunk: chunk, detail: .identification)
            }
            try compare(bytes, name: name, chunk: 50_021, detail: .full)
        }
    }

    /// A small first chunk (the header is then known) and one large second chunk send the rows
    /// through the two-core path of the delimited readers; the line readers take it too.
    func testTwoCorePathsGiveTheSameRecords() throws {
        for name in ["metaknowledge_scopus_testing.csv", "wostools_bitpattern_wos_savedrecs.txt", "wostools_magnetism_scopus.ris"] {
            let bytes = Array(try Data(contentsOf: try Corpus.url(name)))
            XCTAssertGreaterThan(bytes.count - 70_000, ExportStream.parallelThreshold + 100_000, name)
            for detail in [ReadDetail.full, .identification] {
                let whole = try Bibliography.read(bytes, file: name, detail: detail)
                var s = ExportStream(file: name, detail: detail)
                try s.feed(Array(bytes[..<70_000]))
                try s.feed(Array(bytes[70_000...]))
                let streamed = try s.finish()
                XCTAssertEqual(streamed.records, whole.records, name)
                XCTAssertEqual(streamed.rejected, whole.rejected, name)
            }
        }
    }

    /// The two-core WoS path reads the second half from line 1 and moves its records down
    /// afterwards, or reads it again when it has rejects (whose messages quote line numbers).
    /// Both cases, with malformed, truncated and clean records in each half.
    func testTwoCoreWoSPathMovesLinesAndRereadsRejects() throws {
        let block = WoSIdentificationTests.text.replacingOccurrences(of: "\nEF", with: "\nER")
        let clean = (0..<3_000).map { "PT J\nAU Doe, J\nTI Clean record \($0)\nPY 2020\nUT WOS:\($0)\nER\n" }.joined()
        for text in [String(repeating: block + "\n", count: 2_000), clean + clean + clean + clean + clean + clean + clean + clean] {
            let bytes = Array(text.utf8)
            XCTAssertGreaterThan(bytes.count - 70_000, ExportStream.parallelThreshold)
            for detail in [ReadDetail.full, .identification] {
                let whole = try Bibliography.read(bytes, file: "big.txt", detail: detail)
                var s = ExportStream(file: "big.txt", detail: detail)
                try s.feed(Array(bytes[..<70_000]))
                try s.feed(Array(bytes[70_000...]))
                let streamed = try s.finish()
                XCTAssertEqual(streamed.format, .wosPlainText)
                XCTAssertEqual(streamed.records, whole.records)
                XCTAssertEqual(streamed.rejected, whole.rejected)
                XCTAssertEqual(streamed.records.last?.source.line, whole.records.last?.source.line)
            }
        }
    }

    /// WoS plain text fed by borrowed windows is parsed in place, the records left unfinished
    /// by one window finished through the buffer: records, rejects and lines as a whole read,
    /// whatever the windows cut (records, lines, CRLF pairs).
    func testBorrowedWoSWindowsGiveTheSameRecords() throws {
        let block = WoSIdentificationTests.text.replacingOccurrences(of: "\nEF", with: "\nER")
        let clean = (0..<3_000).map { "PT J\nAU Doe, J\nTI Clean record \($0)\nPY 2020\nUT WOS:\($0)\nER\n" }.joined()
        // ~7 MB: windows over 1 MB (`stitchSize`) are parsed in place, over 2 MB on two cores.
        let mixed = String(repeating: clean + block + "\n", count: 36)
        for text in [mixed, mixed.replacingOccurrences(of: "\n", with: "\r\n")] {
            let bytes = Array(text.utf8)
            for detail in [ReadDetail.identification, .full] {
                let whole = try Bibliography.read(bytes, file: "w.txt", detail: detail)
                XCTAssertFalse(whole.rejected.isEmpty)
                XCTAssertGreaterThan(bytes.count, 6_000_000)
                try assertBorrowedWindowsMatch(bytes, file: "w.txt", detail: detail, whole: whole)
            }
        }
    }

    /// `feed(borrowing:)` (how `bib inspect` feeds a mapped file) parses delimited windows in
    /// place and copies only unfinished rows; it must still give exactly the whole read.
    func testBorrowedWindowsGiveTheSameRecords() throws {
        var names = CorpusCountTests.expected.map(\.0).filter { $0.hasSuffix(".csv") || $0.hasSuffix(".txt") }
        names += ["metaknowledge_scopus_testing.csv"]
        for name in names {
            let bytes = Array(try Data(contentsOf: try Corpus.url(name)))
            for detail in [ReadDetail.identification, .full] {
                let whole: FileReadResult
                do { whole = try Bibliography.read(bytes, file: name, detail: detail) } catch { continue }
                try assertBorrowedWindowsMatch(bytes, file: name, detail: detail, whole: whole)
            }
        }
    }

    /// Feeds `bytes` through `feed(borrowing:)` in windows of several sizes (cutting records,
    /// lines and CRLF pairs anywhere) and checks records and rejects against a whole read.
    func assertBorrowedWindowsMatch(_ bytes: [UInt8], file: String, detail: ReadDetail, whole: FileReadResult,
                                    line: UInt = #line) throws {
        for chunk in [70_001, 1_500_007, 3_000_000] {
            var s = ExportStream(file: file, detail: detail)
            try bytes.withUnsafeBufferPointer { b in
                for start in stride(from: 0, to: b.count, by: chunk) {
                    try s.feed(borrowing: UnsafeBufferPointer(rebasing: b[start..<min(b.count, start + chunk)]))
                }
            }
            let streamed = try s.finish()
            XCTAssertEqual(streamed.records, whole.records, "\(file) chunk \(chunk)", line: line)
            XCTAssertEqual(streamed.rejected, whole.rejected, "\(file) chunk \(chunk)", line: line)
        }
    }

    func testEveryFixtureStreamsLikeAWholeRead() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: Corpus.fixtures.path).sorted() {
            let bytes = Array(try Data(contentsOf: Corpus.fixtures.appendingPathComponent(name)))
            try compare(bytes, name: name, chunk: 13, detail: .full)
        }
    }

    /// Identification keeps what dedup and exclusion use: same articles, same exclusions.
    func testIdentificationDetailGivesTheSameArticles() throws {
        let names = ["bibliometrix_DISES_wos.bib", "bibliometrix_DISES_scopus.bib", "ble2019_wos_tabdelim_part3.txt", "ble2019_scopus_citation_only.csv"]
        let full = Bibliography.analyse(try names.flatMap { try Corpus.read($0).records })
        let light = Bibliography.analyse(try names.flatMap { try Corpus.read($0, detail: .identification).records })
        XCTAssertEqual(full.articles.map(\.id), light.articles.map(\.id))
        XCTAssertEqual(full.articles.map(\.members), light.articles.map(\.members))
        XCTAssertEqual(full.excludedCounts, light.excludedCounts)
    }
}
