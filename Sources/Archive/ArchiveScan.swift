import Core
import Foundation

/// What the walk hands to whoever stores the index, one directory at a time.
public enum DirectoryOutcome: Sendable {
    /// Nothing in the directory changed since it was indexed (same digest): nothing was read.
    case unchanged(path: String, fileCount: Int)
    /// A directory not in the index: every image was read.
    case fresh(DirectoryScan)
    /// A known directory whose digest changed: the listing, for the index to decide which images
    /// to re-read (`DirectoryScanner.scan(_:options:reread:)`).
    case changed(DirectoryListing, digest: UInt64)
}

/// The parallel walk of an archive: directories are listed and scanned by a bounded number of
/// concurrent tasks; each outcome is handed to `consume` in turn, which may suspend (to write a
/// batch to the database) — the walk never runs more than `width` directories ahead, so memory
/// stays bounded whatever the archive's size.
public enum ArchiveScan {
    /// - Parameters:
    ///   - roots: absolute directory paths.
    ///   - knownDigests: the digest each directory had when last indexed.
    ///   - width: directories in flight (default: twice the cores, so that one waiting on the disk
    ///     does not idle a core).
    public static func walk(roots: [String], options: ScanOptions, knownDigests: [String: UInt64],
                            width: Int = defaultWidth,
                            consume: (DirectoryOutcome) async throws -> Void) async throws {
        let settings = options.fingerprint
        try await withThrowingTaskGroup(of: (DirectoryOutcome, [String]).self) { group in
            var pending = roots.reversed() as [String]
            var inFlight = 0
            func task(_ path: String) -> @Sendable () async -> (DirectoryOutcome, [String]) {
                { () async -> (DirectoryOutcome, [String]) in
                    guard let known = knownDigests[path] else {
                        // Not indexed yet: every file is read, so one name lookup per file is enough.
                        let (scan, subdirectories) = DirectoryScanner.scanFresh(path, options: options)
                        return (.fresh(scan), subdirectories.sorted())
                    }
                    let listing = DirectoryListing.read(path)
                    let digest = listing.digest(settings: settings)
                    let subdirectories = listing.subdirectories.sorted()
                    if known == digest { return (.unchanged(path: path, fileCount: listing.files.count), subdirectories) }
                    return (.changed(listing, digest: digest), subdirectories)
                }
            }
            while inFlight < width, let next = pending.popLast() { group.addTask(operation: task(next)); inFlight += 1 }
            while let (outcome, subdirectories) = try await group.next() {
                inFlight -= 1
                pending.append(contentsOf: subdirectories.reversed())
                while inFlight < width, let next = pending.popLast() { group.addTask(operation: task(next)); inFlight += 1 }
                try await consume(outcome)
            }
        }
    }

    public static var defaultWidth: Int { max(4, ProcessInfo.processInfo.activeProcessorCount * 2) }
}
