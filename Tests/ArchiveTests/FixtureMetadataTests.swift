import Core
import XCTest
@testable import Archive

/// Corner cases the real samples lack: encodings, date spellings, truncation, embedded TEM text,
/// damaged TIFFs (fixtures in Fixtures/em, written for these tests).
final class FixtureMetadataTests: XCTestCase {
    func testUTF16LEWithBOMAndYearFirstDate() throws {
        let bytes = try TestPaths.fixtureBytes("hitachi-su8230-utf16le.txt")
        // A byte search for the key finds nothing in UTF-16 — the reason for sniffing.
        XCTAssertNil(String(decoding: bytes, as: UTF8.self).range(of: "SignalName="))
        XCTAssertEqual(TextSniffing.utf8(bytes).encoding, .utf16LE)
        let m = try MetadataReader.sidecar(bytes)
        XCTAssertEqual(m.instrument, "SU8230")
        XCTAssertEqual(m.date?.description, "2021-06-23T09:05:07")
        XCTAssertEqual(m.detector, "DF-STEM")
        XCTAssertNil(m.pixelSizeNm)
        XCTAssertEqual(m.acceleratingVoltageV, 30000)
    }

    func testLegacyCodePagesAreSniffed() throws {
        let cyr = try TestPaths.fixtureBytes("hitachi-su8000-cp1251.txt")
        let (u1, e1) = TextSniffing.utf8(cyr)
        XCTAssertEqual(e1, .cp1251)
        XCTAssertTrue(String(decoding: u1, as: UTF8.self).contains("Образец наночастиц"))
        let jp = try TestPaths.fixtureBytes("hitachi-su8000-cp932.txt")
        let (u2, e2) = TextSniffing.utf8(jp)
        XCTAssertEqual(e2, .cp932)
        XCTAssertTrue(String(decoding: u2, as: UTF8.self).contains("試料ナノ粒子"))
        let west = try TestPaths.fixtureBytes("hitachi-s4800-cp1252.txt")
        let (u3, e3) = TextSniffing.utf8(west)
        XCTAssertEqual(e3, .cp1252)
        XCTAssertTrue(String(decoding: u3, as: UTF8.self).contains("5 µm Körnchen"))
        // Values are read whatever the encoding.
        XCTAssertEqual(try MetadataReader.sidecar(cyr).date?.description, "2012-02-29T17:45:00")   // MM/DD/YYYY, leap day
        XCTAssertEqual(try MetadataReader.sidecar(jp).detector, "SE(L)")
        let w = try MetadataReader.sidecar(west)
        XCTAssertEqual(w.acceleratingVoltageV, 3000)   // "3 kV"
        XCTAssertEqual(DetectorVocabulary.classify(w.detector ?? ""), .se)  // SE(U,LA0)
        // A configured code page overrides the guess.
        XCTAssertEqual(TextSniffing.utf8(cyr, legacy: .cp1252).encoding, .cp1252)
    }

    func testTruncatedSidecarKeepsItsValuesAndIsReported() throws {
        let m = try MetadataReader.sidecar(try TestPaths.fixtureBytes("hitachi-truncated.txt"))
        XCTAssertNotNil(m.truncation)
        XCTAssertEqual(m.magnification, 25000)
        XCTAssertEqual(m.detector, "PDBSE")
        let r = derive(m)
        XCTAssertTrue(r.findings.contains { $0.kind == .truncated })
        XCTAssertEqual(r.detectorClass, .pdBSE)
    }

    func testImpossibleDateAndUnknownDetectorAreReportedNotGuessed() throws {
        let m = try MetadataReader.sidecar(try TestPaths.fixtureBytes("hitachi-bad-values.txt"))
        XCTAssertNil(m.date)
        XCTAssertEqual(m.warnings.count, 1)
        let r = derive(m, mtime: AcquisitionDate(year: 2019, month: 5, day: 1)!)
        XCTAssertEqual(r.dateOrigin, .mtime)
        XCTAssertEqual(r.year, 2019)
        XCTAssertNil(r.detectorClass)
        XCTAssertEqual(r.detector, "EBIC")
        XCTAssertTrue(r.findings.contains { $0.kind == .unknownDetector })
        XCTAssertTrue(r.findings.contains { $0.kind == .badValue })
    }

    func testHT7700EmbeddedTemImageFileInBigEndianTIFF() throws {
        let bytes = try TestPaths.fixtureBytes("ht7700-embedded.tif")
        let tiff = try TIFFHeader.read(bytes, fileSize: bytes.count)
        XCTAssertEqual(tiff.width, 16)
        let m = try XCTUnwrap(try MetadataReader.embedded(tiff))
        XCTAssertEqual(m.format, .hitachiTEM)
        XCTAssertEqual(m.technique, .tem)
        XCTAssertEqual(m.instrument, "HT7700")
        XCTAssertEqual(m.widthPx, 2048)            // DataSize, not the stored 16-px page
        XCTAssertEqual(m.acceleratingVoltageV, 100000)
        let r = derive(m)
        assertClose(r.fovNm, 0.296 * 2048)         // PixelSize × width, never 127 mm / Mag for TEM
        XCTAssertEqual(r.decadeNm, 10)             // bar 60.6 nm
        XCTAssertEqual(r.technique, .tem)
    }

    func testDamagedTIFFsAreReportedWithTheirReason() throws {
        let cut = try TestPaths.fixtureBytes("ht7700-truncated.tif")
        XCTAssertThrowsError(try TIFFHeader.read(cut, fileSize: cut.count)) { e in
            guard case MetadataProblem.truncated = e else { return XCTFail("\(e)") }
        }
        let notTIFF = try TestPaths.fixtureBytes("not-a-tiff.tif")
        XCTAssertThrowsError(try TIFFHeader.read(notTIFF, fileSize: notTIFF.count)) { e in
            guard case MetadataProblem.unparseable = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try MetadataReader.sidecar([0x00, 0x9F, 0x13, 0xFF, 0x00, 0x81])) { e in
            guard case MetadataProblem.unparseable = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try MetadataReader.sidecar([])) { e in
            guard case MetadataProblem.truncated = e else { return XCTFail("\(e)") }
        }
    }

    /// DM3 and DM4 (fixtures written to Gatan's layout: a thumbnail and a main image, a struct, a
    /// struct array and pixel arrays that must be skipped, UTF-16 strings).
    func testGatanDM3AndDM4CalibrationsAndMicroscopeTags() throws {
        for name in ["gatan-tem.dm3", "gatan-tem.dm4"] {
            let bytes = try TestPaths.fixtureBytes(name)
            let m = try XCTUnwrap(try GatanDM.read(bytes, fileSize: bytes.count), name)
            XCTAssertEqual(m.format, .gatanDM)
            XCTAssertEqual(m.technique, .tem)
            XCTAssertEqual(m.instrument, "JEM-2100F")
            XCTAssertEqual(m.widthPx, 2048, "the main image, not the 8-px thumbnail")
            XCTAssertEqual(m.pixelSizeNm, 0.0625)
            XCTAssertEqual(m.acceleratingVoltageV, 200_000)
            XCTAssertEqual(m.magnification, 50_000)
            XCTAssertEqual(m.date?.description, "2019-03-14T10:22:33")
            XCTAssertEqual(derive(m).fovNm, 128)
        }
        let cut = try TestPaths.fixtureBytes("gatan-truncated.dm3")
        XCTAssertThrowsError(try GatanDM.read(cut, fileSize: cut.count)) { e in
            guard case MetadataProblem.truncated = e else { return XCTFail("\(e)") }
        }
        let notDM: [UInt8] = [0, 0, 0, 9, 1, 2, 3, 4]
        XCTAssertThrowsError(try GatanDM.read(notDM, fileSize: notDM.count))
    }

    func derive(_ m: AcquisitionMetadata, mtime: AcquisitionDate? = nil) -> ImageRecord {
        let t = (mtime ?? m.date)?.epochSeconds ?? 0
        let facts = ImageDerivation.FileFacts(directory: "/a", name: "x.tif", fileExtension: "tif",
                                              size: 1, mtimeNs: t * 1_000_000_000)
        return ImageDerivation.derive(facts, metadata: m, origin: .sidecar, metadataPath: "/a/x.txt", options: ScanOptions())
    }
}
