import Core
import Foundation
import XCTest
@testable import Archive

/// The real vendor files must parse to the values in `../shared/corpora/em/README.md` and to what
/// RosettaSciIO's own tests assert for the same TIFFs (`PEER_ORACLES.json`, units translated).
final class RealMetadataTests: XCTestCase {
    func testHitachiS4800Sidecar() throws {
        let m = try MetadataReader.sidecar(try TestPaths.corpusBytes("hitachi-S4800-pesci_example.txt"))
        XCTAssertEqual(m.format, .hitachiSEM)
        XCTAssertEqual(m.instrument, "S-4800")
        XCTAssertEqual(m.date?.description, "2013-01-03T12:52:58")
        XCTAssertEqual(m.detector, "SE(U)")
        XCTAssertEqual(m.magnification, 150040)
        XCTAssertEqual(m.pixelSizeNm, 0.661282)
        XCTAssertEqual(m.widthPx, 1280); XCTAssertEqual(m.heightPx, 960)
        XCTAssertEqual(m.acceleratingVoltageV, 1000)
        XCTAssertEqual(m.imageName, "edge 150k fast2 .tif")
        XCTAssertNil(m.truncation)
        let r = derive(m, name: "example.tif")
        XCTAssertEqual(r.detectorClass, .se)
        XCTAssertEqual(r.technique, .sem)
        assertClose(r.fovNm, 846.4, relative: 1e-4)          // README: 846.4 nm
        assertClose(r.fovNm, 127e6 / 150040, relative: 1e-4)  // = 127 mm / Mag
        XCTAssertEqual(r.decadeNm, 10)                         // bar 84.6 nm → 10 nm decade
        XCTAssertTrue(r.findings.contains { $0.kind == .imageNameMismatch })
    }

    func testJEOLSidecars() throws {
        let a = try MetadataReader.sidecar(try TestPaths.corpusBytes("jeol-JSM7800F-nexuslims_text_preview_jeol_ansi.txt"))
        XCTAssertEqual(a.format, .jeol)
        XCTAssertEqual(a.instrument, "7800F")
        XCTAssertEqual(a.date?.description, "2023-07-13T14:38:59")
        XCTAssertEqual(a.detector, "LED")
        XCTAssertEqual(a.magnification, 1000)
        assertClose(a.pixelSizeNm, 94.34, relative: 1e-3)
        XCTAssertEqual(a.acceleratingVoltageV, 1000)
        assertClose(derive(a, name: "a.tif").fovNm, 120.8e3, relative: 1e-3)

        let b = try MetadataReader.sidecar(try TestPaths.corpusBytes("jeol-JXA8530F-probelab-reimager_image000.txt"))
        XCTAssertEqual(b.instrument, "8530F")
        XCTAssertEqual(b.date?.description, "2020-08-31T15:32:31")
        XCTAssertEqual(b.detector, "SEI")
        XCTAssertEqual(b.magnification, 95)
        assertClose(b.pixelSizeNm, 990.1, relative: 1e-4)
        XCTAssertEqual(b.acceleratingVoltageV, 7000)
        assertClose(derive(b, name: "b.tif").fovNm, 1.267e6, relative: 1e-3)
    }

    func testTescanHeader() throws {
        let m = try MetadataReader.sidecar(try TestPaths.corpusBytes("tescan-SOLARISX-tomo_mapper_tescan-minimal.hdr"))
        XCTAssertEqual(m.format, .tescan)
        XCTAssertEqual(m.instrument, "TESCAN SOLARIS X (S9252X)")
        XCTAssertEqual(m.date.map { "\($0.year)-\($0.month)-\($0.day)" }, "2024-2-7")
        XCTAssertEqual(m.detector, "SE")
        assertClose(m.pixelSizeNm, 50)
        XCTAssertEqual(m.acceleratingVoltageV, 5000)
        XCTAssertNil(m.magnification)
    }

    func testThermoFisherINIAndXMLAgree() throws {
        let ini = try FEIText.parse(utf8: try TestPaths.corpusBytes("thermofisher-tomo_mapper_SEM_Image-SliceImage-001_tag34682.txt"))
        let xml = try FEIXML.parse(utf8: try TestPaths.corpusBytes("thermofisher-tomo_mapper_SEM_Image-SliceImage-001_tag34683.xml"))
        for m in [ini, xml] {
            XCTAssertEqual(m.instrument, "Helios G4 PFIB CXe")
            XCTAssertEqual(m.date?.description, "2020-08-18T13:40:03")
            XCTAssertEqual(m.acceleratingVoltageV, 15000)
            assertClose(m.pixelSizeNm, 385.417, relative: 1e-5)
            XCTAssertEqual(m.widthPx, 1536)
            XCTAssertNil(m.magnification)
            assertClose(derive(m, name: "x.tif").fovNm, 592_000, relative: 1e-5)  // HFW 0.000592 m
            XCTAssertTrue(m.detector?.hasPrefix("ETD") ?? false)
        }
    }

    /// Tag 34680 on newer instruments: base64 of the UTF-8-BOM XML (the 34683 text, encoded here).
    func testFEISFEGTagBase64XMLAndTescanTagWithJunk() throws {
        let xml = try TestPaths.corpusBytes("thermofisher-tomo_mapper_SEM_Image-SliceImage-001_tag34683.xml")
        let encoded = Array(Data([0xEF, 0xBB, 0xBF] + xml).base64EncodedString(options: .lineLength76Characters).utf8)
        let tiff = TIFFHeader(width: 1536, height: 1094, tags: [34680: encoded + [0]])
        let m = try XCTUnwrap(try MetadataReader.embedded(tiff))
        XCTAssertEqual(m.format, .feiXML)
        XCTAssertEqual(m.instrument, "Helios G4 PFIB CXe")
        assertClose(m.pixelSizeNm, 385.417, relative: 1e-5)
        // Tescan tag 50431 sometimes carries binary bytes before the first key.
        let hdr = try TestPaths.corpusBytes("tescan-SOLARISX-tomo_mapper_tescan-minimal.hdr")
        let t = try XCTUnwrap(try MetadataReader.embedded(TIFFHeader(width: 10, height: 10, tags: [50431: [0x00, 0x13, 0xFE, 0x07] + hdr])))
        XCTAssertEqual(t.format, .tescan)
        XCTAssertEqual(t.instrument, "TESCAN SOLARIS X (S9252X)")
        XCTAssertEqual(t.widthPx, 10)   // the TIFF page when the text gives no frame
    }

    /// RosettaSciIO test_tiff.py:539–551 on FEI-Helios-Ebeam-8bits.tif.
    func testFEIHeliosTIFFAsRosettaSciIO() throws {
        let url = try TestPaths.corpusFile("tiff/FEI-Helios-Ebeam-8bits.tif")
        let bytes = Array(try Data(contentsOf: url))
        let tiff = try TIFFHeader.read(bytes, fileSize: bytes.count)
        XCTAssertEqual(tiff.width, 512); XCTAssertEqual(tiff.height, 471)   // the page includes the 29-row data bar
        let m = try XCTUnwrap(try MetadataReader.embedded(tiff))
        XCTAssertEqual(m.format, .feiINI)
        assertClose(m.pixelSizeNm.map { $0 / 1000 }, 3.3724, relative: 1e-5)  // µm
        XCTAssertEqual(m.date?.description, "2016-06-13T17:06:40")
        XCTAssertEqual(m.instrument, "Helios NanoLab\" 660")
        XCTAssertEqual(m.acceleratingVoltageV.map { $0 / 1000 }, 5.0)
        XCTAssertEqual(m.widthPx, 512); XCTAssertEqual(m.heightPx, 442)        // the scan frame, from [Image]
        assertClose(derive(m, name: "FEI-Helios-Ebeam-8bits.tif").fovNm, 1.72667e6, relative: 1e-5)
        XCTAssertEqual(m.detector, "ETD SE")
    }

    /// RosettaSciIO test_tiff.py:683–692 on test_tiff_Zeiss_SEM_1k.tif.
    func testZeissTIFFAsRosettaSciIO() throws {
        let url = try TestPaths.corpusFile("tiff/test_tiff_Zeiss_SEM_1k.tif")
        let bytes = Array(try Data(contentsOf: url))
        let tiff = try TIFFHeader.read(bytes, fileSize: bytes.count)
        XCTAssertEqual(tiff.width, 1024); XCTAssertEqual(tiff.height, 768)
        let m = try XCTUnwrap(try MetadataReader.embedded(tiff))
        XCTAssertEqual(m.format, .zeiss)
        assertClose(m.pixelSizeNm.map { $0 / 1000 }, 2.614514, relative: 1e-6)
        XCTAssertEqual(m.acceleratingVoltageV, 25000)
        XCTAssertEqual(m.magnification, 105)
        XCTAssertEqual(m.date?.description, "2015-12-23T09:40:32")
        XCTAssertEqual(m.detector, "HE-SE2")
        XCTAssertEqual(m.instrument, "Merlin")
        assertClose(derive(m, name: "z.tif").fovNm, 2.677e6, relative: 1e-3)
    }

    func testZeissMultipagePageZero() throws {
        let m = try ZeissSmartSEM.parse(latin1: try TestPaths.corpusBytes("zeiss-rosettasciio_ZEISS_SEM_multipage_p0_tag34118.txt"))
        XCTAssertEqual(m.instrument, "Auriga 60")
        XCTAssertEqual(m.date?.description, "2016-04-18T22:42:02")  // RosettaSciIO: page0 time 22:42:02
        XCTAssertEqual(m.detector, "InLens")
        XCTAssertEqual(m.magnification, 4530)
        XCTAssertEqual(m.widthPx, 2048); XCTAssertEqual(m.heightPx, 1536)
        assertClose(m.pixelSizeNm, 12.33, relative: 1e-3)
        XCTAssertEqual(m.acceleratingVoltageV, 1800)
        assertClose(m.statedFOVNm, 25_240, relative: 1e-9)             // "Width = 25.24 µm", Latin-1 µ
        assertClose(derive(m, name: "p0.tif").fovNm, 25_240, relative: 1e-3)
    }

    func derive(_ m: AcquisitionMetadata, name: String) -> ImageRecord {
        let t = m.date?.epochSeconds ?? 0
        let facts = ImageDerivation.FileFacts(directory: "/a", name: name, fileExtension: "tif",
                                              size: 1, mtimeNs: t * 1_000_000_000)
        return ImageDerivation.derive(facts, metadata: m, origin: .sidecar, metadataPath: "/a/" + name, options: ScanOptions())
    }
}
