import Core
import XCTest
@testable import Bibliography

final class ExclusionTests: XCTestCase {
    func reasons(_ name: String) throws -> [String: Int] {
        let rules = ExclusionRules()
        var out: [String: Int] = [:]
        for r in try Corpus.read(name).records { out[rules.judge(r).exclusion?.rawValue ?? "kept", default: 0] += 1 }
        return out
    }

    func typeCounts(_ name: String) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for r in try Corpus.read(name).records { out[r.rawDocumentType ?? "", default: 0] += 1 }
        return out
    }

    /// The corpus README: 53 Review + 3 Short Survey, an editorial, 2 empty document types.
    func testMetaknowledgeScopusTesting() throws {
        let types = try typeCounts("metaknowledge_scopus_testing.csv")
        XCTAssertEqual(types["Review"], 53)
        XCTAssertEqual(types["Short Survey"], 3)
        XCTAssertEqual(types["Editorial"], 1)
        XCTAssertEqual(types[""], 2)
        let r = try reasons("metaknowledge_scopus_testing.csv")
        XCTAssertEqual(r["review"], 56)
        XCTAssertEqual(r["editorial"], 1)
        XCTAssertEqual(r.values.reduce(0, +), 220)
    }

    /// 8 Review, 1 Editorial, 1 Data paper, 1 Note.
    func testLitstudyV2() throws {
        let types = try typeCounts("litstudy_scopus_v2_2023.csv")
        XCTAssertEqual(types["Review"], 8)
        XCTAssertEqual(types["Editorial"], 1)
        XCTAssertEqual(types["Data paper"], 1)
        XCTAssertEqual(types["Note"], 1)
        let r = try reasons("litstudy_scopus_v2_2023.csv")
        XCTAssertEqual(r["review"], 8)
        XCTAssertEqual(r["editorial"], 2, "Editorial and Note")
        XCTAssertEqual(r["kept"], 78, "a data paper is research output")
    }

    /// 15 Review, 55 Conference Review, 11 Article in Press (kept as articles); the file also
    /// has 3 Short Survey (→ review), 4 Note and 2 Letter (→ editorial).
    func testBle2019CitationOnly() throws {
        let r = try reasons("ble2019_scopus_citation_only.csv")
        XCTAssertEqual(try typeCounts("ble2019_scopus_citation_only.csv")["Review"], 15)
        XCTAssertEqual(r["review"], 15 + 3)
        XCTAssertEqual(r["editorial"], 4 + 2)
        XCTAssertEqual(r["conference-review"], 55)
        XCTAssertEqual(try typeCounts("ble2019_scopus_citation_only.csv")["Article in Press"], 11)
        let records = try Corpus.read("ble2019_scopus_citation_only.csv").records
        XCTAssertEqual(records.filter { $0.rawDocumentType == "Article in Press" }.map(\.documentType), Array(repeating: .article, count: 11))
    }

    /// Physics of the Solid State (ISSN 1063-7834) is a cover-to-cover translation.
    func testTranslatedJournalInWostools() throws {
        let records = try Corpus.read("wostools_bitpattern_wos_savedrecs.txt").records
        let rules = ExclusionRules()
        let translated = records.filter { rules.judge($0).reasons.contains(.translation) }
        XCTAssertEqual(translated.count, 1)
        XCTAssertEqual(translated.first?.sourceTitle, "PHYSICS OF THE SOLID STATE")
        XCTAssertEqual(translated.first?.issn, "1063-7834")
    }

    func testDOIPrefixIsOnlyAHintAndStudyListsExtend() {
        var r = BibRecord(source: SourceRef(database: .wos, id: nil, file: "f", line: 1, endLine: 1), raw: RawRecord(line: 1, endLine: 1))
        r.doi = DOI("10.1134/S0000000000000001")
        r.sourceTitle = "Some Pleiades Original Journal"
        r.issn = "1234-5678"
        r.year = 2015
        let shipped = ExclusionRules().judge(r)
        XCTAssertNil(shipped.exclusion)
        XCTAssertEqual(shipped.hints.count, 1)
        XCTAssertEqual(ExclusionRules(extraTranslationISSNs: ["12345678"]).judge(r).exclusion, .translation)
        XCTAssertEqual(ExclusionRules(extraTranslationTitles: ["SOME PLEIADES ORIGINAL JOURNAL"]).judge(r).exclusion, .translation)
        XCTAssertEqual(ExclusionRules(period: 2016...2020).judge(r).exclusion, .outOfRange)
        XCTAssertNil(ExclusionRules(period: 2011...2023).judge(r).exclusion)
    }

    func testEveryDocumentTypeNameMaps() {
        let cases: [(String, ExclusionReason?)] = [
            ("Review", .review), ("Short Survey", .review), ("Systematic Review", .review), ("Erratum", .erratum),
            ("Correction", .erratum), ("Retracted", .retraction), ("Retraction", .retraction), ("Retracted Publication", .retraction),
            ("Editorial", .editorial), ("Editorial Material", .editorial), ("Note", .editorial), ("Letter", .editorial),
            ("News Item", .editorial), ("Meeting Abstract", .editorial), ("Book Review", .editorial),
            ("Conference Review", .conferenceReview), ("Conference review", .conferenceReview),
            ("Article", nil), ("Conference Paper", nil), ("Conference paper", nil), ("Article; Proceedings Paper", nil),
            ("Proceedings Paper", nil), ("Early Access", nil), ("Article in Press", nil), ("Book Chapter", nil), ("Data paper", nil),
            ("Review; Retracted Publication", .retraction), ("Article; Early Access", nil),
        ]
        for (raw, reason) in cases {
            XCTAssertEqual(ExclusionReason.byDocumentType[DocumentType(raw: raw)], reason, raw)
        }
    }

    func testShippedTranslatedJournalISSNsAreWellFormed() {
        for journal in TranslatedJournals.list {
            XCTAssertEqual(journal.issns.count, 2, journal.title)
            for issn in journal.issns { XCTAssertNil(ISSN.problem(issn), "\(journal.title): \(issn)") }
        }
        XCTAssertEqual(TranslatedJournals.list.count, 32)
        XCTAssertEqual(Set(TranslatedJournals.list.flatMap(\.issns)).count, 64, "no ISSN listed twice")
        XCTAssertNil(ISSN.problem("1562-689x"))
        XCTAssertNotNil(ISSN.problem("1562-6891"))
        XCTAssertNotNil(ISSN.problem("15626８9X"))
    }
}
