import Core
import XCTest
@testable import Bibliography

final class NormalisationTests: XCTestCase {
    func testAuthorForms() {
        XCTAssertEqual(RecordBuilder.author("Adams, WC"), Author(family: "Adams", given: "WC"))
        XCTAssertEqual(RecordBuilder.author("Hao J."), Author(family: "Hao", given: "J."))
        XCTAssertEqual(RecordBuilder.author("Siu K.-C."), Author(family: "Siu", given: "K.-C."))
        XCTAssertEqual(RecordBuilder.author("Hao, Jiaqi (57221302630)"), Author(family: "Hao", given: "Jiaqi"))
        XCTAssertEqual(RecordBuilder.author("Iorio, C.a"), Author(family: "Iorio", given: "C."), "old Scopus BibTeX affiliation mark")
        XCTAssertEqual(RecordBuilder.author("Pagano, M.a b"), Author(family: "Pagano", given: "M."))
        XCTAssertEqual(RecordBuilder.author("Maria Garcia"), Author(family: "Garcia", given: "Maria"))
        XCTAssertEqual(RecordBuilder.author("Kalé, L."), Author(family: "Kalé", given: "L."))
        XCTAssertNil(RecordBuilder.author("[No author name available]"))
        XCTAssertNil(RecordBuilder.author("  "))
        XCTAssertEqual(RecordBuilder.oldScopusAuthors("Xie, L., Jin, X., Zhou, M."), ["Xie, L.", "Jin, X.", "Zhou, M."])
        XCTAssertEqual(RecordBuilder.oldScopusAuthors("Phillips J.C., Braun R."), ["Phillips J.C.", "Braun R."])
    }

    func testDOIForms() {
        let same = ["10.1016/J.JPOWSOUR.2019.0001", "https://doi.org/10.1016/j.jpowsour.2019.0001", "doi:10.1016/j.jpowsour.2019.0001.",
                    " {10.1016/j.jpowsour.2019.0001} ", "http://dx.doi.org/10.1016/J.jpowsour.2019.0001"]
        XCTAssertEqual(Set(same.compactMap { DOI($0)?.value }), ["10.1016/j.jpowsour.2019.0001"])
        XCTAssertNil(DOI(""))
        XCTAssertNil(DOI("   "))
        XCTAssertNil(DOI("10.1016/"))
        XCTAssertNil(DOI("not a doi"))
        XCTAssertEqual(DOI("https://doi.org/10.1000/ÄBC")?.value, "10.1000/äbc", "non-ASCII takes the general path")
    }

    func testTitleKeyBytesMatchTheScalarKey() {
        for t in ["Électron  Microscopy: a Review!", "Straße", "Структура", "Ångström-scale ½ Œuvre 東京 ΣΑΣ", "İstanbul ǅ ﬁ"] {
            XCTAssertEqual(TitleKey.bytes(t), Array(TitleKey.scalarKey(t).utf8), t)
        }
    }

    func testTitleKeysFoldCaseAccentsAndPunctuation() {
        XCTAssertEqual(TitleKey.make("Électron  Microscopy: a Review!"), TitleKey.make("ELECTRON MICROSCOPY - A REVIEW"))
        XCTAssertEqual(TitleKey.make("Straße"), "strasse")
        XCTAssertEqual(TitleKey.make("Структура"), "структура", "other scripts keep their letters")
    }

    func testTrimAndCollapse() {
        XCTAssertEqual("\u{A0} a b \n".trimmed(), "a b")
        XCTAssertEqual(RecordBuilder.collapseSpaces("a \n  b\tc"), "a b c")
        XCTAssertEqual(RecordBuilder.issn("17509653"), "1750-9653")
        XCTAssertEqual(RecordBuilder.issn("0036-029X"), "0036-029X")
        XCTAssertEqual(RecordBuilder.year("2019///"), 2019)
        // Only the first four digits of a run are a year candidate: "20231" is 2023, "01999" none.
        XCTAssertEqual(RecordBuilder.year("20231"), 2023)
        XCTAssertNil(RecordBuilder.year("01999"))
        XCTAssertEqual(RecordBuilder.year("0000 1992"), 1992)
        // A fuzzing finding (CI, export-wos-ris harness): a run of 100 digits overflowed `Int`.
        XCTAssertNil(RecordBuilder.year(String(repeating: "0", count: 100) + "98931OUR"))
        XCTAssertEqual(RecordBuilder.year(String(repeating: "9", count: 40) + " 2020"), 2020)
        XCTAssertEqual(RecordBuilder.citedByNote("cited By 15"), 15)
    }

    /// The fuzzer's input itself (`Fixtures/bibliography/fuzz_year_digit_run.ris`, byte for byte):
    /// read whole, every record accounted for, no crash.
    func testRISWithAHundredDigitYearIsRead() throws {
        let path = Corpus.fixtures.appendingPathComponent("fuzz_year_digit_run.ris").path
        let read = try Bibliography.read(Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: path, format: nil, detail: .full)
        XCTAssertGreaterThan(read.records.count + read.rejected.count, 0)
    }
}
