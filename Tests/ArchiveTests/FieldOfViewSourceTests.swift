import Foundation
import XCTest
import Core
@testable import Archive

/// Issue 16: the field of view comes from the right source. Zeiss SmartSEM: the stated `Width`
/// (or `Height`) is the authority and the pixel is FOV ÷ the saved image's width; FEI/Thermo
/// navigation-camera photos are not electron images, and their FOV is read from their own section.
final class FieldOfViewSourceTests: XCTestCase {
    /// A little-endian 8-bit TIFF of `width`×`height` (pixels not stored: the reader needs only the
    /// IFD) with one private ASCII/BYTE tag.
    static func tiff(width: Int, height: Int, tag: UInt16, payload: [UInt8]) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
        let entries: [(Int, Int, Int, [UInt8])] = [
            (256, 3, 1, le16(width) + [0, 0]), (257, 3, 1, le16(height) + [0, 0]), (258, 3, 1, le16(8) + [0, 0]),
            (259, 3, 1, le16(1) + [0, 0]), (262, 3, 1, le16(1) + [0, 0]), (277, 3, 1, le16(1) + [0, 0]),
            (Int(tag), 1, payload.count, []),
        ]
        let payloadOffset = 8 + 2 + 12 * entries.count + 4
        var out: [UInt8] = [0x49, 0x49, 42, 0] + le32(8) + le16(entries.count)
        for (t, type, count, value) in entries {
            out += le16(t) + le16(type) + le32(count) + (t == Int(tag) ? le32(payloadOffset) : value)
        }
        return out + le32(0) + payload
    }

    /// Zeiss tag 34118 text, CRLF and Latin-1 µ (0xB5), in the layout of the real files.
    static func zeiss(store: String, pixelSize: String, imagePixelSize: String?, width: String, height: String, leading: String?) -> [UInt8] {
        var lines = ["0", "0", "0", leading ?? "0", "1.0e+002", "6"]
        lines += ["DP_SEM", "Sem = Merlin", "AP_MAG", "Mag = 1.00 K X", "DP_IMAGE_STORE", "Store resolution = \(store)",
                  "AP_PIXEL_SIZE", "Pixel Size = \(pixelSize)", "AP_WIDTH", "Width = \(width)", "AP_HEIGHT", "Height = \(height)",
                  "DP_DETECTOR_CHANNEL", "Signal A = InLens", "AP_DATE", "Date :25 Sep 2018", "AP_TIME", "Time :8:20:42"]
        if let imagePixelSize { lines += ["AP_IMAGE_PIXEL_SIZE", "Image Pixel Size = \(imagePixelSize)"] }
        return lines.joined(separator: "\r\n").unicodeScalars.map { UInt8($0.value) } + [0]
    }

    func embedded(_ bytes: [UInt8]) throws -> AcquisitionMetadata {
        try XCTUnwrap(try MetadataReader.embedded(try TIFFHeader.read(bytes, fileSize: bytes.count)))
    }

    func derive(_ m: AcquisitionMetadata) -> ImageRecord {
        let t = m.date?.epochSeconds ?? 0
        let facts = ImageDerivation.FileFacts(directory: "/a", name: "x.tif", fileExtension: "tif", size: 1, mtimeNs: t * 1_000_000_000)
        return ImageDerivation.derive(facts, metadata: m, origin: .embedded, metadataPath: nil, options: ScanOptions())
    }

    /// The case: a 512-px image saved from a 1024-px scan says `Pixel Size = 5.825 nm`
    /// (the reference frame's) while its `Width` is 5.965 µm: its own pixel is 11.65 nm.
    func testZeissImageSavedSmallerThanTheScanTakesItsPixelFromTheStatedWidth() throws {
        let tag = Self.zeiss(store: "1024 * 768", pixelSize: "5.825 nm", imagePixelSize: "5.825 nm",
                             width: "5.965 \u{B5}m", height: "4.474 \u{B5}m", leading: "5.825195e-009")
        let m = try embedded(Self.tiff(width: 512, height: 384, tag: 34118, payload: tag))
        XCTAssertEqual(m.widthPx, 512); XCTAssertEqual(m.heightPx, 384)
        assertClose(m.pixelSizeNm, 11.65, relative: 1e-3)
        XCTAssertEqual(m.warnings, [], "pixel sizes that refer to the scan agree with the width")
        let r = derive(m)
        assertClose(r.fovNm, 5_965, relative: 1e-3)
        XCTAssertEqual(r.technique, .sem)
    }

    func testZeissPixelSizeDisagreeingWithTheStatedWidthIsAFindingAndTheWidthWins() throws {
        // The store is the image's size, yet its pixel size says half the width's: inconsistent.
        let tag = Self.zeiss(store: "512 * 384", pixelSize: "5.825 nm", imagePixelSize: "5.825 nm",
                             width: "5.965 \u{B5}m", height: "4.474 \u{B5}m", leading: nil)
        let m = try embedded(Self.tiff(width: 512, height: 384, tag: 34118, payload: tag))
        assertClose(m.pixelSizeNm, 11.65, relative: 1e-3)
        XCTAssertEqual(m.warnings.count, 1)
        XCTAssertTrue(m.warnings.first?.contains("disagrees with the stated field of view") ?? false, "\(m.warnings)")
        let r = derive(m)
        assertClose(r.fovNm, 5_965, relative: 1e-3)
        XCTAssertEqual(r.findings.map(\.kind), [.badValue])
        // Within 1 %: no finding (5.965 µm ÷ 1024 px = 5.825 nm; 5.86 nm is 0.6 % off, 5.94 nm 2 %).
        let close = Self.zeiss(store: "512 * 384", pixelSize: "5.86 nm", imagePixelSize: nil, width: "5.965 \u{B5}m", height: "4.474 \u{B5}m", leading: nil)
        XCTAssertEqual(try embedded(Self.tiff(width: 1024, height: 768, tag: 34118, payload: close)).warnings, [])
        let off = Self.zeiss(store: "512 * 384", pixelSize: "5.94 nm", imagePixelSize: nil, width: "5.965 \u{B5}m", height: "4.474 \u{B5}m", leading: nil)
        XCTAssertEqual(try embedded(Self.tiff(width: 1024, height: 768, tag: 34118, payload: off)).warnings.count, 1)
    }

    func testZeissWithoutWidthUsesHeightScaledByTheImageAspect() throws {
        var text = String(decoding: Self.zeiss(store: "1024 * 768", pixelSize: "5.825 nm", imagePixelSize: nil,
                                               width: "5.965 \u{B5}m", height: "4.474 \u{B5}m", leading: nil).map { $0 == 0xB5 ? UInt8(ascii: "u") : $0 }, as: UTF8.self)
        text = text.replacingOccurrences(of: "AP_WIDTH\r\nWidth = 5.965 um\r\n", with: "")
        let m = try embedded(Self.tiff(width: 512, height: 384, tag: 34118, payload: Array(text.utf8)))
        assertClose(m.statedFOVNm, 4_474 * 512 / 384, relative: 1e-6)
        assertClose(m.pixelSizeNm, 4_474.0 / 384, relative: 1e-6)
    }

    /// FEI INI of a navigation-camera photo: the [EBeam]/[Scan] values are the electron beam's
    /// (micrometres); the photo's own section says about 0.2 m.
    static let navCam = """
    [User]\r
    Date=06/13/2016\r
    Time=05:06:40 PM\r
    [System]\r
    SystemType=Helios NanoLab" 660\r
    [Beam]\r
    HV=\r
    [EBeam]\r
    HFW=0.000592\r
    [Scan]\r
    PixelWidth=3.854e-007\r
    [Image]\r
    ResolutionX=1536\r
    ResolutionY=1024\r
    [Detectors]\r
    Name=Nav-Cam\r
    Mode=None\r
    [Nav-Cam]\r
    HFW=0.2048\r
    PixelWidth=0.0002\r
    ResolutionX=1024\r
    ResolutionY=768\r

    """

    func testNavCamPhotoIsNotAnElectronImageAndKeepsItsOwnFieldOfView() throws {
        let m = try embedded(Self.tiff(width: 1024, height: 768, tag: 34682, payload: Array(Self.navCam.utf8) + [0]))
        XCTAssertEqual(m.detector, "Nav-Cam")
        assertClose(m.statedFOVNm, 0.2048e9)
        assertClose(m.pixelSizeNm, 0.0002e9)
        XCTAssertNil(m.acceleratingVoltageV, "empty HV=")
        let r = derive(m)
        XCTAssertNil(r.technique, "neither SEM, TEM nor STEM")
        XCTAssertEqual(r.detectorClass, .navigationCamera)
        assertClose(r.fovNm, 0.2048e9, relative: 1e-9)
        XCTAssertEqual(r.findings.map(\.kind), [.notElectronImage])
        XCTAssertEqual(DetectorVocabulary.classify("Nav-Cam"), .navigationCamera)
        XCTAssertEqual(DetectorVocabulary.classify("ETD SE"), .se)
    }

    func testNavCamWithoutItsOwnSectionHasNoFieldOfViewRatherThanTheBeams() throws {
        let text = Self.navCam.components(separatedBy: "[Nav-Cam]")[0]
        let m = try embedded(Self.tiff(width: 1024, height: 768, tag: 34682, payload: Array(text.utf8) + [0]))
        XCTAssertNil(m.statedFOVNm); XCTAssertNil(m.pixelSizeNm)
        XCTAssertEqual(m.warnings.count, 1)
        XCTAssertNil(derive(m).fovNm)
    }
}
