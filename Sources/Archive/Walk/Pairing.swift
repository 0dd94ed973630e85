#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DirectoryScanner {
    /// Which sidecar goes with which image in one listing, and the findings about the rest (orphan
    /// and second sidecars, ignored files) — from names only, nothing is read. An image `NAME.ext`
    /// pairs with `NAME.txt`, else `NAME.hdr` (base names compared as `String`s; a `.txt` wins over
    /// a `.hdr`, the first of a kind is kept).
    struct Pairing {
        struct Image: Equatable {
            /// Index in the listing's `files`.
            var index: Int
            /// Lower-cased extension.
            var ext: String
            /// Index in `files` of its sidecar.
            var sidecar: Int?
        }

        /// Images in listing order.
        var images: [Image] = []
        /// The listing's findings, then ignored files in listing order, then orphan and second
        /// sidecars in listing order.
        var findings: [ArchiveFinding]

        init(findings: [ArchiveFinding]) { self.findings = findings }

        init(_ listing: DirectoryListing, prefix: String) {
            self = Self.byBytes(listing, prefix: prefix) ?? Self.byString(listing, prefix: prefix)
        }

        /// The definition: names split with `ArchiveFileKinds.split`, base names hashed as `Substring`s.
        static func byString(_ listing: DirectoryListing, prefix: String) -> Pairing {
            var pairing = Pairing(findings: listing.findings)
            var imageBases = Set<Substring>()
            var sidecarsByBase: [Substring: Int] = [:]
            var images: [(Int, Substring, String)] = []
            var sidecars: [(Int, Substring)] = []
            // Sized for the listing up front: grown one insertion at a time, the map and set were
            // rehashed several times per directory (the synthetic archive averages ~140 files per folder).
            let files = listing.files
            sidecarsByBase.reserveCapacity(files.count); imageBases.reserveCapacity(files.count)
            images.reserveCapacity(files.count); sidecars.reserveCapacity(files.count)
            for (i, f) in files.enumerated() {
                let (base, ext) = ArchiveFileKinds.split(f.name)
                switch f.kind {
                case .image: images.append((i, base, ext)); imageBases.insert(base)
                case .sidecar:
                    if sidecarsByBase[base] == nil || ext == "txt" { sidecarsByBase[base] = i }
                    sidecars.append((i, base))  // split once: the check below needs the base again
                case .other:
                    pairing.findings.append(ignored(f.name, ext: ext, prefix: prefix))
                }
            }
            for (i, base) in sidecars {
                if !imageBases.contains(base) {
                    pairing.findings.append(orphan(files[i].name, base: base, prefix: prefix))
                } else if let used = sidecarsByBase[base], used != i {
                    pairing.findings.append(second(files[i].name, base: base, used: files[used].name, prefix: prefix))
                }
            }
            pairing.images = images.map { Image(index: $0.0, ext: $0.2, sidecar: sidecarsByBase[$0.1]) }
            return pairing
        }

        /// The same on the names' bytes, for a listing whose names are all ASCII (nil otherwise).
        ///
        /// Replaces, per directory: a `split` of every name into a `Substring` base and a lower-cased
        /// extension `String`, and a `Set<Substring>` and `[Substring: File]` hashed with SipHash
        /// (with a retain and release of each name per step). Here base names are copied once into
        /// one byte buffer and found in an open-addressing table of FNV-1a hashes; the extension of an
        /// image or sidecar is one of ten constant strings. Why only ASCII: `String` equality is
        /// canonical equivalence, under which some non-ASCII names equal ASCII ones (U+037E is `;`,
        /// U+212A is `K`), so byte equality is `String` equality only when every name is ASCII.
        static func byBytes(_ listing: DirectoryListing, prefix: String) -> Pairing? {
            let files = listing.files
            // Base names (bytes before the last dot) of images and sidecars, one after the other.
            var bases: [UInt8] = []
            bases.reserveCapacity(files.count * 16)
            var starts = [Int](repeating: 0, count: files.count), lengths = starts
            var exts = [String](repeating: "", count: files.count)
            var hashes = [UInt64](repeating: 0, count: files.count)
            var counted = 0
            for i in files.indices {
                let kind = files[i].kind
                var name = files[i].name
                let usable = name.withUTF8 { b -> Bool in
                    var or: UInt8 = 0
                    for c in b { or |= c }
                    guard or < 0x80 else { return false }
                    guard kind != .other else { return true }
                    var dot = b.count - 1
                    while dot > 0, b[dot] != UInt8(ascii: ".") { dot -= 1 }
                    // An image or sidecar has a known extension after a dot that is not the first byte.
                    guard dot > 0 else { return false }
                    var key: UInt32 = 0
                    for k in (dot + 1)..<b.count {
                        let c = b[k]
                        key = key << 8 | UInt32(c >= 0x41 && c <= 0x5A ? c | 0x20 : c)
                    }
                    guard let ext = ArchiveFileKinds.extensionName(packed: key) else { return false }
                    exts[i] = ext
                    let base = UnsafeBufferPointer(rebasing: b[..<dot])
                    starts[i] = bases.count; lengths[i] = dot
                    var h = FNV1a()
                    h.add(base)
                    hashes[i] = h.value
                    bases.append(contentsOf: base)
                    return true
                }
                guard usable else { return nil }
                if kind != .other { counted += 1 }
            }
            var pairing = Pairing(findings: listing.findings)
            pairing.images.reserveCapacity(files.count)
            // Open addressing, at most half full: slot → entry + 1 (0: empty).
            var capacity = 8
            while capacity < 2 * counted { capacity <<= 1 }
            var slots = [Int32](repeating: 0, count: capacity)
            // Per distinct base: its first file (for the bytes), whether an image has it, its sidecar.
            var entryFile: [Int] = [], entryHasImage: [Bool] = [], entrySidecar: [Int] = []
            entryFile.reserveCapacity(counted); entryHasImage.reserveCapacity(counted); entrySidecar.reserveCapacity(counted)
            var entryOf = [Int](repeating: -1, count: files.count)
            bases.withUnsafeBufferPointer { bytes in
                for i in files.indices where files[i].kind != .other {
                    let start = starts[i], length = lengths[i]
                    var slot = Int(truncatingIfNeeded: hashes[i]) & (capacity - 1)
                    var entry = -1
                    while slots[slot] != 0 {
                        let e = Int(slots[slot]) - 1, other = entryFile[e]
                        let otherStart = starts[other]
                        if hashes[other] == hashes[i], lengths[other] == length,
                           length == 0 || memcmp(bytes.baseAddress! + start, bytes.baseAddress! + otherStart, length) == 0 {
                            entry = e
                            break
                        }
                        slot = (slot + 1) & (capacity - 1)
                    }
                    if entry < 0 {
                        entry = entryFile.count
                        entryFile.append(i); entryHasImage.append(false); entrySidecar.append(-1)
                        slots[slot] = Int32(entry + 1)
                    }
                    entryOf[i] = entry
                    if files[i].kind == .image {
                        entryHasImage[entry] = true
                    } else if entrySidecar[entry] < 0 || exts[i] == "txt" {
                        entrySidecar[entry] = i
                    }
                }
            }
            for i in files.indices {
                switch files[i].kind {
                case .image:
                    let s = entrySidecar[entryOf[i]]
                    pairing.images.append(Image(index: i, ext: exts[i], sidecar: s >= 0 ? s : nil))
                case .sidecar: break
                case .other:
                    pairing.findings.append(ignored(files[i].name, ext: ArchiveFileKinds.split(files[i].name).ext, prefix: prefix))
                }
            }
            for i in files.indices where files[i].kind == .sidecar {
                let entry = entryOf[i]
                if !entryHasImage[entry] {
                    pairing.findings.append(orphan(files[i].name, base: ArchiveFileKinds.split(files[i].name).base, prefix: prefix))
                } else if entrySidecar[entry] != i {
                    pairing.findings.append(second(files[i].name, base: ArchiveFileKinds.split(files[i].name).base,
                                                   used: files[entrySidecar[entry]].name, prefix: prefix))
                }
            }
            return pairing
        }

        static func ignored(_ name: String, ext: String, prefix: String) -> ArchiveFinding {
            ArchiveFinding(.ignored, path: prefix + name, ext.isEmpty ? "not an image or sidecar" : "not an image or sidecar (.\(ext))")
        }

        static func orphan(_ name: String, base: Substring, prefix: String) -> ArchiveFinding {
            ArchiveFinding(.orphanSidecar, path: prefix + name, "sidecar without an image named '\(base).*'")
        }

        static func second(_ name: String, base: Substring, used: String, prefix: String) -> ArchiveFinding {
            ArchiveFinding(.ignored, path: prefix + name, "a second sidecar for '\(base)'; \(used) is used")
        }
    }
}
