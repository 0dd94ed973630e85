import Foundation
import Core

/// Turns what was read about an image into the fields the paper counts by: instrument, technique,
/// detector class, date, FOV and the conditional scale bar.
public enum ImageDerivation {
    /// Hitachi SEM magnification refers to a 127 mm wide frame (5-inch Polaroid). Used only for
    /// Hitachi SEM images without PixelSize; never for TEM, never for other vendors.
    public static let hitachiFrameWidthNm = 127e6

    /// Formats whose metadata can only come from an SEM (their technique before detector rules).
    static let defaultTechnique: [MetadataFormat: Technique] = [
        .hitachiSEM: .sem, .hitachiTEM: .tem, .jeol: .sem, .tescan: .sem, .feiINI: .sem, .feiXML: .sem, .zeiss: .sem,
    ]

    public struct FileFacts: Sendable {
        public var directory: String, name: String, fileExtension: String
        public var size: Int64, mtimeNs: Int64
        public var sidecar: FileStamp?
        public init(directory: String, name: String, fileExtension: String, size: Int64, mtimeNs: Int64, sidecar: FileStamp? = nil) {
            (self.directory, self.name, self.fileExtension, self.size, self.mtimeNs, self.sidecar) =
                (directory, name, fileExtension, size, mtimeNs, sidecar)
        }

        /// The image's path, made when asked (for the folder map and for findings): a stored path
        /// was one heap `String` per image of a scan.
        public var path: String { ArchivePaths.joined(directory, name) }
        /// The sidecar's path, when there is one.
        public var sidecarPath: String? { sidecar.map { ArchivePaths.joined(directory, $0.name) } }
    }

    /// The metadata is unwrapped once and read through that one binding (each `metadata?.field`
    /// of before could copy the whole struct — a retain and release of each of its references —
    /// ~15 times per image); the folder map is asked only when the metadata names no instrument
    /// or technique; the record is built once from locals at the end (built first and then
    /// mutated field by field, it was copied into the result and the local destroyed: a retain
    /// and release of each of its strings per image). Same fields and findings, in the same order.
    public static func derive(_ file: FileFacts, metadata: AcquisitionMetadata?, origin: MetadataOrigin?,
                              metadataPath: String?, options: ScanOptions, findings initial: [ArchiveFinding] = []) -> ImageRecord {
        // The file time as a calendar date only where it is used (the date of an image without
        // one in its metadata, a mismatch message); the drift is taken on seconds
        // (`AcquisitionDate(epochSeconds: t).epochSeconds == t`: the conversions are inverses).
        let mtimeSeconds = floorDiv(file.mtimeNs, 1_000_000_000)
        var findings = initial
        guard let m = metadata else {
            // No metadata: instrument and technique from the folder map, nothing else.
            let folder = options.folder(for: file.path)
            findings.append(ArchiveFinding(.noMetadata, path: file.path, "no sidecar and no embedded metadata"))
            return ImageRecord(directory: file.directory, name: file.name, fileExtension: file.fileExtension,
                               size: file.size, mtimeNs: file.mtimeNs, sidecar: file.sidecar,
                               instrument: folder?.name, instrumentOrigin: folder == nil ? nil : .folder, technique: folder?.technique,
                               date: AcquisitionDate(epochSeconds: mtimeSeconds), dateOrigin: .mtime, findings: findings)
        }
        // Where the metadata was read, for its findings: given, else the sidecar's path for
        // sidecar metadata, else the image's — made only when a finding needs it.
        func where_() -> String { metadataPath ?? (origin == .sidecar ? file.sidecarPath : nil) ?? file.path }
        for w in m.warnings { findings.append(ArchiveFinding(.badValue, path: where_(), w)) }
        if let t = m.truncation { findings.append(ArchiveFinding(.truncated, path: where_(), t)) }
        // Instrument: metadata, else the folder map (looked up only when needed).
        var instrument: String? = nil, instrumentOrigin: ValueOrigin? = nil
        if let i = m.instrument { instrument = i; instrumentOrigin = .metadata }
        else if let f = options.folder(for: file.path) { instrument = f.name; instrumentOrigin = .folder }
        // Detector and its class.
        var detectorClass: DetectorClass? = nil
        if let d = m.detector {
            detectorClass = DetectorVocabulary.classify(d)
            if detectorClass == nil {
                findings.append(ArchiveFinding(.unknownDetector, path: where_(), "unknown detector '\(d)'; add it to DetectorVocabulary or report it"))
            }
        }
        // Technique: what the metadata implies, else the folder; a STEM detector on an SEM makes STEM.
        let base = m.technique ?? defaultTechnique[m.format] ?? options.folder(for: file.path)?.technique
        let technique: Technique?
        if let c = detectorClass, c.isTransmission, base == .sem || base == nil { technique = .stem }
        else if let c = detectorClass, !c.isElectron {
            // A navigation-camera photo on an SEM: no EM technique, listed by `archive check`.
            technique = nil
            findings.append(ArchiveFinding(.notElectronImage, path: file.path, "\(m.detector ?? c.rawValue) image: a navigation-camera photo, not an electron image; not counted as acquired EM"))
        } else { technique = base }
        // Date: metadata, else mtime; both kept, disagreements reported.
        if let d = m.date {
            let drift = abs(d.epochSeconds - mtimeSeconds)
            if drift > options.dateToleranceSeconds {
                let mtimeDate = AcquisitionDate(epochSeconds: mtimeSeconds)
                findings.append(ArchiveFinding(.dateMismatch, path: file.path,
                                               "metadata date \(d) and file time \(mtimeDate) differ by \(drift / 86400) day(s); the metadata date is used"))
            }
        }
        // Renamed files.
        if let saved = m.savedImageName, !saved.isEmpty, !ImageNameMatch.same(saved: saved, name: file.name) {
            findings.append(ArchiveFinding(.imageNameMismatch, path: file.path, "saved as '\(saved)', now named '\(file.name)'"))
        }
        // FOV = PixelSize × frame width; else the vendor's stated width; else (Hitachi SEM only) 127 mm / Mag.
        var pixelSizeNm = m.pixelSizeNm
        var fovNm: Double? = nil, fovOrigin: ValueOrigin? = nil
        if let p = pixelSizeNm, let w = m.widthPx, p > 0, w > 0 {
            fovNm = p * Double(w); fovOrigin = .metadata
        } else if let f = m.statedFOVNm, f > 0 {
            fovNm = f; fovOrigin = .metadata
            if pixelSizeNm == nil, let w = m.widthPx, w > 0 { pixelSizeNm = f / Double(w) }
        } else if m.format == .hitachiSEM, let mag = m.magnification, mag > 0 {
            let fov = hitachiFrameWidthNm / mag
            fovNm = fov; fovOrigin = .magnification
            if pixelSizeNm == nil, let w = m.widthPx, w > 0 { pixelSizeNm = fov / Double(w) }
        }
        return ImageRecord(directory: file.directory, name: file.name, fileExtension: file.fileExtension,
                           size: file.size, mtimeNs: file.mtimeNs, sidecar: file.sidecar,
                           metadataFormat: m.format, metadataOrigin: origin, instrument: instrument, instrumentOrigin: instrumentOrigin,
                           technique: technique, detector: m.detector, detectorClass: detectorClass,
                           acquiredAt: m.date, date: m.date ?? AcquisitionDate(epochSeconds: mtimeSeconds), dateOrigin: m.date == nil ? .mtime : .metadata,
                           magnification: m.magnification, pixelSizeNm: pixelSizeNm, widthPx: m.widthPx, heightPx: m.heightPx,
                           fovNm: fovNm, fovOrigin: fovOrigin, scaleBarNm: fovNm.map { $0 / 10 },
                           decadeNm: fovNm.flatMap { decade(ofNm: $0 / 10) }, acceleratingVoltageV: m.acceleratingVoltageV,
                           findings: findings)
    }

    /// 10^floor(log10(x)) for x > 0, exact for powers of ten.
    public static func decade(ofNm x: Double) -> Double? {
        guard x > 0, x.isFinite else { return nil }
        if let d = decadeByTable(x) { return d }
        return decadeByLog(x)
    }

    /// `pow10(e)` for e = -30 … 31, ascending.
    static let decades: [Double] = (-30...31).map(pow10)

    /// `decadeByLog` by a binary search of `decades`: the largest `pow10(e)` ≤ x, which is what
    /// `decadeByLog`'s rounded-down log10 and its two corrections arrive at (the table is strictly
    /// increasing, and log10 is off by less than one) — without `log10` and the multiplication
    /// loops of `pow10` per image. nil outside the table (then `decadeByLog` answers).
    static func decadeByTable(_ x: Double) -> Double? {
        decades.withUnsafeBufferPointer { t in
            guard x >= t[0], x < t[t.count - 1] else { return nil }
            var lo = 0, hi = t.count - 1  // t[lo] <= x < t[hi]
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if t[mid] <= x { lo = mid } else { hi = mid }
            }
            return t[lo]
        }
    }

    static func decadeByLog(_ x: Double) -> Double? {
        guard x > 0, x.isFinite else { return nil }
        var e = Int(log10(x).rounded(.down))
        // Guard against log10 rounding just below an exact power of ten.
        if pow10(e + 1) <= x { e += 1 }
        if pow10(e) > x { e -= 1 }
        return pow10(e)
    }

    static func pow10(_ e: Int) -> Double {
        var v = 1.0
        if e >= 0 { for _ in 0..<e { v *= 10 } } else { for _ in 0..<(-e) { v /= 10 } }
        return v
    }

    /// `1 nm`, `10 nm`, `100 nm`, `1 µm`, … `1 mm`.
    public static func label(decadeNm d: Double) -> String {
        let units: [(Double, String)] = [(1e6, "mm"), (1e3, "µm"), (1, "nm"), (1e-3, "pm")]
        for (f, u) in units where d >= f * 0.999 {
            let v = d / f
            return (v >= 1 ? NumberText.rounded(v) : String(v)) + " " + u
        }
        return "\(d) nm"
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }
}
