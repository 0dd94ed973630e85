import Core
import XCTest
@testable import Archive

final class DerivationTests: XCTestCase {
    func facts(mtime: Int64 = 1_500_000_000) -> ImageDerivation.FileFacts {
        ImageDerivation.FileFacts(directory: "/arch/SEM1", name: "a.tif", fileExtension: "tif", size: 10, mtimeNs: mtime * 1_000_000_000)
    }

    func testHitachiFallbackIs127mmOverMagnificationOnlyForSEM() {
        var sem = AcquisitionMetadata(format: .hitachiSEM)
        sem.magnification = 50_000
        sem.widthPx = 1280
        let r = ImageDerivation.derive(facts(), metadata: sem, origin: .sidecar, metadataPath: nil, options: .init())
        XCTAssertEqual(r.fovNm, 127e6 / 50_000)
        XCTAssertEqual(r.fovOrigin, .magnification)
        XCTAssertEqual(r.decadeNm, 100)   // bar 254 nm
        var tem = AcquisitionMetadata(format: .hitachiTEM)
        tem.magnification = 50_000
        let t = ImageDerivation.derive(facts(), metadata: tem, origin: .embedded, metadataPath: nil, options: .init())
        XCTAssertNil(t.fovNm, "TEM magnification refers to the camera plane; no 127 mm fallback")
        var zeiss = AcquisitionMetadata(format: .zeiss)
        zeiss.magnification = 50_000
        XCTAssertNil(ImageDerivation.derive(facts(), metadata: zeiss, origin: .embedded, metadataPath: nil, options: .init()).fovNm)
    }

    func testDecadesAndLabels() {
        XCTAssertEqual(ImageDerivation.decade(ofNm: 100), 100)
        XCTAssertEqual(ImageDerivation.decade(ofNm: 99.999), 10)
        XCTAssertEqual(ImageDerivation.decade(ofNm: 1000), 1000)
        XCTAssertEqual(ImageDerivation.decade(ofNm: 0.5), 0.1)
        XCTAssertNil(ImageDerivation.decade(ofNm: 0))
        XCTAssertEqual(ImageDerivation.label(decadeNm: 1), "1 nm")
        XCTAssertEqual(ImageDerivation.label(decadeNm: 100), "100 nm")
        XCTAssertEqual(ImageDerivation.label(decadeNm: 1000), "1 µm")
        XCTAssertEqual(ImageDerivation.label(decadeNm: 1e5), "100 µm")
        XCTAssertEqual(ImageDerivation.label(decadeNm: 1e6), "1 mm")
    }

    func testSTEMIsATransmissionDetectorOnAnSEM() {
        for (raw, technique) in [("BF-STEM", Technique.stem), ("DFSTEM", .stem), ("SE(U)", .sem), ("LA-BSE", .sem)] {
            var m = AcquisitionMetadata(format: .hitachiSEM)
            m.technique = .sem
            m.detector = raw
            XCTAssertEqual(ImageDerivation.derive(facts(), metadata: m, origin: .sidecar, metadataPath: nil, options: .init()).technique, technique, raw)
        }
    }

    func testFolderMapIsTheFallbackForInstrumentAndTechnique() {
        let options = ScanOptions(instruments: [InstrumentFolder(name: "SU8000", technique: .sem, path: "/arch/SEM1"),
                                                InstrumentFolder(name: "Other", technique: .tem, path: "/arch")])
        let bare = ImageDerivation.derive(facts(), metadata: nil, origin: nil, metadataPath: nil, options: options)
        XCTAssertEqual(bare.instrument, "SU8000")          // longest folder wins
        XCTAssertEqual(bare.instrumentOrigin, .folder)
        XCTAssertEqual(bare.technique, .sem)
        XCTAssertEqual(bare.dateOrigin, .mtime)
        XCTAssertTrue(bare.findings.contains { $0.kind == .noMetadata })
        XCTAssertEqual(options.folder(for: "/arch/SEM10/a.tif")?.name, "Other", "a folder matches whole path components only")
        var m = AcquisitionMetadata(format: .hitachiSEM)
        m.instrument = "SU8230"
        XCTAssertEqual(ImageDerivation.derive(facts(), metadata: m, origin: .sidecar, metadataPath: nil, options: options).instrument, "SU8230")
    }

    func testDateDisagreementBeyondToleranceIsReported() {
        var m = AcquisitionMetadata(format: .hitachiSEM)
        let d = AcquisitionDate(year: 2017, month: 7, day: 14, hour: 2, minute: 40)!
        m.date = d
        let near = ImageDerivation.derive(facts(mtime: d.epochSeconds + 10 * 3600), metadata: m, origin: .sidecar, metadataPath: nil, options: .init())
        XCTAssertFalse(near.findings.contains { $0.kind == .dateMismatch }, "a time-zone offset is not a disagreement")
        let far = ImageDerivation.derive(facts(mtime: d.epochSeconds + 40 * 86400), metadata: m, origin: .sidecar, metadataPath: nil, options: .init())
        XCTAssertTrue(far.findings.contains { $0.kind == .dateMismatch })
        XCTAssertEqual(far.date, d)
        XCTAssertEqual(far.dateOrigin, .metadata)
    }

    func testEpochConversionRoundTrips() {
        for t: Int64 in [0, 951_782_400, 1_709_251_199, -86_401, 4_102_444_800] {
            XCTAssertEqual(AcquisitionDate(epochSeconds: t).epochSeconds, t)
        }
        XCTAssertEqual(AcquisitionDate(epochSeconds: 951_782_400).description, "2000-02-29T00:00:00")
        XCTAssertNil(AcquisitionDate(year: 2019, month: 2, day: 29))
    }

    func testNumbersAreReadLocaleIndependentlyWithUnits() {
        XCTAssertEqual(HitachiText.volts("5000 Volt"), 5000)
        XCTAssertEqual(HitachiText.volts("1kV"), 1000)
        XCTAssertNil(HitachiText.volts("5000 furlongs"))
        XCTAssertEqual(HitachiText.magnificationInCondition("Vacc=1kV   Mag=x150k   WD=1.8mm"), 150_000)
        XCTAssertEqual(NumberParsing.leading("3.3724e-006"), 3.3724e-6)
        XCTAssertEqual(NumberParsing.leading("1e"), 1)
        XCTAssertEqual(DateParsing.time("05:06:40 PM").map { [$0.0, $0.1, $0.2] }, [17, 6, 40])
        XCTAssertEqual(DateParsing.time("12:00:01 AM").map { [$0.0, $0.1, $0.2] }, [0, 0, 1])
    }
}

/// Paths are made when asked, from the directory and the names.
final class DerivedPathTests: XCTestCase {
    func testFindingsOnSidecarMetadataNameTheSidecarWhenNoPathIsGiven() {
        var m = AcquisitionMetadata(format: .hitachiSEM)
        m.detector = "NoSuchDetector"
        m.warnings = ["odd value"]
        let facts = ImageDerivation.FileFacts(directory: "/arch/SEM1", name: "a.tif", fileExtension: "tif", size: 1, mtimeNs: 0,
                                              sidecar: FileStamp(name: "a.txt", size: 5, mtimeNs: 0))
        let r = ImageDerivation.derive(facts, metadata: m, origin: .sidecar, metadataPath: nil, options: .init())
        XCTAssertEqual(Set(r.findings.filter { $0.kind == .badValue || $0.kind == .unknownDetector }.map(\.path)), ["/arch/SEM1/a.txt"])
        // Embedded metadata: the image itself.
        let e = ImageDerivation.derive(facts, metadata: m, origin: .embedded, metadataPath: nil, options: .init())
        XCTAssertEqual(Set(e.findings.filter { $0.kind == .badValue }.map(\.path)), ["/arch/SEM1/a.tif"])
        XCTAssertEqual(r.path, "/arch/SEM1/a.tif")
    }

    func testPathsInTheRootDirectory() {
        let facts = ImageDerivation.FileFacts(directory: "/", name: "a.tif", fileExtension: "tif", size: 1, mtimeNs: 0,
                                              sidecar: FileStamp(name: "a.txt", size: 5, mtimeNs: 0))
        XCTAssertEqual(facts.path, "/a.tif")
        XCTAssertEqual(facts.sidecarPath, "/a.txt")
        XCTAssertEqual(ImageDerivation.derive(facts, metadata: nil, origin: nil, metadataPath: nil, options: .init()).path, "/a.tif")
    }
}
