@testable import Archive
import Core
import Foundation
import XCTest

/// `ImageDerivation.derive` (one unwrap of the metadata, folder map asked only when needed,
/// decades by table, detector names looked up as they are) against `StringDerivation`, the code
/// it replaced, on random metadata; and the table lookups against what they replace.
final class DerivationFastPathTests: XCTestCase {
    typealias SplitMix = FastPathEquivalenceTests.SplitMix

    func testDeriveMatchesTheDerivationItReplaced() {
        var rng = SplitMix(state: 53)
        let options = [
            ScanOptions(instruments: [InstrumentFolder(name: "SU8000", technique: .sem, path: "/a/SU8000"),
                                      InstrumentFolder(name: "HT", technique: .tem, path: "/a/HT")]),
            ScanOptions(),
            ScanOptions(instruments: [InstrumentFolder(name: "Root", technique: .tem, path: "/")], dateToleranceHours: 0),
        ]
        let dirs = ["/a/SU8000/2019", "/a/HT", "/b"]
        let names = ["SU8000_1.tif", "x.TIF", "é.jpg", "long_image_name_beyond_fifteen.tif"]
        let detectors = ["SE(U)", "se(u)", " SE(U) ", "LA-BSE", "BF-STEM", "DF", "ETD SE", "SE(U,LA0)", "EBIC", "", "MIX(SE(U)+LA-BSE)", "Ünknown"]
        let saved = ["SU8000_1.TIF", " x.tif ", "other.tif", "É.jpg", "", "long_image_name_beyond_fifteen.TIF"]
        for _ in 0..<6000 {
            let dir = dirs.randomElement(using: &rng)!, name = names.randomElement(using: &rng)!
            let mtime = Int64.random(in: 1_300_000_000...1_700_000_000, using: &rng) * 1_000_000_000 + Int64.random(in: 0..<1_000_000_000, using: &rng)
            let file = ImageDerivation.FileFacts(directory: dir, name: name, fileExtension: "tif",
                                                 size: 1234, mtimeNs: Bool.random(using: &rng) ? mtime : -mtime / 7,
                                                 sidecar: Bool.random(using: &rng) ? FileStamp(name: "x.txt", size: 9, mtimeNs: 5) : nil)
            var m: AcquisitionMetadata? = nil
            if Int.random(in: 0..<5, using: &rng) > 0 {
                var a = AcquisitionMetadata(format: MetadataFormat.allCases.randomElement(using: &rng)!)
                func maybe<T>(_ v: @autoclosure () -> T) -> T? { Bool.random(using: &rng) ? v() : nil }
                a.instrument = maybe("S-4800")
                a.technique = maybe(Technique.allCases.randomElement(using: &rng)!)
                a.detector = maybe(detectors.randomElement(using: &rng)!)
                a.date = maybe(AcquisitionDate(epochSeconds: mtime / 1_000_000_000 + Int64.random(in: -300_000...300_000, using: &rng)))
                a.magnification = maybe([0, -1, 150_000, 24_644.5].randomElement(using: &rng)!)
                a.pixelSizeNm = maybe([0, 4.02608, 1771.76, 1e-30].randomElement(using: &rng)!)
                a.widthPx = maybe([0, 1280, 4096].randomElement(using: &rng)!)
                a.heightPx = maybe(960)
                a.statedFOVNm = maybe([0, 5e3, 1e40].randomElement(using: &rng)!)
                a.acceleratingVoltageV = maybe(15000)
                if Bool.random(using: &rng) {
                    let s = saved.randomElement(using: &rng)!
                    if Bool.random(using: &rng) { a.imageName = s } else {
                        let buffer = Array(("ImageName=" + s + "\r\n").utf8)
                        a.savedImageName = LazyText(buffer, 10..<(buffer.count - 2))
                    }
                }
                a.truncation = maybe("cut")
                if Int.random(in: 0..<4, using: &rng) == 0 { a.warnings = ["w1", "w2"] }
                m = a
            }
            let opts = options.randomElement(using: &rng)!
            let initial = Bool.random(using: &rng) ? [] : [ArchiveFinding(.unparseable, path: "/p", "bad")]
            let path: String? = Bool.random(using: &rng) ? dir + "/x.txt" : nil
            let origin: MetadataOrigin? = m == nil ? nil : .sidecar
            let new = ImageDerivation.derive(file, metadata: m, origin: origin, metadataPath: path, options: opts, findings: initial)
            let old = StringDerivation.derive(file, metadata: m, origin: origin, metadataPath: path, options: opts, findings: initial)
            XCTAssertEqual(new, old, "\(String(describing: m))")
            XCTAssertEqual(new.findings, old.findings)
            XCTAssertEqual(new.decadeNm?.bitPattern, old.decadeNm?.bitPattern)
        }
    }

    /// `derive` takes the date drift on seconds: file times round-trip through `AcquisitionDate`.
    func testEpochSecondsRoundTripThroughAcquisitionDate() {
        var rng = SplitMix(state: 101)
        var ts: [Int64] = [0, -1, 86399, 86400, -86400, Int64.max / 1_000_000_000, Int64.min / 1_000_000_000 - 1, 951_782_400]
        for _ in 0..<20000 { ts.append(Int64.random(in: (Int64.min / 1_000_000_000 - 1)...(Int64.max / 1_000_000_000), using: &rng)) }
        for t in ts { XCTAssertEqual(AcquisitionDate(epochSeconds: t).epochSeconds, t, "\(t)") }
    }

    /// The ISO text written two digits at a time against `description`, in range and out of it
    /// (out of range falls back to `description` itself).
    func testISOTextMatchesTheDescription() {
        var rng = SplitMix(state: 103)
        var dates: [AcquisitionDate] = []
        for _ in 0..<20000 {
            var d = AcquisitionDate(epochSeconds: Int64.random(in: -9_000_000_000...9_000_000_000, using: &rng))
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: d.year = Int.random(in: -20...10_020, using: &rng)
            case 1: d.month = Int.random(in: -2...120, using: &rng)
            case 2: d.second = Int.random(in: 95...105, using: &rng)
            case 3: d.year = [0, 9, 10, 99, 100, 999, 1000, 9999, 10000].randomElement(using: &rng)!
            default: break
            }
            dates.append(d)
        }
        for d in dates { XCTAssertEqual(d.withISOText { String(decoding: $0, as: UTF8.self) }, d.description, "\(d)") }
    }

    func testDecadeTableMatchesTheLogarithm() {
        var rng = SplitMix(state: 59)
        var xs: [Double] = [1, 10, 100, 0.1, 0.01, 99.999, 1e-30, 1e31, 9.99e30, 1e-31, 0.5, 12.7, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for e in -35...35 {
            let p = ImageDerivation.pow10(e)
            xs += [p, p.nextUp, p.nextDown, p * 5]
        }
        for _ in 0..<20000 { xs.append(pow(10, Double.random(in: -34...34, using: &rng))) }
        for x in xs {
            XCTAssertEqual(ImageDerivation.decade(ofNm: x)?.bitPattern, ImageDerivation.decadeByLog(x)?.bitPattern, "\(x)")
        }
        XCTAssertNil(ImageDerivation.decade(ofNm: .infinity))
        XCTAssertNil(ImageDerivation.decade(ofNm: .nan))
        XCTAssertNil(ImageDerivation.decade(ofNm: -1))
    }

    func testDetectorNamesLookedUpAsTheyAreMatchTheTrimmedUpperCaseLookup() {
        var names = Array(DetectorVocabulary.classes.keys)
        names += names.map { $0.lowercased() } + names.map { " \($0)\t" } + names.map { $0 + "\r\n" }
        names += ["", " ", "SE(U,LA0)", "ETD SE", "ß", "İ", "SEİ", "\u{301}SE", "SE\u{301}", "se", "EBIC"]
        var rng = SplitMix(state: 61)
        let alphabet = Array("SEBLADFTU()- ,+/seı\t\r\n\0é")
        for _ in 0..<5000 { names.append(String((0..<Int.random(in: 0...7, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })) }
        for raw in names {
            XCTAssertEqual(DetectorVocabulary.classify(raw), StringDerivation.classify(raw), raw.debugDescription)
            if DetectorVocabulary.isUpperTrimmedASCII(raw) { XCTAssertEqual(raw.trimmingSpaces.uppercased(), raw, raw.debugDescription) }
        }
    }
}

/// The derivation and detector lookup as they were before (main at bc5e070): reference only.
enum StringDerivation {
    static func classify(_ raw: String) -> DetectorClass? {
        let name = raw.trimmingSpaces.uppercased()
        guard !name.isEmpty else { return nil }
        let classes = DetectorVocabulary.classes
        if let c = classes[name] { return c }
        if let p = name.firstIndex(of: "("), let c = classes[String(name[..<p]).trimmingSpaces] { return c }
        let words = name.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "+" || $0 == "/" })
        if let last = words.last, let c = classes[String(last)] { return c }
        if let first = words.first, let c = classes[String(first)] { return c }
        return nil
    }

    static func derive(_ file: ImageDerivation.FileFacts, metadata: AcquisitionMetadata?, origin: MetadataOrigin?,
                       metadataPath: String?, options: ScanOptions, findings initial: [ArchiveFinding] = []) -> ImageRecord {
        let folder = options.folder(for: file.path)
        let mtimeDate = AcquisitionDate(epochSeconds: ImageDerivation.floorDiv(file.mtimeNs, 1_000_000_000))
        var r = ImageRecord(directory: file.directory, name: file.name, fileExtension: file.fileExtension,
                            size: file.size, mtimeNs: file.mtimeNs, sidecar: file.sidecar,
                            date: mtimeDate, dateOrigin: .mtime, findings: initial)
        // Since round 6 the walk passes no metadata path for sidecar metadata: the sidecar named
        // in the file facts is where it was read.
        let where_ = metadataPath ?? (origin == .sidecar ? file.sidecar.map { file.directory + "/" + $0.name } : nil) ?? file.path
        if let m = metadata {
            r.metadataFormat = m.format
            r.metadataOrigin = origin
            for w in m.warnings { r.findings.append(ArchiveFinding(.badValue, path: where_, w)) }
            if let t = m.truncation { r.findings.append(ArchiveFinding(.truncated, path: where_, t)) }
        }
        if let i = metadata?.instrument { r.instrument = i; r.instrumentOrigin = .metadata }
        else if let f = folder { r.instrument = f.name; r.instrumentOrigin = .folder }
        if let d = metadata?.detector {
            r.detector = d
            r.detectorClass = classify(d)
            if r.detectorClass == nil {
                r.findings.append(ArchiveFinding(.unknownDetector, path: where_, "unknown detector '\(d)'; add it to DetectorVocabulary or report it"))
            }
        }
        let base = metadata?.technique ?? metadata.flatMap { ImageDerivation.defaultTechnique[$0.format] } ?? folder?.technique
        if let c = r.detectorClass, c.isTransmission, base == .sem || base == nil { r.technique = .stem } else { r.technique = base }
        if let d = metadata?.date {
            r.acquiredAt = d
            r.date = d
            r.dateOrigin = .metadata
            let drift = abs(d.epochSeconds - mtimeDate.epochSeconds)
            if drift > options.dateToleranceSeconds {
                r.findings.append(ArchiveFinding(.dateMismatch, path: file.path,
                                                 "metadata date \(d) and file time \(mtimeDate) differ by \(drift / 86400) day(s); the metadata date is used"))
            }
        }
        if let saved = metadata?.imageName, !saved.isEmpty, !ImageNameMatch.sameByCharacter(saved: saved, name: file.name) {
            r.findings.append(ArchiveFinding(.imageNameMismatch, path: file.path, "saved as '\(saved)', now named '\(file.name)'"))
        }
        r.magnification = metadata?.magnification
        r.pixelSizeNm = metadata?.pixelSizeNm
        r.widthPx = metadata?.widthPx
        r.heightPx = metadata?.heightPx
        r.acceleratingVoltageV = metadata?.acceleratingVoltageV
        if let p = r.pixelSizeNm, let w = r.widthPx, p > 0, w > 0 {
            r.fovNm = p * Double(w); r.fovOrigin = .metadata
        } else if let f = metadata?.statedFOVNm, f > 0 {
            r.fovNm = f; r.fovOrigin = .metadata
            if r.pixelSizeNm == nil, let w = r.widthPx, w > 0 { r.pixelSizeNm = f / Double(w) }
        } else if metadata?.format == .hitachiSEM, let mag = r.magnification, mag > 0 {
            r.fovNm = ImageDerivation.hitachiFrameWidthNm / mag; r.fovOrigin = .magnification
            if r.pixelSizeNm == nil, let w = r.widthPx, w > 0 { r.pixelSizeNm = r.fovNm! / Double(w) }
        }
        if let fov = r.fovNm {
            r.scaleBarNm = fov / 10
            r.decadeNm = ImageDerivation.decadeByLog(fov / 10)
        }
        if metadata == nil {
            r.findings.append(ArchiveFinding(.noMetadata, path: file.path, "no sidecar and no embedded metadata"))
        }
        return r
    }
}
