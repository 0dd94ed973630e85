#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one directory yields: its image records and the findings about its listing.
public struct DirectoryScan: Sendable {
    public var path: String
    public var digest: UInt64
    /// Records of the images that were (re-)read.
    public var images: [ImageRecord]
    /// Names of every image in the directory (read or not) — rows for other names are forgotten.
    public var imageNames: [String]
    /// Orphan sidecars, ignored files, symlinks, unreadable entries.
    public var listingFindings: [ArchiveFinding]
    public var unreadable: Bool
    /// Files met (images, sidecars and others), for progress.
    public var fileCount: Int
}

/// Pairs images with sidecars in one directory and reads their metadata.
public enum DirectoryScanner {
    /// Scans a listed directory. `reread` says which image names to read; nil reads them all.
    /// `digest` is the listing's digest when the caller has already computed it (the walk has).
    public static func scan(_ listing: DirectoryListing, options: ScanOptions, reread: Set<String>? = nil,
                            digest: UInt64? = nil) -> DirectoryScan {
        let prefix = listing.path == "/" ? "/" : listing.path + "/"
        let pairing = Pairing(listing, prefix: prefix)
        var records: [ImageRecord] = []
        records.reserveCapacity(pairing.images.count)
        // Files are opened relative to the directory: the kernel resolves one name, not the path.
        let dirfd = ArchiveOpen.path(listing.path, directory: true)
        defer { if dirfd >= 0 { close(dirfd) } }
        for image in pairing.images where reread?.contains(listing.files[image.index].name) ?? true {
            records.append(readImage(listing.files[image.index], ext: image.ext, directory: listing.path, prefix: prefix,
                                     sidecar: image.sidecar.map { listing.files[$0] }, options: options, dirfd: dirfd))
        }
        return DirectoryScan(path: listing.path, digest: digest ?? listing.digest(settings: options.fingerprint), images: records,
                             imageNames: pairing.images.map { listing.files[$0.index].name }, listingFindings: pairing.findings,
                             unreadable: listing.unreadable, fileCount: listing.files.count)
    }

    static func readImage(_ file: DirectoryListing.File, base: Substring, ext: String, directory: String, prefix: String,
                          sidecar: DirectoryListing.File?, options: ScanOptions, dirfd: Int32 = -1) -> ImageRecord {
        readImage(file, ext: ext, directory: directory, prefix: prefix, sidecar: sidecar, options: options, dirfd: dirfd)
    }

    /// Reads one image's metadata (its sidecar, else what the image embeds) into its record.
    static func readImage(_ file: DirectoryListing.File, ext: String, directory: String, prefix: String,
                          sidecar: DirectoryListing.File?, options: ScanOptions, dirfd: Int32 = -1) -> ImageRecord {
        let path = prefix + file.name
        let facts = ImageDerivation.FileFacts(directory: directory, name: file.name, fileExtension: ext,
                                              size: file.size, mtimeNs: file.mtimeNs,
                                              sidecar: sidecar.map { FileStamp(name: $0.name, size: $0.size, mtimeNs: $0.mtimeNs) })
        var findings: [ArchiveFinding] = []
        if let s = sidecar {
            let sidecarPath = prefix + s.name
            let result = SmallFile.load(sidecarPath, name: s.name, in: dirfd, expectedSize: s.size).flatMap { bytes in
                Result { () throws(MetadataProblem) in try MetadataReader.sidecar(bytes, legacy: options.legacyEncoding) }
            }
            switch result {
            case .success(let m):
                return ImageDerivation.derive(facts, metadata: m, origin: .sidecar, metadataPath: sidecarPath, options: options)
            case .failure(let problem):
                findings.append(finding(problem, path: sidecarPath))
            }
        }
        let embedded = readEmbedded(path: path, name: file.name, in: dirfd, ext: ext, size: file.size, legacy: options.legacyEncoding)
        switch embedded {
        case .success(let m?):
            return ImageDerivation.derive(facts, metadata: m, origin: .embedded, metadataPath: path, options: options, findings: findings)
        case .success(nil):
            break
        case .failure(let problem):
            findings.append(finding(problem, path: path))
        }
        return ImageDerivation.derive(facts, metadata: nil, origin: nil, metadataPath: nil, options: options, findings: findings)
    }

    /// Metadata inside the image file: TIFF private tags, DM3/DM4 tags. JPEG/PNG/BMP re-saves
    /// carry none, so they are not opened.
    public static func readEmbedded(path: String, name: String? = nil, in dirfd: Int32 = -1, ext: String, size: Int64,
                                    legacy: TextEncodingName?) -> Result<AcquisitionMetadata?, MetadataProblem> {
        // Compared, not hashed: two equality tests of short strings are cheaper than two hashes.
        let isTIFF = ext == "tif" || ext == "tiff", isDM = ext == "dm3" || ext == "dm4"
        assert(isTIFF == ArchiveFileKinds.tiff.contains(ext) && isDM == ArchiveFileKinds.gatan.contains(ext))
        guard isTIFF || isDM else { return .success(nil) }
        let fd = dirfd >= 0 && name != nil ? ArchiveOpen.file(name!, in: dirfd) : ArchiveOpen.path(path)
        guard fd >= 0 else { return cannotOpenImage(errno) }
        defer { close(fd) }
        return readEmbedded(fd: fd, isDM: isDM, size: size, legacy: legacy)
    }

    static func cannotOpenImage(_ code: Int32) -> Result<AcquisitionMetadata?, MetadataProblem> {
        .failure(.unparseable("cannot open the image: \(DirectoryListing.errorText(code))"))
    }

    /// The embedded metadata of an open TIFF (or, with `isDM`, DigitalMicrograph) file of `size` bytes.
    static func readEmbedded(fd: Int32, isDM: Bool, size: Int64, legacy: TextEncodingName?) -> Result<AcquisitionMetadata?, MetadataProblem> {
        let source = PrefetchedBytes(fd: fd, headSize: Int(min(size, 8192)))
        return Result { () throws(MetadataProblem) -> AcquisitionMetadata? in
            if isDM { return try GatanDM.read(source, fileSize: Int(size)) }
            let tiff = try TIFFHeader.read(source, fileSize: Int(size))
            return try MetadataReader.embedded(tiff, legacy: legacy)
        }
    }

    static func finding(_ p: MetadataProblem, path: String) -> ArchiveFinding {
        switch p {
        case .unparseable(let m): return ArchiveFinding(.unparseable, path: path, m)
        case .truncated(let m): return ArchiveFinding(.truncated, path: path, m)
        }
    }
}
