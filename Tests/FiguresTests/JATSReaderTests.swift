import Core
import Figures
import Foundation
import XCTest

/// The reader: safety (no network, no external entities, bounded expansion, size limit), the
/// roots and wrappers JATS arrives in, and where `<fig>` may stand.
final class JATSReaderTests: XCTestCase {
    func testBillionLaughsIsRejectedWithAClearError() throws {
        let data = try TestFiles.fixture("billion-laughs.xml")
        XCTAssertThrowsError(try JATSReader().read(data, file: "billion-laughs.xml")) { error in
            let e = try? XCTUnwrap(error as? InputError)
            XCTAssertEqual(e?.location.file, "billion-laughs.xml")
            XCTAssertEqual(e?.location.line, 14, "the line of the reference in the document, not inside the entity")
            XCTAssertTrue(e?.message.contains("entity") == true, e?.message ?? "")
        }
    }

    func testExternalEntitiesAreNeverLoaded() throws {
        let data = try TestFiles.fixture("external-entity.xml")
        let articles = try JATSReader().read(data, file: "external-entity.xml")
        let caption = try XCTUnwrap(articles.first?.figures.first?.caption)
        let hostname = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "\u{1}"
        XCTAssertFalse(caption.contains(hostname), "the SYSTEM entity's file must not be read: \(caption)")
        XCTAssertTrue(caption.hasPrefix("SEM image"))
    }

    func testSizeLimit() throws {
        let data = try TestFiles.fixture("structure.xml")
        XCTAssertThrowsError(try JATSReader(maxBytes: 100).read(data, file: "structure.xml")) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("limit") == true)
        }
        XCTAssertNoThrow(try JATSReader(maxBytes: data.count).read(data, file: "structure.xml"))
    }

    func testMalformedXMLNamesTheLine() throws {
        let data = try TestFiles.fixture("malformed.xml")
        XCTAssertThrowsError(try JATSReader().read(data, file: "malformed.xml")) { error in
            XCTAssertEqual((error as? InputError)?.location.line, 4)
        }
    }

    func testNotJATSAndEmptyAreErrorsNotCrashes() throws {
        XCTAssertThrowsError(try JATSReader().read(try TestFiles.fixture("not-jats.xml"), file: "not-jats.xml")) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("<article>") == true)
        }
        XCTAssertThrowsError(try JATSReader().read(Data(), file: "empty.xml"))
        XCTAssertThrowsError(try JATSReader().read(Data([0xFF, 0xFE, 0x00, 0x3C]), file: "garbage.xml"))
        XCTAssertThrowsError(try JATSReader().read(Data("<article><fig>".utf8), file: "truncated.xml"))
    }

    func testPMCArticleSetHoldsSeveralArticles() throws {
        let articles = try TestFiles.count(fixture: "articleset.xml")
        XCTAssertEqual(articles.map { $0.doi?.value }, ["10.1234/set.one", "10.1234/set.two"])
        XCTAssertEqual(articles.map(\.main.total), [2, 0])
    }

    func testFigWhereverItStands() throws {
        let article = try XCTUnwrap(try JATSReader().read(try TestFiles.fixture("structure.xml"), file: "structure.xml").first)
        XCTAssertEqual(article.doi, "10.1234/FIXTURE.Structure", "the article's own DOI, not the sub-article's")
        XCTAssertEqual(article.figures.map { $0.id ?? "" }, ["f1", "f2", "f2s1", "sch1", "f9", "f3", "app1", "f4", "resp1"])
        XCTAssertEqual(article.figures.filter(\.inSubArticle).map(\.id), ["resp1"])
        XCTAssertEqual(article.figures.filter(\.inAppendix).map(\.id), ["app1", "f4"])
        XCTAssertEqual(article.figures.first?.graphics, 2)
        XCTAssertEqual(article.graphicCount, 9)
        XCTAssertEqual(article.mediaCount, 2)
        XCTAssertEqual(article.mediaInSubArticles, 1)
    }

    func testCaptionTextTitleParagraphsListItemsEntitiesTexMathAndCitations() throws {
        let article = try XCTUnwrap(try JATSReader().read(try TestFiles.fixture("structure.xml"), file: "structure.xml").first)
        let f1 = CaptionText.display(article.figures[0].caption)
        XCTAssertEqual(f1, "TEM images. (a) Nanoparticles after 2 h; (b) the same particles at higher magnification.",
                       "title ends a sentence; tex-math and the citation are dropped; thin and no-break spaces are spaces")
        XCTAssertFalse(f1.contains("documentclass"))
        let f3 = article.figures.first { $0.id == "f3" }?.caption ?? ""
        XCTAssertTrue(f3.contains("(a) HAADF-STEM image of the interface; (b) intensity profile."), f3)
        let f4 = article.figures.first { $0.id == "f4" }?.caption ?? ""
        XCTAssertTrue(f4.contains("2 µm"), "Greek mu normalised to the micro sign: \(f4)")
        XCTAssertEqual(article.figures.first { $0.id == "f2s1" }?.label, "Figure 2–figure supplement 1", "em dash normalised")
    }

    func testSupplementaryMaterialWithMediaType() throws {
        let article = try XCTUnwrap(try JATSReader().read(try TestFiles.fixture("structure.xml"), file: "structure.xml").first)
        XCTAssertEqual(article.supplements.map(\.href), ["f2sd1.xlsx", "fixture.s001.pdf"])
        XCTAssertEqual(article.supplements.map(\.mediaType), ["application/xlsx", "application/pdf"])
        XCTAssertEqual(article.supplements.first?.label, "Figure 2–source data 1")
        XCTAssertFalse(article.figures[1].caption.contains("Raw SEM"), "the nested source data's caption is its own")
    }

    /// Truncated and corrupted real articles: an error or a result, never a crash.
    func testTruncatedAndCorruptedFilesNeverCrash() throws {
        let data = try TestFiles.real("springerapi_nrl_s11671-021-03631-x.xml")
        var generator = SystemRandomNumberGenerator()
        for cut in stride(from: 1, to: data.count, by: data.count / 40) {
            _ = try? FigureCounter.count(data.prefix(cut), file: "cut.xml")
        }
        for _ in 0..<30 {
            var bytes = [UInt8](data)
            for _ in 0..<20 { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = try? FigureCounter.count(Data(bytes), file: "corrupt.xml")
        }
        XCTAssertThrowsError(try FigureCounter.count(data.prefix(data.count / 2), file: "half.xml"), "half a file is not well-formed")
    }

    // MARK: peer oracles (../shared/corpora/PEER_ORACLES.json, elife-tools' assertions)

    func testELifeGraphicsAndMediaAsElifeToolsCountsThem() throws {
        let oracle = try Self.oracles()
        func expected(_ field: String) -> Any? {
            oracle.first { ($0["file"] as? String) == "elife04953.xml" && ($0["field"] as? String) == field }?["expected"]
        }
        let article = try XCTUnwrap(try JATSReader().read(try TestFiles.real("elife04953.xml"), file: "elife04953.xml").first)
        XCTAssertEqual(article.graphicCount, expected("graphics: total count (<graphic> elements)") as? Int)
        let split = try XCTUnwrap(expected("graphics: main vs supplement vs sub-article counts") as? [String: Int])
        let byRole = Dictionary(grouping: article.figures) { FigureCounter.role(of: $0) }.mapValues { $0.reduce(0) { $0 + $1.graphics } }
        XCTAssertEqual(byRole[.main], split["main_body_fig_graphics"])
        XCTAssertEqual(byRole[.supplement], split["figure_supplement_graphics"])
        XCTAssertEqual(byRole[.subArticle], split["sub_article_fig_graphics"])
        XCTAssertEqual(article.mediaCount, expected("media: total count") as? Int)
        XCTAssertEqual(article.mediaInSubArticles, 1, "5 videos in the body + 1 in the author response")
    }

    func testSpringerAPIWrapperIsJATS12() throws {
        let data = try TestFiles.real("springerapi_nrl_s11671-021-03631-x.xml")
        let oracle = try Self.oracles()
        let detect = oracle.first { ($0["file"] as? String) == "springerapi_nrl_s11671-021-03631-x.xml" && ($0["field"] as? String) == "SpringerJatsReader.detect" }
        XCTAssertEqual(detect?["expected"] as? Bool, true)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("dtd-version=\"1.2\""))
        let articles = try JATSReader().read(data, file: "springer.xml")
        XCTAssertEqual(articles.count, 1, "root <response>, article under <records>")
        XCTAssertEqual(articles.first?.articleType, "review-article")
    }

    static func oracles() throws -> [[String: Any]] {
        guard let data = try? Data(contentsOf: TestFiles.oracles) else { throw XCTSkip("../shared is absent: \(TestFiles.oracles.path)") }
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return json?["jats"] as? [[String: Any]] ?? []
    }
}
