import Core

/// Where an image's acquisition parameters were read from, by vendor format.
public enum MetadataFormat: String, Hashable, Sendable, Codable, CaseIterable {
    case hitachiSEM = "hitachi-sem"
    case hitachiTEM = "hitachi-tem"
    case jeol = "jeol"
    case tescan = "tescan"
    case feiINI = "fei-ini"
    case feiXML = "fei-xml"
    case zeiss = "zeiss"
    case gatanDM = "gatan-dm"
}

/// A calendar date and time as the instrument wrote it (the acquisition PC's local time; no zone
/// is ever recorded, so none is invented).
public struct AcquisitionDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int

    /// nil unless the fields are a real calendar date (month 1–12, day within the month, …).
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard (1900...2200).contains(year), (1...12).contains(month),
              (1...AcquisitionDate.days(in: month, of: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Seconds since 1970-01-01 00:00:00, reading the wall-clock time as if it were UTC — used only
    /// to compare with file times within a tolerance wider than any time zone.
    public var epochSeconds: Int64 {
        // Days from civil (Howard Hinnant's algorithm).
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month), d = Int64(day)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return days * 86400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The inverse of `epochSeconds` (for file modification times, in UTC).
    public init(epochSeconds t: Int64) {
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        (year, month, day) = (Int(y), Int(m), Int(d))
        (hour, minute, second) = (Int(secs / 3600), Int(secs / 60 % 60), Int(secs % 60))
    }

    /// `YYYY-MM-DDTHH:MM:SS`.
    public var description: String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var y = String(year)
        while y.count < 4 { y = "0" + y }
        return "\(y)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))"
    }

    /// The bytes of `description` (UTF-8), written into a stack buffer: the index stores two
    /// dates per image, and building them as `String`s cost more than storing them.
    /// `@inlinable` so the writer (another module) gets a copy specialised for its closure: the
    /// generic version asked the runtime for generic metadata (a locked cache) on every call —
    /// 0.4 % of a full scan's samples for two calls per image.
    @inlinable
    public func withISOText<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let twoDigits = 0...99
        guard (0...9999).contains(year), twoDigits.contains(month), twoDigits.contains(day), twoDigits.contains(hour),
              twoDigits.contains(minute), twoDigits.contains(second) else {
            var text = description
            return text.withUTF8(body)
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 19) { buffer in
            // Two digits at a time (every value is 0–99 here, the year split in two).
            func two(_ v: Int, at i: Int) {
                buffer[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v / 10)
                buffer[i + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            }
            two(year / 100, at: 0); two(year % 100, at: 2); buffer[4] = UInt8(ascii: "-")
            two(month, at: 5); buffer[7] = UInt8(ascii: "-")
            two(day, at: 8); buffer[10] = UInt8(ascii: "T")
            two(hour, at: 11); buffer[13] = UInt8(ascii: ":")
            two(minute, at: 14); buffer[16] = UInt8(ascii: ":")
            two(second, at: 17)
            return body(UnsafeBufferPointer(buffer))
        }
    }

    public static func < (a: AcquisitionDate, b: AcquisitionDate) -> Bool { a.epochSeconds < b.epochSeconds }
}

/// What one metadata source says about an image, in common units — before any fallback or
/// derivation (those live in `ImageDerivation`). Every field is optional: every vendor leaves
/// some out.
public struct AcquisitionMetadata: Hashable, Sendable {
    public var format: MetadataFormat
    /// The instrument as the metadata names it (`S-4800`, `Helios NanoLab" 660`, `Merlin`, …).
    public var instrument: String?
    /// The technique the metadata implies (a `[TemImageFile]` section, a DM imaging mode, …).
    public var technique: Technique?
    /// The detector exactly as written (`SE(U)`, `LED`, `ETD`, `HE-SE2`).
    public var detector: String?
    public var date: AcquisitionDate?
    /// Magnification as written, where the vendor writes one.
    public var magnification: Double?
    /// Pixel size of the frame in nanometres.
    public var pixelSizeNm: Double?
    /// Frame size in pixels (Hitachi `DataSize`, FEI `ResolutionX/Y`, Zeiss store resolution, …).
    public var widthPx: Int?
    public var heightPx: Int?
    /// The field of view the vendor states itself (FEI `HFW`, Zeiss `AP_WIDTH`), in nanometres.
    public var statedFOVNm: Double?
    public var acceleratingVoltageV: Double?
    /// Hitachi `ImageName`: the file name at save time.
    public var imageName: String? {
        get { savedImageName?.string }
        set { savedImageName = newValue.map(LazyText.init) }
    }
    /// `imageName` as read: bytes of the sidecar's text, made a `String` only when asked.
    public var savedImageName: LazyText?
    /// Set when the source was cut short but still yielded values (say where it stops).
    public var truncation: String?
    /// Things wrong with values that were otherwise read (an impossible date, …), for `check`.
    public var warnings: [String] = []

    public init(format: MetadataFormat) { self.format = format }
}

/// Why metadata could not be read.
public enum MetadataProblem: Error, Hashable, Sendable {
    /// The bytes are not any metadata format lostdata knows.
    case unparseable(String)
    /// The bytes start like a known format but stop short.
    case truncated(String)

    public var message: String {
        switch self {
        case .unparseable(let m), .truncated(let m): return m
        }
    }
}
