/// `lostdata archive inspect FILE`: what one image or metadata file yields, exactly as a scan
/// would index it.
public enum Inspection {
    /// For an image, its sidecar (same folder, same base name) or embedded metadata is read; for
    /// a sidecar, the image beside it if there is one, else the sidecar alone.
    public static func inspect(_ rawPath: String, options: ScanOptions = .init()) throws(InspectionError) -> ImageRecord {
        let path = ArchivePaths.normalise(rawPath)
        let slash = path.lastIndex(of: "/")!
        let directory = ArchivePaths.resolved(slash == path.startIndex ? "/" : String(path[..<slash]))
        let name = String(path[path.index(after: slash)...])
        let listing = DirectoryListing.read(directory)
        guard let file = listing.files.first(where: { $0.name == name }) else {
            throw InspectionError(path: path, message: listing.unreadable ? "cannot read its directory" : "no such regular file (symbolic links are not followed)")
        }
        let (base, ext) = ArchiveFileKinds.split(name)
        let prefix = directory == "/" ? "/" : directory + "/"
        func sidecar(for base: Substring) -> DirectoryListing.File? {
            listing.files.filter { $0.kind == .sidecar && ArchiveFileKinds.split($0.name).base == base }
                .min { ArchiveFileKinds.split($0.name).ext == "txt" && ArchiveFileKinds.split($1.name).ext != "txt" }
        }
        switch file.kind {
        case .image:
            return DirectoryScanner.readImage(file, base: base, ext: ext, directory: directory, prefix: prefix,
                                              sidecar: sidecar(for: base), options: options)
        case .sidecar:
            if let image = listing.files.first(where: { $0.kind == .image && ArchiveFileKinds.split($0.name).base == base }) {
                let (b, e) = ArchiveFileKinds.split(image.name)
                return DirectoryScanner.readImage(image, base: b, ext: e, directory: directory, prefix: prefix, sidecar: file, options: options)
            }
            // A sidecar alone: read it as if it described an image of its own name.
            return DirectoryScanner.readImage(file, base: base, ext: ext, directory: directory, prefix: prefix, sidecar: file, options: options)
        case .other:
            throw InspectionError(path: path, message: "not an image (.tif .tiff .jpg .jpeg .png .bmp .dm3 .dm4) or a sidecar (.txt .hdr)")
        }
    }
}

public struct InspectionError: Error, Sendable {
    public var path: String
    public var message: String
}
