import XCTest
@testable import Core

final class CSVTests: XCTestCase {
    func testQuotedFieldsWithSeparatorsQuotesAndNewlines() {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nlast,,\n"
        let (rows, error) = CSV.parse(Array(text.utf8))
        XCTAssertNil(error)
        XCTAssertEqual(rows.map(\.fields), [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", ""]])
        XCTAssertEqual(rows.map(\.line), [1, 2, 4])
        XCTAssertEqual(rows[1].endLine, 3)
    }

    func testTabSeparatedWithoutQuoting() {
        let (rows, _) = CSV.parse(Array("a\t\"b\tc\n".utf8), separator: UInt8(ascii: "\t"), quotes: false)
        XCTAssertEqual(rows.map(\.fields), [["a", "\"b", "c"]])
    }

    func testUnterminatedQuoteIsReportedWithItsLine() {
        let (rows, error) = CSV.parse(Array("a\n\"open\nmore".utf8))
        XCTAssertEqual(rows.map(\.fields), [["a"]])
        XCTAssertEqual(error, .unterminatedQuote(line: 2))
    }

    func testEmptyLinesAreSkippedAndLastLineWithoutNewlineKept() {
        let (rows, _) = CSV.parse(Array("a\n\n\nb".utf8))
        XCTAssertEqual(rows.map(\.fields), [["a"], ["b"]])
        XCTAssertEqual(rows.map(\.line), [1, 4])
    }
}
