import Foundation
import XCTest
@testable import Archive

/// Bad bytes must give a reported problem, never a crash: every reader is fed deterministic
/// mutations of real and fixture files (bit flips, cuts, splices) and random bytes.
final class MalformedInputTests: XCTestCase {
    func samples() throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        for name in ["hitachi-su8230-utf16le.txt", "hitachi-su8000-cp1251.txt", "hitachi-su8000-cp932.txt",
                     "ht7700-embedded.tif", "gatan-tem.dm3", "gatan-tem.dm4"] {
            out.append(try TestPaths.fixtureBytes(name))
        }
        for name in ["hitachi-S4800-pesci_example.txt", "jeol-JSM7800F-nexuslims_text_preview_jeol_ansi.txt",
                     "thermofisher-tomo_mapper_SEM_Image-SliceImage-001_tag34683.xml",
                     "zeiss-rosettasciio_test_tiff_Zeiss_SEM_1k_tag34118.txt", "tiff/FEI-Helios-Ebeam-8bits.tif"] {
            if let b = try? TestPaths.corpusBytes(name) { out.append(b) }
        }
        return out
    }

    func feed(_ bytes: [UInt8]) {
        // Text readers on a whole 250 KB TIFF only cost time; binary readers get everything.
        if bytes.count <= 65_536 { feedText(bytes) }
        _ = try? GatanDM.read(bytes, fileSize: bytes.count)
        if let tiff = try? TIFFHeader.read(bytes, fileSize: bytes.count) { _ = try? MetadataReader.embedded(tiff) }
        // A size that lies (the file changed between stat and read).
        _ = try? TIFFHeader.read(bytes, fileSize: bytes.count + 1000)
        _ = try? GatanDM.read(bytes, fileSize: bytes.count + 1000)
    }

    func feedText(_ bytes: [UInt8]) {
        _ = try? MetadataReader.sidecar(bytes)
        _ = try? MetadataReader.sidecar(bytes, legacy: .cp932)
        _ = try? ZeissSmartSEM.parse(latin1: bytes, imageWidth: 1024)
        _ = try? FEIXML.parse(utf8: bytes)
        _ = try? FEIText.parse(utf8: bytes)
        _ = try? JEOLSidecar.parse(utf8: bytes)
        _ = try? TescanHeader.parse(utf8: bytes)
    }

    /// A fuzzing finding (fuzz/run.sh, fei-xml harness, CI run of 2026-12-05): an acquisition
    /// date that is only the date/time separator ("T") left nothing to split and crashed the
    /// reader. Kept as `Fixtures/em/fei-xml-fuzz-date-T.xml`, the fuzzer's input byte for byte.
    func testFEIXMLDateOfOnlyTheSeparatorIsAWarning() throws {
        for xml in [try TestPaths.fixtureBytes("fei-xml-fuzz-date-T.xml"),
                    Array("<Metadata><Acquisition><AcquisitionDatetime>T</AcquisitionDatetime></Acquisition></Metadata>".utf8),
                    Array("<Metadata><Acquisition><AcquisitionDatetime>T10:11:12</AcquisitionDatetime></Acquisition></Metadata>".utf8)] {
            let m = try FEIXML.parse(utf8: xml)
            XCTAssertNil(m.date)
            XCTAssertTrue(m.warnings.contains { $0.hasPrefix("impossible date 'T") }, "\(m.warnings)")
        }
        let good = try FEIXML.parse(utf8: Array("<Metadata><Acquisition><AcquisitionDatetime>2018-03-04T10:11:12</AcquisitionDatetime></Acquisition></Metadata>".utf8))
        XCTAssertNotNil(good.date)
        XCTAssertEqual(good.warnings, [])
    }

    /// A fuzzing finding (fuzz/run.sh, zeiss harness, CI run of 2026-12-05): a stated width of
    /// 1e300 nm reached `String(Int(_:))` in the pixel-size warning and trapped. Any length a file
    /// states is now written, however large; so is a scale-bar decade that large.
    func testZeissLengthsBeyondAnyIntAreWrittenNotTrapped() throws {
        for width in ["1e300 nm", "1e290 m", "9.3e18 nm"] {
            let text = "AP_WIDTH\nWidth = \(width)\nAP_PIXEL_SIZE\nPixel Size = 5.825 nm\nAP_MAG\nMag = 50.00 K X\nEND\n"
            let m = try ZeissSmartSEM.parse(latin1: Array(text.utf8), imageWidth: 1024)
            let warning = try XCTUnwrap(m.warnings.first { $0.contains("disagrees") }, "\(width): \(m.warnings)")
            XCTAssertTrue(warning.contains("by 100 %"), warning)
            XCTAssertTrue(m.statedFOVNm.map { $0 > 9e18 } ?? false)
        }
        XCTAssertEqual(ImageDerivation.label(decadeNm: 1e300), "1e+294 mm")
        XCTAssertEqual(ImageDerivation.label(decadeNm: .infinity), "inf mm")
        XCTAssertEqual(ImageDerivation.label(decadeNm: 1e5), "100 µm")
    }

    func testMutatedFilesNeverCrash() throws {
        var rng = SplitMix64(seed: 99)
        let inputs = try samples()
        XCTAssertGreaterThanOrEqual(inputs.count, 6)
        var fed = 0
        for original in inputs {
            for round in 0..<200 {
                var b = original
                switch round % 4 {
                case 0:  // flip bytes
                    for _ in 0..<(1 + rng.int(0...8)) where !b.isEmpty { b[rng.int(0...(b.count - 1))] = UInt8(truncatingIfNeeded: rng.next()) }
                case 1:  // cut
                    b = Array(b.prefix(rng.int(0...b.count)))
                case 2:  // splice a random block in
                    let at = rng.int(0...b.count)
                    b.insert(contentsOf: (0..<rng.int(1...64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
                default: // overwrite a header word with an extreme value
                    if b.count >= 12 { for k in 4..<12 { b[k] = rng.chance(0.5) ? 0xFF : 0x00 } }
                }
                feed(b)
                fed += 1
            }
        }
        for _ in 0..<500 { feed((0..<rng.int(0...2048)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }); fed += 1 }
        XCTAssertGreaterThan(fed, 1500)
    }
}
