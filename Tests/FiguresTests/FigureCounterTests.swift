import Core
@testable import Figures
import Foundation
import XCTest

/// Per-article counts: which figures count, supplements, and outlier trimming.
final class FigureCounterTests: XCTestCase {
    func testRolesAndCountsOfTheStructureFixture() throws {
        let a = try XCTUnwrap(try TestFiles.count(fixture: "structure.xml").first)
        XCTAssertEqual(a.doi?.value, "10.1234/fixture.structure")
        XCTAssertEqual(a.figures.map(\.role), [.main, .main, .supplement, .scheme, .scheme, .main, .main, .main, .subArticle])
        XCTAssertEqual(a.mainFigures.count, 5)
        // f1 a,b TEM (title heading); f2 a–c SEM, d EDS; f3 a STEM, b profile; app1 cryo-TEM; f4 c FESEM, a,b optical.
        XCTAssertEqual(a.main, TechniqueCounts(sem: 4, stem: 1, tem: 3))
        XCTAssertEqual(a.emFigures, 5)
        XCTAssertEqual(a.supplementary, TechniqueCounts(sem: 2), "the eLife-style figure supplement (A, B)")
        XCTAssertEqual(a.total.total, 10)
        XCTAssertEqual(a.supplements.count, 2)
        XCTAssertEqual(a.uncountedSupplements, 2)
        XCTAssertEqual(a.scaleBarsNm, [2_000])
        XCTAssertTrue(a.flags.contains("schemes-excluded"))
        XCTAssertTrue(a.flags.contains("peer-review-figures-excluded"))
        XCTAssertTrue(a.flags.contains("em-in-uncounted-supplement"))
    }

    func testGraphicsAreNeverThePanelCount() throws {
        let a = try XCTUnwrap(try TestFiles.count(fixture: "structure.xml").first)
        let f1 = try XCTUnwrap(a.figures.first)
        XCTAssertEqual(f1.graphics, 2)
        XCTAssertEqual(f1.emPanels.count, 2)
        let f2 = try XCTUnwrap(a.figures.dropFirst().first)
        XCTAssertEqual(f2.graphics, 1)
        XCTAssertEqual(f2.emPanels.count, 3, "one composite graphic, three SEM panels")
    }

    func testSupplementCountedOnlyWhenItsJATSIsGiven() throws {
        let data = try TestFiles.fixture("with-supplement.xml")
        let without = try XCTUnwrap(try FigureCounter.count(data, file: "with-supplement.xml").first)
        XCTAssertEqual(without.supplementary.total, 0)
        XCTAssertEqual(without.uncountedSupplements, 2)

        let sup = try JATSReader().read(try TestFiles.fixture("supplements/sup1.xml"), file: "sup1.xml")
        let given = [SupplementKey.of("supplements/sup1.xml"): sup.flatMap(\.figures)]
        let with = try XCTUnwrap(try FigureCounter.count(data, file: "with-supplement.xml", supplements: given).first)
        XCTAssertEqual(with.supplementary, TechniqueCounts(tem: 4), "Figure S1 (a–d) TEM; S2 is XPS")
        XCTAssertEqual(with.uncountedSupplements, 1, "S2 Fig is a TIF without JATS")
        XCTAssertEqual(with.main.total, 1)
        XCTAssertEqual(with.total.total, 5)
        XCTAssertTrue(with.flags.contains("em-in-uncounted-supplement"), "S2 'TEM images' cannot be counted")
    }

    func testSupplementKey() {
        XCTAssertEqual(SupplementKey.of("pone.0184936.s003.tif"), "pone.0184936.s003")
        XCTAssertEqual(SupplementKey.of("dir/Sup1.XML"), "sup1")
        XCTAssertEqual(SupplementKey.of("noextension"), "noextension")
    }

    func testSchemeDetection() {
        XCTAssertEqual(FigureCounter.role(of: JATSFigure(id: "sch2", label: "Scheme 2")), .scheme)
        XCTAssertEqual(FigureCounter.role(of: JATSFigure(id: "sch1", label: "")), .scheme)
        XCTAssertEqual(FigureCounter.role(of: JATSFigure(id: "f1", label: "Figure 1", figType: "scheme")), .scheme)
        XCTAssertEqual(FigureCounter.role(of: JATSFigure(id: "schematic-fig", label: "Figure 3")), .main, "an id that merely starts with 'sch'")
        XCTAssertEqual(FigureCounter.role(of: JATSFigure(id: "f1s1", label: "Figure 1—figure supplement 1", specificUse: "child-fig")), .supplement)
        XCTAssertEqual(FigureCounter.role(of: JATSFigure(id: "r1", label: "Author response image 1", inSubArticle: true)), .subArticle)
    }

    func testOutlierTrimming() throws {
        func article(_ name: String, sem: Int) -> ArticleFigures {
            let caption = sem == 1 ? "SEM image." : "(a–\(Character(Unicode.Scalar(UInt8(96 + sem))))) SEM images."
            let fig = JATSFigure(id: "f1", label: "Figure 1", caption: caption)
            return FigureCounter.analyse(JATSArticle(doi: "10.1/\(name)", figures: [fig]), file: name)
        }
        let set = [article("small", sem: 3), article("big", sem: 12), article("one", sem: 1)]
        XCTAssertEqual(set.map(\.total.sem), [3, 12, 1])
        let trim = OutlierTrim(set, threshold: 10)
        XCTAssertEqual(trim.trimmed.map(\.file), ["big"])
        XCTAssertEqual(trim.before.articles, 3)
        XCTAssertEqual(trim.before.images.total, 16)
        XCTAssertEqual(trim.after.articles, 2)
        XCTAssertEqual(trim.after.images.total, 4)
        XCTAssertEqual(OutlierTrim(set).trimmed.count, 0, "default threshold 50")
        XCTAssertEqual(OutlierTrim.defaultThreshold, 50)
    }
}

/// Counting skips captions that cannot name EM; that shortcut must never change a count.
final class EMHintTests: XCTestCase {
    func testEveryEMVocabularyEntryPassesTheHintScan() {
        for (acronym, kind) in TechniqueVocabulary.acronyms where kind.technique != nil {
            XCTAssertTrue(CaptionAnalysis.mayNameEM("(a) \(acronym) image"), acronym)
        }
        for phrase in TechniqueVocabulary.phrases where phrase.kind.technique != nil {
            let text = phrase.words.joined(separator: " ")
            XCTAssertTrue(CaptionAnalysis.mayNameEM(text), text)
            XCTAssertTrue(CaptionAnalysis.mayNameEM(text.prefix(1).uppercased() + text.dropFirst()), text)
        }
        XCTAssertFalse(CaptionAnalysis.mayNameEM("(a) XRD pattern; (b) optical micrograph."))
    }

    func testSkippingChangesNoCountOnTheRealCorpus() throws {
        let dir = TestFiles.corpus
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw XCTSkip("../shared is absent: \(dir.path)")
        }
        for name in names where name.hasSuffix(".xml") {
            let data = try TestFiles.real(name)
            let fast = try FigureCounter.count(data, file: name)
            let full = try FigureCounter.count(data, file: name, detail: true)
            XCTAssertEqual(fast.map(\.total), full.map(\.total), name)
            XCTAssertEqual(fast.map(\.flags), full.map(\.flags), name)
            XCTAssertEqual(fast.map(\.scaleBarsNm), full.map(\.scaleBarsNm), name)
        }
    }
}
