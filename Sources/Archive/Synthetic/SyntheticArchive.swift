#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Core
import Foundation

/// What `lostdata archive synth` wrote — the counts a correct scan must find when the
/// `instruments` folder map is given (images without metadata take their technique from it).
public struct SyntheticManifest: Codable, Sendable, Hashable {
    public struct Instrument: Codable, Sendable, Hashable { public var name: String; public var technique: String; public var path: String }
    public var seed: UInt64
    public var images = 0
    /// Every file written, the manifest included.
    public var files = 0
    public var bytes = 0
    /// Folders created, DIR included (what a scan of DIR walks).
    public var directories = 0
    public var byTechnique: [String: Int] = [:]
    /// year → technique → images.
    public var byYear: [String: [String: Int]] = [:]
    public var byInstrument: [String: Int] = [:]
    /// Scale-bar decade (nm, as text) → images, for images whose FOV the metadata gives.
    public var byDecade: [String: Int] = [:]
    /// Images with a sidecar beside them (readable or not).
    public var sidecars = 0
    /// TEM images with the Hitachi text embedded in TIFF tag 40092.
    public var embedded = 0
    public var orphanSidecars = 0
    /// Clutter, the manifest included.
    public var ignoredFiles = 0
    public var truncatedSidecars = 0
    public var unparseableSidecars = 0
    public var truncatedTIFFs = 0
    public var withoutMetadata = 0
    public var renamed = 0
    public var dateMismatches = 0
    public var unknownDetectors = 0
    /// Sidecars in each encoding.
    public var encodings: [String: Int] = [:]
    /// The folder map to scan with (paths relative to the archive root).
    public var instruments: [Instrument] = []
}

/// A deterministic archive shaped like the paper's (§2.2, Methods): two Hitachi SEMs (the older one
/// writing CP1252/CP1251 sidecars with MM/DD/YYYY dates, the newer one UTF-16LE with YYYY/MM/DD),
/// a Hitachi HT7700 TEM embedding its metadata in the TIFF, ~21% TEM, ~3% STEM, ~72% of images
/// with sidecars, and the clutter, orphans and damage real archives have.
public enum SyntheticArchive {
    public static let manifestName = "lostdata-synth-manifest.json"

    /// Shares of the paper's archive: 32,540 TEM and 109,141 sidecars of 152,097 images.
    static let temShare = 32_540.0 / 152_097.0
    static let semSidecarShare = 109_141.0 / (152_097.0 - 32_540.0)
    static let years = 2011...2023
    static let semDetectors: [(String, Double)] = [
        ("SE(U)", 40), ("SE(L)", 14), ("SE(UL)", 9), ("SE(U,LA0)", 4), ("LA-BSE", 6), ("HA-BSE", 3), ("PDBSE", 3), ("TE", 2),
        ("BF-STEM", 2.3), ("DF-STEM", 1.9), ("MIX(SE(U)+LA-BSE)", 0.1),
    ]
    static let semFrames: [((Int, Int), Double)] = [((1280, 960), 70), ((2560, 1920), 20), ((640, 480), 10)]
    static let clutter = ["Thumbs.db", "desktop.ini", "notes.docx", "settings.xlsx", "movie.avi", "report.pptx", ".DS_Store", "readme"]
    static let users = ["ivanova", "petrov", "smith", "tanaka", "garcia", "kuznetsov", "mueller", "chen"]

    public static func write(to root: String, images total: Int, seed: UInt64) throws -> SyntheticManifest {
        let root = ArchivePaths.normalise(root)
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: root), !existing.isEmpty {
            throw InputError("the directory is not empty; synth writes only into a new or empty directory", file: root)
        }
        var rng = SplitMix64(seed: seed)
        var m = SyntheticManifest(seed: seed)
        m.instruments = [.init(name: "SU8000", technique: "SEM", path: "SU8000"), .init(name: "SU8230", technique: "SEM", path: "SU8230"),
                         .init(name: "HT7700", technique: "TEM", path: "HT7700")]
        var writer = FileWriter()
        let rootExisted = FileManager.default.fileExists(atPath: root)
        try writer.makeDirectory(root)
        var written = 0, session = 0
        let yearWeights = years.map { ($0, 1.0 + 0.12 * Double($0 - years.lowerBound)) }
        while written < total {
            session += 1
            let count = min(total - written, rng.int(40...160))
            let isTEM = rng.chance(temShare)
            let year = rng.pick(yearWeights)
            let instrument = isTEM ? "HT7700" : (year < 2015 || rng.chance(0.4) ? "SU8000" : "SU8230")
            let month = rng.int(1...12), day = rng.int(1...AcquisitionDate.days(in: month, of: year))
            let start = AcquisitionDate(year: year, month: month, day: day, hour: rng.int(8...17), minute: rng.int(0...59), second: rng.int(0...59))!
            let dir = "\(root)/\(instrument)/\(year)/\(users[rng.int(0...(users.count - 1))])/\(start.description.prefix(10))_s\(session)"
            try writer.makeDirectory(dir)
            for i in 0..<count {
                let t = start.epochSeconds + Int64(i * 23)
                let date = AcquisitionDate(epochSeconds: t)
                try writeImage(index: written + i, in: dir, instrument: instrument, tem: isTEM, date: date, rng: &rng, manifest: &m, writer: &writer)
            }
            written += count
            // Orphan sidecars (the image was deleted) and clutter.
            if rng.chance(0.3) {
                let text = hitachiSidecar(instrument: instrument, newGeneration: instrument == "SU8230", name: "deleted_\(session).tif",
                                          date: start, detector: "SE(U)", mag: 1000, frame: (1280, 960), kv: 5)
                try writer.write(dir + "/deleted_\(session).txt", encode(text, instrument: instrument, m: &m), mtime: start.epochSeconds)
                m.orphanSidecars += 1
            }
            for c in clutter where rng.chance(c == "Thumbs.db" ? 0.5 : 0.06) {
                try writer.write(dir + "/" + c, Array("clutter \(session)".utf8), mtime: start.epochSeconds + 3600)
                m.ignoredFiles += 1
            }
        }
        m.images = total
        m.directories = writer.directories + (rootExisted ? 1 : 0)
        m.ignoredFiles += 1  // the manifest itself
        m.files = writer.files + 1
        var manifestBytes = try JSONEncoder.sorted.encode(m)
        m.bytes = writer.bytes + manifestBytes.count
        manifestBytes = try JSONEncoder.sorted.encode(m)
        m.bytes = writer.bytes + manifestBytes.count
        // Every file, the manifest included, has a time derived from the seed: same seed, same tree.
        try writer.write(root + "/" + manifestName, Array(try JSONEncoder.sorted.encode(m)), mtime: AcquisitionDate(year: 2024, month: 1, day: 1)!.epochSeconds)
        return m
    }

    static func writeImage(index: Int, in dir: String, instrument: String, tem: Bool, date: AcquisitionDate,
                           rng: inout SplitMix64, manifest m: inout SyntheticManifest, writer: inout FileWriter) throws {
        let base = String(format: "%@_%05d", instrument, index % 100_000)
        var mtime = date.epochSeconds + Int64(rng.int(1...20))
        var technique = tem ? "TEM" : "SEM"
        var decade: Double? = nil
        if tem {
            let name = base + (rng.chance(0.05) ? ".TIF" : ".tif")
            let mag = Double(rng.pick([(5000, 10), (20000, 20), (50000, 30), (100000, 25), (200000, 10), (400000, 5)]))
            let pixel = Double(String(format: "%.6g", 14800 / mag))!  // 14.8 µm camera pixel (2× binned 7.4 µm)
            decade = ImageDerivation.decade(ofNm: pixel * 2048 / 10)
            var text = "[TemImageFile]\r\nInstructName=HT7700\r\nSerialNumber=HT7700-2210\r\nImageName=\(name)\r\n"
            text += "Date=\(hitachiDate(date, newGeneration: true))\r\nTime=\(hitachiTime(date))\r\nDataSize=2048x2048\r\n"
            text += "PixelSize=\(String(format: "%.6g", pixel))\r\nMagnification=\(Int(mag))\r\nAcceleratingVoltage=\(rng.pick([(80000, 1), (100000, 3), (120000, 2)]))\r\n"
            text += "CameraName=AMT XR81\r\nExposureTime=0.5\r\n"
            var bytes = SyntheticFiles.tiff(xpComment: text)
            if rng.chance(0.001) {
                bytes = Array(bytes.prefix(40))  // cut inside the IFD
                m.truncatedTIFFs += 1; m.withoutMetadata += 1; decade = nil
            } else {
                m.embedded += 1
                if rng.chance(0.01) { mtime = resetTime(&rng); m.dateMismatches += 1 }
            }
            try writer.write(dir + "/" + name, bytes, mtime: mtime)
        } else if rng.chance(semSidecarShare) {
            let ext = rng.pick([("tif", 60.0), ("jpg", 30), ("bmp", 10)])
            let name = base + "." + (rng.chance(0.08) ? ext.uppercased() : ext)
            let detector = rng.pick(semDetectors)
            let mag = (30 * pow(10000, rng.unit())).rounded()
            let frame = rng.pick(semFrames)
            let renamed = rng.chance(0.01)
            let newGen = instrument == "SU8230"
            let text = hitachiSidecar(instrument: instrument, newGeneration: newGen, name: renamed ? "img\(index).\(ext)" : name,
                                      date: date, detector: detector, mag: mag, frame: frame, kv: rng.pick([(1.0, 2), (5, 4), (15, 3), (30, 1)]),
                                      sample: rng.chance(0.05) ? "échantillon µ-2" : (rng.chance(0.02) ? "Образец" : "sample \(index % 97)"))
            var bytes = encode(text, instrument: instrument, m: &m, cyrillic: text.contains("Образец"))
            m.sidecars += 1
            let pixel = Double(String(format: "%.6g", 127e6 / mag / Double(frame.0)))!
            decade = ImageDerivation.decade(ofNm: pixel * Double(frame.0) / 10)
            var readable = true
            if rng.chance(0.003) {
                bytes = Array(bytes.prefix(bytes.count - (newGen ? 9 : 5)))  // cut inside the last line
                m.truncatedSidecars += 1
            } else if rng.chance(0.001) {
                bytes = (0..<600).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                m.unparseableSidecars += 1; m.withoutMetadata += 1; readable = false; decade = nil
            }
            if readable {
                if detector == "BF-STEM" || detector == "DF-STEM" { technique = "STEM" }
                if DetectorVocabulary.classify(detector) == nil { m.unknownDetectors += 1 }
                if renamed { m.renamed += 1 }
                if rng.chance(0.01) { mtime = resetTime(&rng); m.dateMismatches += 1 }
            }
            let image: [UInt8] = ext == "tif" ? SyntheticFiles.tiff(xpComment: nil) : ext == "jpg" ? SyntheticFiles.jpeg : SyntheticFiles.bmp
            try writer.write(dir + "/" + name, image, mtime: mtime)
            try writer.write(dir + "/" + base + ".txt", bytes, mtime: mtime)
        } else {
            // Exports and re-saves without metadata.
            let ext = rng.pick([("jpg", 50.0), ("png", 20), ("bmp", 10), ("tif", 20)])
            let bytes: [UInt8] = ext == "jpg" ? SyntheticFiles.jpeg : ext == "png" ? SyntheticFiles.png : ext == "bmp" ? SyntheticFiles.bmp : SyntheticFiles.tiff(xpComment: nil)
            try writer.write(dir + "/" + base + "_export." + ext, bytes, mtime: mtime)
            m.withoutMetadata += 1
        }
        m.byTechnique[technique, default: 0] += 1
        m.byYear[String(date.year), default: [:]][technique, default: 0] += 1
        m.byInstrument[instrument, default: 0] += 1
        if let decade { m.byDecade[ImageDerivation.label(decadeNm: decade), default: 0] += 1 }
    }

    /// A storage migration resets mtimes: 2024-03-01 plus up to a week.
    static func resetTime(_ rng: inout SplitMix64) -> Int64 {
        AcquisitionDate(year: 2024, month: 3, day: 1)!.epochSeconds + Int64(rng.int(0...604_800))
    }

    static func encode(_ text: String, instrument: String, m: inout SyntheticManifest, cyrillic: Bool = false) -> [UInt8] {
        if instrument == "SU8230" { m.encodings["utf-16le", default: 0] += 1; return SyntheticFiles.utf16LE(text) }
        if cyrillic { m.encodings["cp1251", default: 0] += 1; return SyntheticFiles.cp1251(text) }
        m.encodings["cp1252", default: 0] += 1
        return SyntheticFiles.cp1252(text)
    }

    static func hitachiDate(_ d: AcquisitionDate, newGeneration: Bool) -> String {
        let s = d.description
        let (y, mo, da) = (s.prefix(4), s.dropFirst(5).prefix(2), s.dropFirst(8).prefix(2))
        return newGeneration ? "\(y)/\(mo)/\(da)" : "\(mo)/\(da)/\(y)"
    }

    static func hitachiTime(_ d: AcquisitionDate) -> String { String(d.description.suffix(8)) }

    /// A sidecar in the key order of the generation that writes it.
    static func hitachiSidecar(instrument: String, newGeneration: Bool, name: String, date: AcquisitionDate, detector: String,
                               mag: Double, frame: (Int, Int), kv: Double, sample: String = "sample") -> String {
        let pixel = String(format: "%.6g", 127e6 / mag / Double(frame.0))
        var lines = ["[SemImageFile]", "InstructName=\(instrument)", "SerialNumber=HI-\(instrument == "SU8000" ? "2102-0003" : "8230-0117")"]
        if newGeneration { lines.append("SemVersion=01-08") }
        lines += ["DataNumber=0", "SampleName=\(sample)", "Format=\(name.split(separator: ".").last.map(String.init) ?? "tif")",
                  "ImageName=\(name)", "Directory=D:\\SEM Data\\\(instrument)\\", "Date=\(hitachiDate(date, newGeneration: newGeneration))",
                  "Time=\(hitachiTime(date))", "Media=HD[ ]", "DataSize=\(frame.0)x\(frame.1)", "PixelSize=\(pixel)",
                  "SignalName=\(detector)", "AcceleratingVoltage=\(Int(kv * 1000)) Volt", "DecelerationVoltage=0 Volt",
                  "Magnification=\(Int(mag))", "WorkingDistance=\(1500 + Int(mag) % 13000) um",
                  "EmissionCurrent=10000 nA", "LensMode=High", "PhotoSize=1000", "Vacuum=", "MicronMarker=\(Int(127e6 / mag / 10))",
                  "SpecimenBias=0 V", "Condencer1=5000", "ScanSpeed=Slow3", "ColorMode=Grayscale", "Comment=", "KeyWord1=", "KeyWord2=",
                  "Condition=Vacc=\(kv)kV Mag=x\(Int(mag)) WD=8.0mm", "StagePositionX=22012000", "StagePositionY=25767000",
                  "StagePositionR=0", "StagePositionZ=8000000", "StagePositionT=0"]
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// Writes files with POSIX calls and sets their mtimes; counts what it wrote.
struct FileWriter {
    var files = 0
    var bytes = 0

    var directories = 0

    /// Creates `path` and its missing parents, counting the folders it made.
    mutating func makeDirectory(_ path: String) throws {
        var p = ""
        for part in path.split(separator: "/") {
            p += "/" + part
            if mkdir(p, 0o755) == 0 { directories += 1; continue }
            if errno != EEXIST {
                throw InputError("cannot create the directory: \(String(cString: strerror(errno)))", file: p)
            }
        }
    }

    mutating func write(_ path: String, _ data: [UInt8], mtime: Int64? = nil) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw InputError("cannot create the file: \(String(cString: strerror(errno)))", file: path) }
        defer { close(fd) }
        var done = 0
        while done < data.count {
            let n = data.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + done, data.count - done) }
            guard n > 0 else { throw InputError("cannot write: \(String(cString: strerror(errno)))", file: path) }
            done += n
        }
        if let mtime {
            var times = [timespec(tv_sec: time_t(mtime), tv_nsec: 0), timespec(tv_sec: time_t(mtime), tv_nsec: 0)]
            _ = futimens(fd, &times)
        }
        files += 1
        bytes += data.count
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return e
    }
}
