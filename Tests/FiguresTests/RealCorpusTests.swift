import Core
import Figures
import Foundation
import XCTest

/// The hand-checked counts of ../shared/corpora/jats/README.md: exact where its confidence is H
/// (and M where our reading agrees panel by panel), lower bounds and flags where it says U or L.
final class RealCorpusTests: XCTestCase {
    // MARK: confidence H — exact

    func testMDPIFESEMAndTEMWithEDXHistogramSAEDAndMillerIndex() throws {
        let a = try TestFiles.count(real: "nanomaterials_PMC6163276.xml")
        XCTAssertEqual(a.figures.count, 10)
        XCTAssertEqual(a.emFigures, 2)
        XCTAssertEqual(a.panels(of: "Figure 4"), ["a:SEM", "b:SEM"], "c is an EDX spectrum, d a histogram")
        XCTAssertEqual(a.panels(of: "Figure 5"), ["a:TEM", "b:TEM"], "the FFT/SAED inset and (1 1 0) are not panels")
        XCTAssertEqual(a.main, TechniqueCounts(sem: 2, stem: 0, tem: 2))
        XCTAssertFalse(a.lowerBound)
    }

    func testMDPIPairsWithEDSMapsNotCounted() throws {
        let a = try TestFiles.count(real: "materials_PMC6117687.xml")
        XCTAssertEqual(a.figures.count, 10)
        XCTAssertEqual(a.emFigures, 2)
        XCTAssertEqual(a.panels(of: "Figure 3"), ["a:SEM", "b:SEM", "c:TEM", "d:TEM", "e:TEM", "f:TEM"])
        XCTAssertEqual(a.panels(of: "Figure 8"), ["c:SEM", "d:SEM"])
        XCTAssertEqual(a.main.total, 8)
    }

    func testSpringerBareLabelsRangeWithStraySpaceAndReuse() throws {
        let a = try TestFiles.count(real: "nrl_PMC5093107.xml")
        XCTAssertEqual(a.figures.count, 8)
        XCTAssertEqual(a.emFigures, 1)
        XCTAssertEqual(a.panels(of: "Fig. 5"), ["a:SEM", "b:SEM", "c:SEM", "d:SEM"])
        XCTAssertEqual(a.reusedPanels, 4, "a review figure credited to reference 33")
        XCTAssertTrue(a.flags.contains("reused"))
        // "inset bar: 1 μm" … per panel.
        let bars = a.figures.first { $0.label == "Fig. 5" }?.emPanels.map(\.scaleBarsNm)
        XCTAssertEqual(bars, [[1_000], [100_000], [10_000], [5_000]])
    }

    func testPLOSBiologyStandardErrorAndVirusTransmissionAreNotEM() throws {
        let a = try TestFiles.count(real: "plosbio_1001315.xml")
        XCTAssertEqual(a.figures.count, 6)
        XCTAssertEqual(a.emFigures, 0)
        XCTAssertEqual(a.total.total, 0)
        XCTAssertEqual(a.supplements.count, 7)
        XCTAssertEqual(a.uncountedSupplements, 7)
        XCTAssertTrue(a.figures.contains { $0.reading.standardErrorsRemoved > 0 }, "the 'mean values and SEM' captions were seen")
    }

    func testELifeStructure() throws {
        let a = try TestFiles.count(real: "elife04953.xml")
        XCTAssertEqual(a.figures.count, 31, "every <fig>: 7 main + 18 figure supplements + 6 in sub-articles")
        XCTAssertEqual(a.mainFigures.count, 7)
        XCTAssertEqual(a.figures.filter { $0.role == .supplement }.count, 18)
        XCTAssertEqual(a.figures.filter { $0.role == .subArticle }.count, 6)
        XCTAssertEqual(a.total.total, 0)
    }

    // MARK: confidence M — our reading agrees with the README panel by panel

    func testMDPISchemeTaggedAsFigAndMixedSEMTEM() throws {
        let a = try TestFiles.count(real: "nanomaterials_PMC6358773.xml")
        XCTAssertEqual(a.figures.count, 7)
        XCTAssertEqual(a.figures.filter { $0.role == .scheme }.map(\.label), ["Scheme 1"])
        XCTAssertEqual(a.mainFigures.count, 6)
        XCTAssertEqual(a.emFigures, 2)
        XCTAssertEqual(a.main.total, 10, "F1 a–f (FESEM and FETEM; FETEM and EDX mapping) + F2 a–d FESEM")
        XCTAssertEqual(a.panels(of: "Figure 2"), ["a:SEM", "b:SEM", "c:SEM", "d:SEM"])
    }

    func testMDPISEMAndEDSCountedElementalMapsNot() throws {
        let a = try TestFiles.count(real: "materials_PMC6317012.xml")
        XCTAssertEqual(a.emFigures, 2)
        XCTAssertEqual(a.panels(of: "Figure 3"), ["a:SEM", "b:SEM", "c:SEM", "d:SEM"])
        XCTAssertEqual(a.panels(of: "Figure 6"), ["a:SEM"])
    }

    func testGridLabelledBySample() throws {
        let a = try TestFiles.count(real: "materials_PMC5978104.xml")
        XCTAssertEqual(a.figures.count, 9)
        XCTAssertEqual(a.emFigures, 1)
        XCTAssertEqual(a.panels(of: "Figure 5"), ["d:SEM", "e:SEM", "f:SEM"], "photos, SEM, contact angles: the middle of each (a,d,g) group")
    }

    // MARK: confidence U / L — lower bounds and flags

    func testUnlabelledPluralGivesLowerBound() throws {
        let a = try TestFiles.count(real: "nanomaterials_PMC6358937.xml")
        XCTAssertEqual(a.emFigures, 2)
        XCTAssertGreaterThanOrEqual(a.main.total, 3)
        XCTAssertTrue(a.lowerBound)
        XCTAssertTrue(a.flags.contains("unlabelled"))
        XCTAssertEqual(a.panels(of: "Figure 3"), ["a:SEM", "e:SEM"], "labels after the noun; AFM (b,c,f,g) and the schematic (d) are not EM")
    }

    func testHindawiEmptyCaptionsSchemesAndHistogramFromTEM() throws {
        let a = try TestFiles.count(real: "ijbiomat_PMC5817846.xml")
        XCTAssertEqual(a.figures.count, 15)
        XCTAssertEqual(a.figures.filter { $0.role == .scheme }.count, 6)
        XCTAssertEqual(a.emFigures, 2)
        XCTAssertGreaterThanOrEqual(a.main.tem, 2)
        XCTAssertTrue(a.lowerBound)
        XCTAssertTrue(a.flags.contains("unlabelled"))
        XCTAssertTrue(a.flags.contains("empty-caption"))
        XCTAssertEqual(a.panels(of: "Figure 4"), ["b:TEM"], "(a) is a histogram 'determined from TEM images'")
    }

    func testPLOSOneAmpersandLabelsSAEDAndEMInUncountedSupplement() throws {
        let a = try TestFiles.count(real: "plosone_PMC5619764.xml")
        XCTAssertEqual(a.figures.count, 10)
        XCTAssertEqual(a.emFigures, 2)
        XCTAssertEqual(a.panels(of: "Fig 1"), ["a:TEM", "b:TEM", "c:TEM"], "(d) is a SAED pattern")
        XCTAssertGreaterThanOrEqual(a.main.total, 4)
        XCTAssertTrue(a.lowerBound)
        XCTAssertEqual(a.supplements.count, 12)
        XCTAssertEqual(a.uncountedSupplements, 12)
        XCTAssertTrue(a.flags.contains("em-in-uncounted-supplement"), "S3 'TEM images' and S4 'SEM-EDX images' are external TIFs")
        XCTAssertEqual(Set(a.supplements.compactMap(\.mentions)), [.sem, .tem])
    }

    func testNatureCommunicationsCorrelativeCryoEM() throws {
        let a = try TestFiles.count(real: "natcommun_PMC6341166.xml")
        XCTAssertEqual(a.figures.count, 8)
        XCTAssertGreaterThanOrEqual(a.emFigures, 6)
        XCTAssertLessThanOrEqual(a.emFigures, 7)
        XCTAssertGreaterThanOrEqual(a.main.total, 20, "README: about 35, low confidence")
        XCTAssertLessThanOrEqual(a.main.total, 45)
        XCTAssertEqual(a.figures.first { $0.label == "Fig. 8" }?.emPanels.count, 0, "the schematic diagram")
    }

    func testScientificReportsUltrastructureImpliesTEMAndStandardErrorIgnored() throws {
        let a = try TestFiles.count(real: "scirep_PMC6345989.xml")
        XCTAssertEqual(a.figures.count, 14)
        XCTAssertEqual(a.emFigures, 8)
        XCTAssertEqual(a.figures.filter { !$0.emPanels.isEmpty }.map(\.label),
                       (7...14).map { "Figure \($0)" })
        XCTAssertGreaterThanOrEqual(a.main.tem, 8)
        XCTAssertTrue(a.lowerBound)
        XCTAssertTrue(a.flags.contains("implied"))
        XCTAssertTrue(a.flags.contains("unlabelled"))
        for fig in a.figures.prefix(6) { XCTAssertTrue(fig.emPanels.isEmpty, "\(fig.label): standard error (S.E.) is not EM") }
    }

    func testSpringerAPIWrapperWithInternalDTDSubsetReviewAllReused() throws {
        let a = try TestFiles.count(real: "springerapi_nrl_s11671-021-03631-x.xml")
        XCTAssertEqual(a.doi?.value, "10.1186/s11671-021-03631-x")
        XCTAssertEqual(a.figures.count, 28)
        XCTAssertEqual(a.emFigures, 4)
        XCTAssertEqual(a.figures.filter { !$0.emPanels.isEmpty }.map(\.label), ["Fig. 5", "Fig. 6", "Fig. 7", "Fig. 26"])
        XCTAssertEqual(a.panels(of: "Fig. 5").count, 8, "'from a to h'")
        XCTAssertGreaterThanOrEqual(a.main.total, 11)
        XCTAssertTrue(a.lowerBound)
        XCTAssertEqual(a.reusedPanels, a.main.total, "every figure of this review is credited to a reference")
    }

    /// Every file of the corpus parses, and none is counted with more images than a generous
    /// ceiling (a guard against runaway label expansion).
    func testWholeCorpusParses() throws {
        let dir = TestFiles.corpus
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw XCTSkip("../shared is absent: \(dir.path)")
        }
        let xml = names.filter { $0.hasSuffix(".xml") }
        XCTAssertEqual(xml.count, 14)
        for name in xml {
            let a = try TestFiles.count(real: name)
            XCTAssertNotNil(a.doi, name)
            XCTAssertLessThan(a.total.total, 60, name)
        }
    }
}
