import Archive
import Core
import StrictYAML
import Yams

/// The `archive:` section of `study.yaml` (docs/study-file.md):
///
/// ```yaml
/// archive:
///   roots: [/mnt/em-archive]           # scanned when `archive scan` is given no ROOT
///   instruments:                       # folder → instrument, for images whose metadata is silent
///     - {name: HT7700, technique: TEM, path: /mnt/em-archive/HT7700}
///   legacyEncoding: cp1252             # ANSI code page of BOM-less non-UTF-8 sidecars (default: sniff)
///   dateToleranceHours: 36             # metadata date vs mtime before `check` reports it
/// ```
public struct ArchiveSettings: Hashable, Sendable {
    public struct Instrument: Hashable, Sendable {
        public var name: String
        public var technique: Technique
        /// As written; relative paths are relative to the study directory.
        public var path: String
    }

    public var roots: [String]
    public var instruments: [Instrument]
    public var legacyEncoding: TextEncodingName?
    public var dateToleranceHours: Int

    public init(roots: [String] = [], instruments: [Instrument] = [], legacyEncoding: TextEncodingName? = nil,
                dateToleranceHours: Int = ScanOptions.defaultDateToleranceHours) {
        self.roots = roots
        self.instruments = instruments
        self.legacyEncoding = legacyEncoding
        self.dateToleranceHours = dateToleranceHours
    }

    static let keys: Set<String> = ["roots", "instruments", "legacyEncoding", "dateToleranceHours"]
    /// `legacyEncoding` values; `sniff` (nil) guesses per file.
    static let legacyNames: [String: TextEncodingName?] = ["cp1252": .cp1252, "cp1251": .cp1251, "cp932": .cp932, "sniff": nil]

    init(_ node: Node, file: String) throws {
        let map = try YAMLMapping(node, file: file, allowed: Self.keys, context: "the archive section")
        roots = try map.strings("roots") ?? []
        instruments = []
        if let list = map["instruments"] {
            guard case .sequence(let seq) = list else { throw map.error("'instruments' must be a list of {name, technique, path}", at: "instruments") }
            for item in seq {
                let m = try YAMLMapping(item, file: file, allowed: ["name", "technique", "path"], context: "an archive instrument")
                let name = try m.requiredString("name", context: "an archive instrument")
                let t = try m.requiredString("technique", context: "archive instrument '\(name)'")
                guard let technique = Technique(name: t) else {
                    throw m.error("archive instrument '\(name)': unknown technique '\(t)' (SEM, STEM or TEM)", at: "technique")
                }
                instruments.append(Instrument(name: name, technique: technique,
                                              path: try m.requiredString("path", context: "archive instrument '\(name)'")))
            }
        }
        legacyEncoding = nil
        if let e = try map.string("legacyEncoding") {
            guard let enc = Self.legacyNames[e.lowercased()] else {
                throw map.error("legacyEncoding is one of cp1252, cp1251, cp932 or sniff", at: "legacyEncoding")
            }
            legacyEncoding = enc
        }
        dateToleranceHours = try map.int("dateToleranceHours") ?? ScanOptions.defaultDateToleranceHours
        // At most a century: the scan compares dates in seconds, and hours beyond that overflow.
        guard (0...876_600).contains(dateToleranceHours) else { throw map.error("dateToleranceHours must be 0 to 876600 (a century)", at: "dateToleranceHours") }
    }
}
