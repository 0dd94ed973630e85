import XCTest
@testable import Bibliography

/// Corner cases the real files lack, one small fixture per format (Fixtures/bibliography/).
final class FixtureReaderTests: XCTestCase {
    func testWoSPlainTextBlocksContinuationsAndTruncation() throws {
        let r = try Corpus.fixture("wos_two_blocks.txt")
        XCTAssertEqual(r.format, .wosPlainText)
        XCTAssertEqual(r.recordsRead, 4)
        XCTAssertEqual(r.records.map(\.ut), ["WOS:000000000000001", "WOS:000000000000002", "WOS:000000000000003"])
        XCTAssertEqual(r.rejected.map(\.location.line), [27])
        XCTAssertTrue(r.rejected[0].message.contains("truncated"))
        let first = r.records[0]
        XCTAssertEqual(first.title, "Imaging lithium dendrites by cryogenic electron microscopy of battery interfaces")
        XCTAssertEqual(first.authors, [Author(family: "Smith", given: "John"), Author(family: "Doe", given: "Anna")])
        XCTAssertEqual(first.affiliations.count, 2)
        XCTAssertEqual(first.authorKeywords, ["cryo-EM", "lithium", "dendrite"])
        XCTAssertEqual(first.indexKeywords, ["INTERPHASE", "BATTERIES"])
        XCTAssertEqual(first.doi?.value, "10.1016/j.jpowsour.2019.0001")
        XCTAssertEqual(first.pages, "10-18")
        XCTAssertEqual(first.citedBy, 12)
        XCTAssertEqual(first.source.line, 3)
        XCTAssertEqual(first.source.endLine, 25, "the ER line")
        // The second FN block, without a closing EF, is read too.
        XCTAssertEqual(r.records[2].documentType, .erratum)
        XCTAssertEqual(r.records[2].rawDocumentType, "Correction")
    }

    func testWoSTabDelimitedUTF16WithTrailingTabAndLiteralQuotes() throws {
        let r = try Corpus.fixture("wos_tab_utf16.txt")
        XCTAssertEqual(r.format, .wosTabDelimited)
        XCTAssertEqual(r.encoding, .utf16LE)
        XCTAssertEqual(r.rejected.count, 0)
        XCTAssertEqual(r.records.count, 2)
        XCTAssertEqual(r.records[0].title, "A \"quoted\" word in an EM title about zeolites")
        XCTAssertEqual(r.records[0].authors.first, Author(family: "Müller", given: "Klaus"))
        XCTAssertEqual(r.records[0].ut, "WOS:000000000000010")
        XCTAssertEqual(r.records[0].source.line, 2)
        XCTAssertEqual(r.records[1].documentType, .review)
    }

    func testScopusCSV2019OldAuthorsFundingMultilineRaggedAndUnterminated() throws {
        let r = try Corpus.fixture("scopus_2019.csv")
        XCTAssertEqual(r.format, .scopusCSV)
        XCTAssertEqual(r.recordsRead, 4)
        XCTAssertEqual(r.records.count, 2)
        XCTAssertEqual(r.rejected.map(\.location.line), [4, 6])
        let first = r.records[0]
        XCTAssertEqual(first.authors.map(\.family), ["Xie", "Jin", "Zhou"])
        XCTAssertEqual(first.authors.map(\.given), ["L.", "X.", "M."])
        XCTAssertEqual(first.abstract, "First line of the abstract, second line with \"quotes\".")
        XCTAssertEqual(first.raw.values("Funding Text 2"), ["Funded by B"])
        XCTAssertEqual(first.issn, "0378-7753")
        XCTAssertEqual(first.eid, "2-s2.0-1000000001")
        XCTAssertEqual(first.source.endLine, 3, "the quoted abstract spans two lines")
        XCTAssertEqual(r.records[1].source.line, 5)
        XCTAssertEqual(r.records[1].documentType, .erratum)
    }

    func testScopusCSV2025Header() throws {
        let r = try Corpus.fixture("scopus_2025.csv")
        XCTAssertEqual(r.encoding, .utf8BOM)
        XCTAssertEqual(r.records.map(\.year), [2023, 2010, 2021])
        XCTAssertEqual(r.records[0].authors, [Author(family: "Hao", given: "Jiaqi"), Author(family: "High", given: "Robin")])
        XCTAssertEqual(r.records[0].indexKeywords, ["Humans"])
        XCTAssertEqual(r.records[0].citedBy, 0)
        XCTAssertEqual(r.records.map(\.documentType), [.article, .conferenceReview, .retraction])
    }

    func testScopusRISContinuationsAndTruncation() throws {
        let r = try Corpus.fixture("scopus.ris")
        XCTAssertEqual(r.format, .scopusRIS)
        XCTAssertEqual(r.records.count, 1)
        XCTAssertEqual(r.rejected.map(\.location.line), [23])
        let rec = r.records[0]
        XCTAssertEqual(rec.eid, "2-s2.0-1000000001")
        XCTAssertEqual(rec.citedBy, 15)
        XCTAssertEqual(rec.raw.values("N1").first?.split(separator: "\n").count, 3, "untagged lines continue N1")
        XCTAssertEqual(rec.sourceTitle, "Journal of Power Sources")
        XCTAssertEqual(rec.source.database, .scopus)
    }

    func testWoSAndGenericRIS() throws {
        let w = try Corpus.fixture("wos.ris")
        XCTAssertEqual(w.format, .wosRIS)
        XCTAssertEqual(w.records[0].ut, "WOS:000000000000001")
        XCTAssertEqual(w.records[0].source.database, .wos)
        let g = try Corpus.fixture("generic.ris")
        XCTAssertEqual(g.format, .ris)
        XCTAssertEqual(g.records[0].year, 2017)
        XCTAssertEqual(g.records[0].doi?.value, "10.1016/j.jsb.2017.0005")
        XCTAssertEqual(g.records[0].documentType, .article, "TY JOUR when there is no M3")
    }

    func testScopusBibTeXOldAndNewKeysAndTruncatedEntry() throws {
        let r = try Corpus.fixture("scopus_old_new.bib")
        XCTAssertEqual(r.format, .scopusBibTeX)
        XCTAssertEqual(r.records.count, 2)
        XCTAssertEqual(r.rejected.map(\.location.line), [19])
        XCTAssertEqual(r.records[0].documentType, .article)
        XCTAssertEqual(r.records[0].citedBy, 15)
        XCTAssertEqual(r.records[0].eid, "2-s2.0-1000000001")
        XCTAssertEqual(r.records[0].raw.values("funding details"), ["Agency A"], "no-break space in the key")
        XCTAssertEqual(r.records[1].documentType, .review, "2023+ 'type' key")
        XCTAssertEqual(r.records[1].citedBy, 52)
        XCTAssertEqual(r.records[1].pages, "79-88")
    }

    func testWoSAndGenericBibTeX() throws {
        let w = try Corpus.fixture("wos.bib")
        XCTAssertEqual(w.format, .wosBibTeX)
        XCTAssertEqual(w.records[0].title, "Imaging lithium dendrites by cryogenic electron microscopy of battery interfaces")
        XCTAssertEqual(w.records[0].ut, "WOS:000000000000001")
        XCTAssertEqual(w.records[0].indexKeywords, ["INTERPHASE", "BATTERIES"])
        XCTAssertEqual(w.records[0].citedBy, 12)
        let g = try Corpus.fixture("generic.bib")
        XCTAssertEqual(g.format, .bibtex)
        XCTAssertEqual(g.records.count, 1, "@string is not a record")
        XCTAssertEqual(g.records[0].authors.map(\.family), ["Garcia", "Muller"])
        XCTAssertEqual(g.records[0].year, 2017)
        XCTAssertEqual(g.records[0].sourceTitle, "Journal of Structural Biology", "@string macro expanded")
    }

    func testBibTeXStringMacros() throws {
        let r = try Corpus.fixture("bibtex_macros.bib")
        XCTAssertEqual(r.records.map(\.title), ["Defined later: the name stays as written", "Electron tomography of zeolite catalysts",
                                                "Aberration-corrected STEM of grain boundaries"])
        XCTAssertEqual(r.records[0].sourceTitle, "um", "a macro used before its definition is kept as written")
        XCTAssertEqual(r.records[1].sourceTitle, "Journal of Chemical Physics Supplement", "macros joined with #")
        XCTAssertEqual(r.records[1].raw.values("month"), ["March"], "predefined month macros")
        XCTAssertEqual(r.records[2].sourceTitle, "Ultramicroscopy", "macro names are case-insensitive")
        XCTAssertTrue(r.rejected.isEmpty, "\(r.rejected)")
    }

    func testUnreadableFilesSayWhy() throws {
        for name in ["binary.bin", "empty.csv", "not_an_export.txt"] {
            XCTAssertThrowsError(try Corpus.fixture(name), name) { error in
                XCTAssertTrue(error is UnreadableFile, name)
                XCTAssertEqual((error as? UnreadableFile)?.error.location.file, name)
            }
        }
    }

    func testFormatOverride() throws {
        // Forcing a wrong format never crashes; it reads what it can and accounts for the rest.
        let r = try Corpus.fixture("scopus.ris", format: .scopusCSV)
        XCTAssertEqual(r.format, .scopusCSV)
        XCTAssertEqual(r.records.count + r.rejected.count, r.recordsRead)
    }
}
