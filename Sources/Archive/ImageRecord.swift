import Core

/// Where an image's metadata came from.
public enum MetadataOrigin: String, Hashable, Sendable, Codable {
    case sidecar, embedded
}

/// Where a derived value came from, for values with a fallback.
public enum ValueOrigin: String, Hashable, Sendable, Codable {
    /// Read from the image's metadata.
    case metadata
    /// From the study's folder → instrument map.
    case folder
    /// The file's modification time (dates only).
    case mtime
    /// Computed from the Hitachi 127 mm frame reference and the magnification (FOV only).
    case magnification
}

/// One image of the archive as the index keeps it: the file's identity (path, size, mtime) and
/// everything derived from its metadata.
public struct ImageRecord: Hashable, Sendable {
    /// Absolute path of the image (made when asked: a stored copy was one heap `String` per image).
    public var path: String { ArchivePaths.joined(directory, name) }
    /// Absolute path of its directory.
    public var directory: String
    public var name: String
    /// Lower-cased extension without the dot (`tif`, `jpg`, `dm3`).
    public var fileExtension: String
    public var size: Int64
    /// Modification time, nanoseconds since the epoch.
    public var mtimeNs: Int64
    /// The sidecar's file name, size and mtime, when there is one.
    public var sidecar: FileStamp?

    public var metadataFormat: MetadataFormat?
    public var metadataOrigin: MetadataOrigin?
    public var instrument: String?
    public var instrumentOrigin: ValueOrigin?
    public var technique: Technique?
    public var detector: String?
    public var detectorClass: DetectorClass?
    /// The acquisition date from metadata, when it has one.
    public var acquiredAt: AcquisitionDate?
    /// The date used for counting: metadata, else mtime.
    public var date: AcquisitionDate
    public var dateOrigin: ValueOrigin
    public var magnification: Double?
    public var pixelSizeNm: Double?
    public var widthPx: Int?
    public var heightPx: Int?
    public var fovNm: Double?
    public var fovOrigin: ValueOrigin?
    /// The conditional scale bar: FOV / 10.
    public var scaleBarNm: Double?
    /// 10^floor(log10(scale bar in nm)), in nm.
    public var decadeNm: Double?
    public var acceleratingVoltageV: Double?
    /// Problems found with this image (no metadata, name mismatch, …), reported by `check`.
    public var findings: [ArchiveFinding]

    public var year: Int { date.year }
}

/// A file's name, size and modification time — what decides whether it changed.
public struct FileStamp: Hashable, Sendable {
    public var name: String
    public var size: Int64
    public var mtimeNs: Int64
    public init(name: String, size: Int64, mtimeNs: Int64) {
        self.name = name
        self.size = size
        self.mtimeNs = mtimeNs
    }
}
