#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DirectoryScanner {
    /// A directory the index does not know yet, listed and scanned with one name lookup in the
    /// kernel per file it reads, where `DirectoryListing.read` + `scan` made two.
    ///
    /// Replaces, for fresh directories only: an `fstatat` of every image and sidecar while listing,
    /// then an `openat` of each sidecar and of each TIFF/DM image without sidecar metadata — the same
    /// name resolved twice. Here the listing leaves images and sidecars un-stat'ed; a file that is
    /// opened gets its size and mtime from `fstat` on its descriptor, every other one from `fstatat`
    /// after the reads. The digest is computed from the same sizes and mtimes once all are known, so
    /// it is the digest `DirectoryListing.read(_:).digest` gives. The directory is also opened once,
    /// not twice (listing, then the scanner's `dirfd`).
    ///
    /// Any `stat` that fails (a file gone between `readdir` and now) makes the whole directory go the
    /// old way — `DirectoryListing.read` then `scan` — so findings and pairing stay exactly theirs.
    /// - Returns: the scan and the directory's subdirectories (unsorted).
    public static func scanFresh(_ path: String, options: ScanOptions) -> (scan: DirectoryScan, subdirectories: [String]) {
        var listing = DirectoryListing(path: path)
        guard let dir = listing.openDirectory() else { return (scan(listing, options: options), listing.subdirectories) }
        let pending = listing.readEntries(dir, statAll: false)
        let done = readFresh(&listing, pending: pending, directory: dirfd(dir), options: options)
        closedir(dir)
        if let done { return (done, listing.subdirectories) }
        let again = DirectoryListing.read(path)
        return (scan(again, options: options), again.subdirectories)
    }

    /// Reads every image of a listing made by `readEntries(_:statAll: false)` (`pending`: the files
    /// it left un-stat'ed) and stats the rest; nil when a file could not be stat'ed.
    static func readFresh(_ listing: inout DirectoryListing, pending: [Int], directory: Int32, options: ScanOptions) -> DirectoryScan? {
        let prefix = listing.path == "/" ? "/" : listing.path + "/"
        let pairing = Pairing(listing, prefix: prefix)
        var records: [ImageRecord] = []
        records.reserveCapacity(pairing.images.count)
        var buffer: [UInt8] = []
        let path = listing.path
        for image in pairing.images {
            guard readFresh(image.index, ext: image.ext, sidecar: image.sidecar, in: &listing, dirfd: directory,
                            directory: path, prefix: prefix, options: options, buffer: &buffer, into: &records) else { return nil }
        }
        // What was not opened: orphan and second sidecars, images whose sidecar was read.
        for index in pending where listing.files[index].size == DirectoryListing.unstatted {
            guard listing.statByName(index, in: directory) else { return nil }
        }
        return DirectoryScan(path: listing.path, digest: listing.digest(settings: options.fingerprint), images: records,
                             imageNames: pairing.images.map { listing.files[$0.index].name }, listingFindings: pairing.findings,
                             unreadable: listing.unreadable, fileCount: listing.files.count)
    }

    /// `readImage` for `listing.files[index]` and its sidecar, stat'ing either one on the
    /// descriptor it opens, or by name when it is not opened (or cannot be); the record is appended
    /// to `records` (returned as an `ImageRecord?`, it was copied twice more — with a retain and
    /// release of each of its strings — on its way into the array). False when a stat failed.
    static func readFresh(_ index: Int, ext: String, sidecar: Int?, in listing: inout DirectoryListing, dirfd: Int32,
                          directory: String, prefix: String, options: ScanOptions, buffer: inout [UInt8],
                          into records: inout [ImageRecord]) -> Bool {
        let unstatted = DirectoryListing.unstatted
        var findings: [ArchiveFinding] = []
        var fromSidecar: AcquisitionMetadata?
        var sidecarStamp: FileStamp?
        if let s = sidecar {
            let name = listing.files[s].name
            // The sidecar's path only when something needs it (a finding, a read by path): made
            // for every sidecar it was one heap `String` per image.
            let sidecarPath = { prefix + name }
            let bytes: Result<[UInt8], MetadataProblem>
            if listing.files[s].size == unstatted {
                let fd = ArchiveOpen.file(name, in: dirfd)
                if fd < 0 {
                    let code = errno
                    guard listing.statByName(s, in: dirfd) else { return false }
                    // `SmallFile.load` refuses a large file before it tries to open it.
                    let size = listing.files[s].size
                    bytes = size > SmallFile.limit ? SmallFile.tooLarge(size) : SmallFile.cannotOpen(code)
                } else {
                    defer { close(fd) }
                    var st = stat()
                    guard fstat(fd, &st) == 0 else { return false }
                    listing.setStat(s, st)
                    let size = listing.files[s].size
                    bytes = size > SmallFile.limit ? SmallFile.tooLarge(size) : SmallFile.readAll(fd, expectedSize: size, into: &buffer)
                }
            } else {
                // Already stat'ed: another image of the same base name read it, or `readdir` gave no type.
                bytes = SmallFile.load(sidecarPath(), name: name, in: dirfd, expectedSize: listing.files[s].size)
            }
            switch bytes.flatMap({ b in Result { () throws(MetadataProblem) in try MetadataReader.sidecar(b, legacy: options.legacyEncoding) } }) {
            case .success(let m): fromSidecar = m
            case .failure(let problem): findings.append(finding(problem, path: sidecarPath()))
            }
            sidecarStamp = FileStamp(name: name, size: listing.files[s].size, mtimeNs: listing.files[s].mtimeNs)
        }
        let name = listing.files[index].name
        let path = { prefix + name }
        var embedded: Result<AcquisitionMetadata?, MetadataProblem> = .success(nil)
        if fromSidecar == nil {
            let isTIFF = ext == "tif" || ext == "tiff", isDM = ext == "dm3" || ext == "dm4"
            if isTIFF || isDM {
                if listing.files[index].size == unstatted {
                    let fd = ArchiveOpen.file(name, in: dirfd)
                    if fd < 0 {
                        let code = errno
                        guard listing.statByName(index, in: dirfd) else { return false }
                        embedded = cannotOpenImage(code)
                    } else {
                        defer { close(fd) }
                        var st = stat()
                        guard fstat(fd, &st) == 0 else { return false }
                        listing.setStat(index, st)
                        embedded = readEmbedded(fd: fd, isDM: isDM, size: listing.files[index].size, legacy: options.legacyEncoding)
                    }
                } else {
                    embedded = readEmbedded(path: path(), name: name, in: dirfd, ext: ext, size: listing.files[index].size,
                                            legacy: options.legacyEncoding)
                }
            }
        }
        if listing.files[index].size == unstatted {
            guard listing.statByName(index, in: dirfd) else { return false }
        }
        // Fields read one by one, no `File` copied and no closure over `listing` (each cost a retain
        // and release of the name or of the whole `files` array, per image).
        let facts = ImageDerivation.FileFacts(directory: directory, name: name, fileExtension: ext,
                                              size: listing.files[index].size, mtimeNs: listing.files[index].mtimeNs,
                                              sidecar: sidecarStamp)
        if let m = fromSidecar {
            // metadataPath nil: derive names the sidecar (facts.sidecar) in its findings.
            records.append(ImageDerivation.derive(facts, metadata: m, origin: .sidecar, metadataPath: nil, options: options))
            return true
        }
        switch embedded {
        case .success(let m?):
            records.append(ImageDerivation.derive(facts, metadata: m, origin: .embedded, metadataPath: nil, options: options, findings: findings))
            return true
        case .success(nil):
            break
        case .failure(let problem):
            findings.append(finding(problem, path: path()))
        }
        records.append(ImageDerivation.derive(facts, metadata: nil, origin: nil, metadataPath: nil, options: options, findings: findings))
        return true
    }
}
