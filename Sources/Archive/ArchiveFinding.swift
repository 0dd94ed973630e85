/// Something `lostdata archive check` reports. Every file the walk meets ends up indexed as an
/// image, used as a sidecar, or named in one of these.
public struct ArchiveFinding: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// An image with neither a sidecar nor embedded metadata.
        case noMetadata = "no-metadata"
        /// A sidecar (`NAME.txt`, `NAME.hdr`) without an image of the same name.
        case orphanSidecar = "orphan-sidecar"
        /// Metadata that is not a format lostdata reads, or is binary junk.
        case unparseable
        /// Metadata cut short (values before the cut are still used).
        case truncated
        /// Hitachi `ImageName` differs from the file's name (a renamed file).
        case imageNameMismatch = "image-name-mismatch"
        /// The metadata date and the file's mtime differ by more than the tolerance.
        case dateMismatch = "date-mismatch"
        /// A detector name `DetectorVocabulary` does not know.
        case unknownDetector = "unknown-detector"
        /// A metadata value that could not be read (an impossible date, …).
        case badValue = "bad-value"
        /// An image recorded by a detector of light, not electrons (a navigation-camera photo):
        /// indexed with its FOV, but with no technique, so never counted as acquired EM.
        case notElectronImage = "not-electron-image"
        /// A file that is neither an image nor a sidecar.
        case ignored
        /// A symbolic link; never followed (no loops, no double counting).
        case symlink
        /// A directory or file that could not be opened or read.
        case unreadable

        /// Findings about the directory listing itself, rather than one image's metadata.
        public var isListingLevel: Bool {
            switch self {
            case .orphanSidecar, .ignored, .symlink, .unreadable: return true
            default: return false
            }
        }
    }

    public var kind: Kind
    /// The file concerned.
    public var path: String
    public var message: String
    /// The line in `path` the problem is on, when known.
    public var line: Int?

    public init(_ kind: Kind, path: String, _ message: String, line: Int? = nil) {
        self.kind = kind
        self.path = path
        self.message = message
        self.line = line
    }
}
