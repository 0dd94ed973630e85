import Core
import Figures
import XCTest

/// Caption rules, one test per label style and trap of docs/figures.md (written from the styles
/// and traps in ../shared/notes/jats-figures.md).
final class CaptionTests: XCTestCase {
    private func em(_ caption: String, creditsReference: Bool = false) -> [String] {
        CaptionAnalysis.read(CaptionText.normalise(caption), creditsReference: creditsReference)
            .emPanels.map { "\($0.label):\($0.technique?.rawValue ?? "-")" }
    }

    private func labels(_ caption: String) -> [String] {
        CaptionAnalysis.read(CaptionText.normalise(caption)).panels.map(\.label).filter { !$0.isEmpty }
    }

    // MARK: label styles

    func testParenthesisedSingleAndPairs() {
        XCTAssertEqual(em("(a) SEM image of the film; (b) TEM image of the powder."), ["a:SEM", "b:TEM"])
        XCTAssertEqual(em("(a,b) FESEM images, (c,d) TEM images and (e,f) HR-TEM images."),
                       ["a:SEM", "b:SEM", "c:TEM", "d:TEM", "e:TEM", "f:TEM"])
    }

    func testAndAmpersandAndRanges() {
        XCTAssertEqual(labels("(a and e) SEM images; (b–d) spectra."), ["a", "e", "b", "c", "d"])
        XCTAssertEqual(em("(a and e) SEM images; (b–d) spectra."), ["a:SEM", "e:SEM"])
        XCTAssertEqual(em("TEM images; (a) & (b) particles; (c) SAED pattern."), ["a:TEM", "b:TEM"])
        XCTAssertEqual(em("(a)\u{2013}(c) SEM micrographs of the fibres; (d) XRD pattern."), ["a:SEM", "b:SEM", "c:SEM"])
        XCTAssertEqual(em("(a-c) SEM micrographs; (d) XRD."), ["a:SEM", "b:SEM", "c:SEM"], "a hyphen range")
    }

    func testBareLabelsSpringerStyle() {
        XCTAssertEqual(em("a–d SEM images of the four samples."), ["a:SEM", "b:SEM", "c:SEM", "d:SEM"])
        XCTAssertEqual(em("Characterisation. a SEM image of the cross-section. b TEM image of a flake. c Raman spectrum."),
                       ["a:SEM", "b:TEM"], "bare labels after '. '")
        XCTAssertEqual(em("TEM images of the samples. a Sample 1. b\u{2013} d Samples 2 to 4."),
                       ["a:TEM", "b:TEM", "c:TEM", "d:TEM"], "'b– d' with a stray space; the heading decides")
    }

    func testUppercaseLabels() {
        XCTAssertEqual(em("(A–C) Cryo-TEM images of vesicles. (D) Quantification of diameters."), ["A:TEM", "B:TEM", "C:TEM"])
    }

    func testRangeInWords() {
        XCTAssertEqual(em("TEM image of particles during lithiation from a to h, respectively.").count, 8)
    }

    func testLabelsAfterTheNoun() {
        XCTAssertEqual(em("TEM images of GO (c) and G-NH2 (d); XRD patterns of GO (a) and G-NH2 (b)."), ["c:TEM", "d:TEM"])
        XCTAssertEqual(em("Optical micrographs (a,b) and FESEM image (c) of the film."), ["c:SEM"])
    }

    /// Issue 16: the noun before a label, coordinated by "and", carries on to the next label —
    /// not the clause's first noun ("spectra").
    func testCoordinatedLabelsAfterTheNounContinueThePhrase() {
        let caption = "Optical images (a); UV-Vis-NIR absorption spectra (b) and TEM images of GO (c) and G-NH2 (d)."
        XCTAssertEqual(em(caption), ["c:TEM", "d:TEM"])
        let panels = CaptionAnalysis.read(CaptionText.normalise(caption)).panels
        XCTAssertEqual(panels.map(\.label), ["a", "b", "c", "d"])
        XCTAssertEqual(panels.first { $0.label == "d" }?.place, .precedingText)
        // A label with its own words keeps them; a coordinated label after a non-EM noun stays non-EM.
        XCTAssertEqual(em("TEM images of GO (a) and XRD patterns of G-NH2 (b)."), ["a:TEM"])
        XCTAssertEqual(em("XRD patterns of GO (a) and G-NH2 (b); SEM image (c)."), ["c:SEM"])
    }

    /// Issue 16: a lead sentence naming the figure's technique decides every labelled panel
    /// without a technique word of its own, and the panels are counted (not one unlabelled image).
    func testLeadSentenceTechniqueAppliesToUnmarkedPanels() {
        let caption = "SEM analysis of Aspergillus niger spores processed by cold plasma. (a) Conidiospores of the control (scale bar = 30 µm). (b) Conidiospores after 5 min (scale bar = 10 µm). (c) Spores after 10 min; (d) EDS spectrum of the surface."
        let reading = CaptionAnalysis.read(CaptionText.normalise(caption))
        XCTAssertEqual(reading.emPanels.map { "\($0.label):\($0.technique?.rawValue ?? "-")" }, ["a:SEM", "b:SEM", "c:SEM"])
        XCTAssertFalse(reading.unlabelled, "labelled panels are counted, not an unlabelled lower bound")
        XCTAssertEqual(reading.panels.first { $0.label == "a" }?.place, .captionHeading)
        XCTAssertEqual(reading.panels.first { $0.label == "a" }?.scaleBarsNm, [30_000])
        XCTAssertEqual(em("TEM characterization of the catalysts. (a) Pt/C; (b) Pt3Co/C."), ["a:TEM", "b:TEM"])
        // A panel mentioned in passing before its own sentence keeps what its own words say.
        XCTAssertEqual(em("SEM analysis of the coated films. (a) Film surface; arrows in (c) mark pores. (b) Cross-section. (c) EDS spectrum of the pores."),
                       ["a:SEM", "b:SEM"])
        // A technique named in passing, not as the figure's method, still decides nothing.
        XCTAssertEqual(em("Cryo-electron microscopy strategies compared. (a) Workflow; (b) resolution over time.").filter { !$0.hasPrefix(":") }, [])
    }

    func testGridLabelledBySample() {
        let caption = "Digital photos, SEM images and contact angle images of different surfaces: (a,d,g) LC; (b,e,h) LC coated with PDMS; (c,f,i) LC coated with PDMS@STA-KL."
        XCTAssertEqual(em(caption), ["d:SEM", "e:SEM", "f:SEM"])
    }

    func testNestedGroupsAndSubPanels() {
        XCTAssertEqual(em("(1) Synthesis route. (2) SEM images of (a) the template and (b) the replica."), ["a:SEM", "b:SEM"])
        XCTAssertEqual(labels("(a-1,a-2) tea; (b-1,b-2) soy sauce."), ["a", "b"], "sub-panels belong to their letter")
        XCTAssertEqual(em("(a1) SEM image; (a2) its EDS map; (b) TEM image."), ["a:SEM", "b:TEM"])
    }

    // MARK: label rejection

    func testRunMustStartAtA() {
        XCTAssertEqual(labels("Spectra of the films (c) and (d) are shown."), [], "no a: the caption is one image")
        XCTAssertEqual(em("SEM image of sample (c) after annealing."), [":SEM"])
    }

    func testElementSymbolsMillerIndicesAndCurveLabels() {
        XCTAssertEqual(labels("(A) XPS survey; (B) high-resolution spectrum; (S) and (N) peaks marked."), ["A", "B"],
                       "(S), (N): element symbols far from the run")
        XCTAssertEqual(labels("HRTEM image showing the (1 1 0) and (111) planes."), [])
        XCTAssertEqual(em("HRTEM image showing the (1 1 0) and (111) planes."), [":TEM"])
        XCTAssertEqual(em("Curves of (a) FTO and (b) PVP films."), [], "curve labels inside a plot are not micrographs")
        let curves = "(a) SEM image of the FTO film; (b) SEM image of the PVP film; (c) J–V curves of devices on (a) FTO and (b) PVP; (d) TEM image."
        XCTAssertEqual(em(curves), ["a:SEM", "b:SEM", "d:TEM"])
        XCTAssertEqual(labels(curves), ["a", "b", "c", "d"], "(a), (b) inside panel c's clause are curve labels")
    }

    func testOneLabelClassPerCaption() {
        // Lower case is the panel class here; (A) and (B) are sample names inside a panel.
        XCTAssertEqual(labels("(a) SEM image of films (A) and (B); (b) SEM image of film (C); (c) EDS."), ["a", "b", "c"])
    }

    // MARK: techniques and traps

    func testTechniqueVocabulary() {
        XCTAssertEqual(em("(a) FE-SEM image; (b) ESEM image; (c) cryo-SEM image; (d) FIB-SEM slice."),
                       ["a:SEM", "b:SEM", "c:SEM", "d:SEM"])
        XCTAssertEqual(em("(a) cryo-ET slice; (b) BF-TEM image; (c) HRTEM image; (d) transmission electron micrograph."),
                       ["a:TEM", "b:TEM", "c:TEM", "d:TEM"])
        XCTAssertEqual(em("(a) HAADF image; (b) HAADF-STEM image; (c) BF-STEM image; (d) scanning transmission electron micrograph."),
                       ["a:STEM", "b:STEM", "c:STEM", "d:STEM"])
        XCTAssertEqual(em("(a) Field-emission scanning electron micrograph of the rods."), ["a:SEM"])
        XCTAssertEqual(em("(a) cryoTEM image; (b) cryoET slice."), ["a:TEM", "b:TEM"])
    }

    func testAcronymsAreCaseSensitiveAndWholeWord() {
        XCTAssertEqual(em("Stem cells grown on the scaffold (sem images not shown)."), [])
        XCTAssertEqual(em("Mesenchymal STEM cells after 3 days."), [], "STEM before 'cells' is biology")
        XCTAssertEqual(em("(a) TEM-1 β-lactamase activity; (b) SEMA3A expression."), [])
        XCTAssertEqual(em("(A) Transmission of the virus between ferrets."), [])
    }

    func testStandardErrorIsRemovedFirst() {
        XCTAssertEqual(em("Data are mean ± SEM of three experiments."), [])
        XCTAssertEqual(em("Data show mean values and SEM from two independent experiments."), [])
        XCTAssertEqual(em("Error bars represent SEM (n = 4)."), [])
        XCTAssertEqual(em("Bars are the standard error of the mean (SEM)."), [])
        XCTAssertEqual(em("SEM of n = 5 animals."), [])
        XCTAssertEqual(em("Scanning electron microscope (SEM) images of the surface."), [":SEM"], "an abbreviation, not an error")
        let reading = CaptionAnalysis.read("(a) SEM image of the film. Data are mean ± SEM.")
        XCTAssertEqual(reading.emPanels.map(\.label), ["a"])
        XCTAssertEqual(reading.standardErrorsRemoved, 1)
    }

    func testNotImages() {
        XCTAssertEqual(em("(a) SEM image; (b) EDS spectrum; (c) EDX elemental mapping; (d) SAED pattern; (e) FFT; (f) size distribution histogram; (g) schematic; (h) XRD; (i) XPS; (j) FT-IR; (k) Raman spectra."),
                       ["a:SEM"])
        XCTAssertEqual(em("Particle size histogram measured from TEM images."), [], "the first kind named decides")
        XCTAssertEqual(em("(a) SEM and EDS of the biochar."), ["a:SEM"])
        XCTAssertEqual(em("TEM micrograph of (a) the particles, inset: FFT pattern from the SAED and (b) lattice fringes."),
                       ["a:TEM", "b:TEM"], "the inset's description is skipped")
    }

    func testUnlabelledPluralIsALowerBound() {
        let plural = CaptionAnalysis.read("Representative TEM images of the nanoparticles.")
        XCTAssertEqual(plural.emPanels.count, 1)
        XCTAssertTrue(plural.unlabelled)
        XCTAssertTrue(plural.lowerBound)
        let singular = CaptionAnalysis.read("SEM image of the device.")
        XCTAssertEqual(singular.emPanels.count, 1)
        XCTAssertFalse(singular.lowerBound)
        let implied = CaptionAnalysis.read("Chloroplast ultrastructure in leaves under waterlogging.")
        XCTAssertEqual(implied.emPanels.map(\.technique), [.tem])
        XCTAssertTrue(implied.implied)
        XCTAssertTrue(implied.lowerBound)
    }

    func testReuse() {
        let reading = CaptionAnalysis.read("(a) SEM image of our film; (b) TEM image reproduced with permission from ref. 12.")
        XCTAssertEqual(reading.emPanels.map(\.reused), [false, true], "only the panel whose clause says so")
        XCTAssertEqual(CaptionAnalysis.read("(a,b) SEM images. Adapted from Smith et al.").emPanels.map(\.reused), [true, true])
        XCTAssertEqual(CaptionAnalysis.read("SEM image of the wires", creditsReference: true).emPanels.map(\.reused), [true])
        XCTAssertEqual(CaptionAnalysis.read("SEM image of the wires").emPanels.map(\.reused), [false])
    }

    func testScaleBars() {
        func bars(_ s: String) -> [[Double]] {
            let r = CaptionAnalysis.read(CaptionText.normalise(s))
            return r.panels.map(\.scaleBarsNm) + [r.figureScaleBarsNm]
        }
        XCTAssertEqual(bars("SEM image (scale bar = 30 μm)."), [[], [30_000]])
        XCTAssertEqual(bars("TEM image. Scale bars: 200 nm."), [[], [200]])
        XCTAssertEqual(bars("SEM image; bar, 1 µm."), [[], [1_000]])
        XCTAssertEqual(bars("HRTEM image (scale bar 5 Å)."), [[], [0.5]])
        XCTAssertEqual(bars("(a) SEM image; (b) TEM image. Scale bars: 2 µm (a), 50 nm (b)."), [[2_000], [50], []])
        XCTAssertEqual(bars("(a) SEM image, scale bar 500nm; (b) TEM image, bar = 20 nm."), [[500], [20], []])
    }

    func testDashesAndSpacesNormalised() {
        XCTAssertEqual(CaptionText.normalise("(a\u{2009}\u{2212}\u{2009}c)\u{00A0}SEM\n images"), "(a – c) SEM images")
        XCTAssertEqual(em("(a\u{2009}\u{2013}\u{2009}c) SEM images."), ["a:SEM", "b:SEM", "c:SEM"])
    }

    func testMalformedCaptionsNeverCrash() {
        for s in ["", "(", ")", "((((", "(a", "a–", "from a to", "(z–a) SEM", "bar", "scale bar = nm", "(a–zz) TEM",
                  String(repeating: "(a) ", count: 500), "\u{E000}", "SEM ± (", "(A–z) TEM"] {
            _ = CaptionAnalysis.read(s)
        }
        XCTAssertEqual(labels("(a–z) TEM images."), [], "a range over the whole alphabet is not a panel range")
    }
}
