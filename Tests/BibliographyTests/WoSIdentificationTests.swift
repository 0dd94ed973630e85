import XCTest
@testable import Bibliography

/// The WoS plain-text reader fills an identification read's fields directly (`WoSValueCollector`)
/// instead of building a raw record first. These are the cases where a direct fill could drift
/// from the full read: wrapped values joined before trimming, a date field fed by two tags in an
/// order that differs from line order, invalid UTF-8 across a wrapped line, truncated and
/// malformed records, CRLF files.
final class WoSIdentificationTests: XCTestCase {
    static let text = [
        "FN Clarivate Analytics Web of Science",
        "VR 1.0",
        "PT J",
        "AU Zhang, W",
        "   Li, X",
        "AF Zhang, Wei ",
        "   Li, Xiaoming",
        "TI ",
        "   A  wrapped title   ",
        "   over three lines  ",
        "SO NATURE",
        "   COMMUNICATIONS",
        "SN 2041-1723; 1234-5678",
        "EI 20411723",
        "PD ",
        "EA 2019",
        "PD JAN 2020",
        "DT Article; Proceedings Paper",
        "DI  10.1038/S41467-020-1  ",
        "UT WOS:000500000000001",
        "PM 31234567",
        "AB Not kept by an identification read.",
        "   Its second line.",
        "ER",
        "",
        "PT J",
        "AU Müller, K",
        "TI Bad byte at a wrap \u{00E9}",
        "   and on",
        "PY 2021",
        "EA MAR 2018",
        "UT 000500000000002",
        "ER",
        "",
        "PT J",
        "TI Truncated: a new record starts before ER",
        "PY 2022",
        "PT J",
        "TI Malformed",
        "not a tag line",
        "ER",
        "PT J",
        "AU Solo, A",
        "TI Last record without ER",
        "PY 2020",
        "EF",
    ].joined(separator: "\n")

    func check(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        let full = WoSPlainText.read(bytes, file: "t.txt", encoding: .utf8, detail: .full)
        let light = WoSPlainText.read(bytes, file: "t.txt", encoding: .utf8, detail: .identification)
        XCTAssertEqual(light.rejected, full.rejected, file: file, line: line)
        XCTAssertEqual(light.nextLine, full.nextLine, file: file, line: line)
        XCTAssertEqual(light.records.count, full.records.count, file: file, line: line)
        for (l, f) in zip(light.records, full.records) {
            XCTAssertEqual(l.source, f.source, file: file, line: line)
            XCTAssertEqual(l.raw.line, f.raw.line, file: file, line: line)
            XCTAssertEqual(l.raw.endLine, f.raw.endLine, file: file, line: line)
            XCTAssertTrue(l.raw.tags.isEmpty, file: file, line: line)
            XCTAssertEqual(l.title, f.title, file: file, line: line)
            XCTAssertEqual(l.authors.first, f.authors.first, file: file, line: line)
            XCTAssertEqual(l.year, f.year, file: file, line: line)
            XCTAssertEqual(l.sourceTitle, f.sourceTitle, file: file, line: line)
            XCTAssertEqual(l.issn, f.issn, file: file, line: line)
            XCTAssertEqual(l.eissn, f.eissn, file: file, line: line)
            XCTAssertEqual(l.doi, f.doi, file: file, line: line)
            XCTAssertEqual(l.ut, f.ut, file: file, line: line)
            XCTAssertEqual(l.pmid, f.pmid, file: file, line: line)
            XCTAssertEqual(l.rawDocumentType, f.rawDocumentType, file: file, line: line)
            XCTAssertEqual(l.documentType, f.documentType, file: file, line: line)
            XCTAssertEqual(l.stableID, f.stableID, file: file, line: line)
        }
    }

    func testIdentificationReadGivesTheFullReadsValues() {
        let bytes = Array(Self.text.utf8)
        check(bytes)
        let light = WoSPlainText.read(bytes, file: "t.txt", encoding: .utf8, detail: .identification)
        XCTAssertEqual(light.records.count, 2)
        XCTAssertEqual(light.rejected.count, 3, "the truncated, the malformed and the EF-cut record")
        let first = light.records[0]
        XCTAssertEqual(first.title, "A wrapped title over three lines")
        XCTAssertEqual(first.sourceTitle, "NATURE COMMUNICATIONS")
        // PD's empty first value is dropped; its second value still comes before EA's (the raw
        // record groups values by tag, in order of each tag's first line).
        XCTAssertEqual(first.year, 2020)
        XCTAssertEqual(first.authors.first, Author(family: "Zhang", given: "Wei"))
        XCTAssertEqual(light.records[1].year, 2021)
    }

    func testCRLFAndInvalidUTF8AcrossAWrap() {
        check(Array(Self.text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        // A title line ending inside a UTF-8 sequence, continued on the next line.
        var bytes = Array(Self.text.utf8)
        if let i = bytes.firstIndex(of: 0xC3) { bytes[i + 1] = 0x0A; bytes.insert(contentsOf: Array("   ".utf8), at: i + 2) }
        check(bytes)
        bytes.insert(contentsOf: [0xE2, 0x82], at: 60)
        check(bytes)
    }
}
