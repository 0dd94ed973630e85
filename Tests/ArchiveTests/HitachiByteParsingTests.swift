@testable import Archive
import Core
import Foundation
import XCTest

/// Hitachi values read straight from the sidecar's bytes (byte ranges, no value `String`s) must
/// give exactly what the `String` version of `HitachiText.parse` gave — kept here as
/// `StringHitachiParse`, the code the byte path replaced, built only from the `String` readers
/// (`numericDateOfAnyText`, `leadingByIndex`, `dataSizeOfAnyText`, …).
final class HitachiByteParsingTests: XCTestCase {
    typealias SplitMix = FastPathEquivalenceTests.SplitMix

    /// The whole parse, on crafted sidecars, the fixtures, the real corpus file and random ones.
    func testByteParseMatchesTheStringParse() throws {
        var texts: [[UInt8]] = [
            Array("[SemImageFile]\r\nInstructName=SU8000\r\nImageName=SU8000_1.TIF\r\nDate=05/12/2019\r\nTime=10:41:56\r\nDataSize=1280x960\r\nPixelSize=4.02608\r\nSignalName=SE(U)\r\nAcceleratingVoltage=15000 Volt\r\nMagnification=24644\r\nCondition=Vacc=15.0kV Mag=x24644 WD=8.0mm\r\n".utf8),
            Array("[TemImageFile]\nInstructName=HT7700\nDate=2019/01/09\nTime=3:04:05 PM\nMagnification=\nCondition=Vacc=1kV   Mag=x150k   WD=1.8mm\n".utf8),
            Array("[SemImageFile]\nDate=02/30/2019\nTime=25:00:00\nDataSize=0x960\nPixelSize=-1\nAcceleratingVoltage=5 furlongs\n".utf8),
            Array("[SemImageFile]\nDate=٢٠١١/03/14\nDataSize=１２８０x960\nPixelSize=1e-3 nm\nAcceleratingVoltage=3 kV \n".utf8),
            Array("[SemImageFile]\nImageName= a.tif \nImageName=b.tif\nInstructName=\nInstructName=X\nSignalName=  \n".utf8),
            Array("[SemImageFile]\nPixelSize=1.5.5\nMagnification=x150k\nAcceleratingVoltage=1.2E+4V\nDataSize=1280 X 960\n".utf8),
            Array("[SemImageFile]\nPixelSize=0.0000000000000000000000001\nMagnification=12345678901234567890\nAcceleratingVoltage=+.5 kv".utf8),
            Array("[SemImageFile]\nPixelSize=4\u{FF}\nAcceleratingVoltage=5 V\u{B5}\nImageName=\u{E9}.tif\n".utf8) + [0xFF, 0x0A, 0, 0],
            Array("  \n[TemImageFile]\r\n\r\n[Other]\nDate=01/01/2001\n[SemImageFile]\nDate=01/01/2002\r".utf8),
            Array("junk\n[SemImageFile]\n".utf8), Array("[Nothing]\nDate=1/1/2000\n".utf8), [], [0], Array("[SemImageFile]".utf8),
        ]
        for name in ["hitachi-bad-values.txt", "hitachi-s4800-cp1252.txt", "hitachi-su8000-cp1251.txt", "hitachi-su8000-cp932.txt",
                     "hitachi-su8230-utf16le.txt", "hitachi-truncated.txt"] {
            texts.append(TextSniffing.utf8(try TestPaths.fixtureBytes(name)).bytes)
        }
        if let real = try? TestPaths.corpusBytes("hitachi-S4800-pesci_example.txt") { texts.append(TextSniffing.utf8(real).bytes) }
        var rng = SplitMix(state: 31)
        for _ in 0..<4000 { texts.append(Self.randomSidecar(&rng)) }
        for bytes in texts {
            for sidecar in [true, false] {
                let fast = Result { () throws(MetadataProblem) in try HitachiText.parse(utf8: bytes, sidecar: sidecar) }
                let slow = Result { () throws(MetadataProblem) in try StringHitachiParse.parse(utf8: bytes, sidecar: sidecar) }
                XCTAssertEqual(fast, slow, String(decoding: bytes, as: UTF8.self).debugDescription)
                if case .success(let a) = fast, case .success(let b) = slow {
                    // Field by field too (`==` compares the image name as a `String`).
                    XCTAssertEqual(a.imageName, b.imageName)
                    XCTAssertEqual(a.warnings, b.warnings)
                    XCTAssertEqual(a.pixelSizeNm?.bitPattern, b.pixelSizeNm?.bitPattern)
                    XCTAssertEqual(a.acceleratingVoltageV?.bitPattern, b.acceleratingVoltageV?.bitPattern)
                    XCTAssertEqual(a.magnification?.bitPattern, b.magnification?.bitPattern)
                }
            }
        }
    }

    /// A sidecar-like text: the wanted keys (and others) with values drawn from what instruments
    /// write and what breaks parsers — blanks, signs, points, exponents, units, non-ASCII, `=`.
    static func randomSidecar(_ rng: inout SplitMix) -> [UInt8] {
        let keys = HitachiText.wanted + ["SerialNumber", "Vacuum", "ImageNam", "date", "Date ", " Time"]
        let values = ["05/12/2019", "2019/01/09", "2019-1-9", "1/2", "10:41:56", "3:04:05 PM", "12:00 am", "1280x960", "0x1",
                      "4.02608", "1771.76", "-3", ".5", "5.", "1e3", "2E-3x", "15000 Volt", "1kV", "30 kv ", "5 mV", "24644",
                      "x150k", "Vacc=1kV Mag=x150k WD=1.8mm", "Mag=X2.5M", "SE(U)", "LA-BSE", "SU8000", "a.tif", "µm", "é", ""]
        let alphabet: [UInt8] = Array("0123456789 .+-eExX/:kKvVmMolts=[]()\t".utf8) + [0xC2, 0xB5, 0xC3, 0xA9, 0xFF, 0x00]
        var out: [UInt8] = []
        if Int.random(in: 0..<10, using: &rng) > 0 { out += Array((Bool.random(using: &rng) ? "[SemImageFile]" : "[TemImageFile]").utf8) }
        let breaks: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x0D], [0x0A, 0x0D]]
        for _ in 0..<Int.random(in: 0...14, using: &rng) {
            out += breaks.randomElement(using: &rng)!
            switch Int.random(in: 0..<12, using: &rng) {
            case 0: out += Array("[Other]".utf8)
            case 1: out += Array(" \t".utf8)
            default:
                if Int.random(in: 0..<8, using: &rng) == 0 { out += [0x20] }
                out += Array(keys.randomElement(using: &rng)!.utf8) + [UInt8(ascii: "=")]
                if Int.random(in: 0..<5, using: &rng) == 0 { out += [0x20, 0x20] }
                if Bool.random(using: &rng) {
                    out += Array(values.randomElement(using: &rng)!.utf8)
                } else {
                    out += (0..<Int.random(in: 0...10, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                }
                if Int.random(in: 0..<6, using: &rng) == 0 { out += [0x09] }
            }
        }
        if Bool.random(using: &rng) { out += breaks.randomElement(using: &rng)! }
        if Int.random(in: 0..<8, using: &rng) == 0 { out += [0, 0] }
        return out
    }

    /// `ValueRanges` holds ten slots inline: one per wanted key.
    func testValueRangesHoldEveryWantedKey() {
        XCTAssertEqual(HitachiText.wanted.count, 10)
        var v = HitachiText.ValueRanges()
        for slot in 0..<HitachiText.wanted.count { XCTAssertFalse(v.has(slot)); v.set(slot, slot..<(2 * slot)) }
        XCTAssertNil(v[.instrument])  // 0..<0: found, but empty
        XCTAssertEqual(v[.condition], 9..<18)
    }

    func testPlainDecimalsMatchDoubleOfString() {
        var cases = ["0", "-0", "+0", "5.", ".5", "-.5", "+5", "1.5.5", "", ".", "-", "9007199254740992", "9007199254740993",
                     "0.1", "0.3", "4.02608", "1771.76", "123456789012345678901234", "0.0000000000000000000001",
                     "0.00000000000000000000001", "00000000000000000000000000001", "1e5", "x", "1x"]
        var rng = SplitMix(state: 37)
        let alphabet = Array("0123456789.-+")
        for _ in 0..<20000 {
            let digits = String((0..<Int.random(in: 1...18, using: &rng)).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            let cut = Int.random(in: 0...digits.count, using: &rng)
            cases.append(String(digits.prefix(cut)) + "." + String(digits.dropFirst(cut)))
            cases.append(String((0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
        }
        for s in cases {
            let fast = Array(s.utf8).withUnsafeBufferPointer { NumberParsing.decimal($0, 0..<$0.count) }
            guard let fast else { continue }  // not a plain decimal: `Double(String)` decides
            XCTAssertEqual(fast.bitPattern, Double(s)?.bitPattern, s)
        }
    }

    /// `leading`, `volts`, `dataSize`, dates and times on a range of a buffer against the
    /// `String` versions, on values cut out of the middle of longer buffers.
    func testRangeReadersMatchTheStringReaders() {
        var rng = SplitMix(state: 41)
        let alphabet: [UInt8] = Array("0123456789 .+-eExX/:kKvVmMoltsAPap\t\r\n".utf8) + [0xC2, 0xB5, 0xFF, 0x00]
        var cases: [[UInt8]] = ["5000 Volt", "1kV", " 2.5 KV ", "3 kv\t", "5 V\u{B5}", "1.2.3", "+.5e", "1280 x 960", "05/12/2019",
                                "2019/01/09", "3:04:05 PM", "12:00:01 am", "1:2:3:4", "x"].map { Array($0.utf8) }
        for _ in 0..<20000 { cases.append((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
        func same(_ a: (Int, Int, Int)?, _ b: (Int, Int, Int)?) -> Bool { a.map { [$0.0, $0.1, $0.2] } == b.map { [$0.0, $0.1, $0.2] } }
        for value in cases {
            let padded: [UInt8] = [0x31, 0x3A] + value + [0x39, 0x78]
            let s = String(decoding: value, as: UTF8.self)
            padded.withUnsafeBufferPointer { b in
                let r = 2..<(2 + value.count)
                let lead = NumberParsing.leadingByIndex(Substring(s))
                let got = NumberParsing.leading(b, r)
                XCTAssertEqual(got?.value.bitPattern, lead?.value.bitPattern, s.debugDescription)
                XCTAssertEqual(got.map { String(decoding: UnsafeBufferPointer(rebasing: b[$0.rest..<r.upperBound]), as: UTF8.self) },
                               lead.map { String($0.rest) }, s.debugDescription)
                XCTAssertEqual(HitachiText.volts(b, r) ?? HitachiText.volts(s), StringHitachiParse.volts(s), s.debugDescription)
                XCTAssertEqual((HitachiText.dataSize(b, r) ?? HitachiText.dataSizeOfAnyText(s)).map { [$0.0, $0.1] },
                               HitachiText.dataSizeOfAnyText(s).map { [$0.0, $0.1] }, s.debugDescription)
                XCTAssertTrue(same(DateParsing.numericDate(b, r) ?? DateParsing.numericDateOfAnyText(s), DateParsing.numericDateOfAnyText(s)), s.debugDescription)
                XCTAssertTrue(same(DateParsing.time(b, r) ?? DateParsing.timeOfAnyText(s), DateParsing.timeOfAnyText(s)), s.debugDescription)
            }
        }
    }

    /// The fixed-offset shapes (`MM/DD/YYYY`, `YYYY/MM/DD`, `HH:MM:SS`, `WxH`) and the one-pass
    /// decimal against the `String` readers, on values near those shapes: digits everywhere,
    /// other separators or letters at the separator places, long digit runs, signs and points.
    func testFixedShapesMatchTheStringReaders() {
        var rng = SplitMix(state: 97)
        let digit = Array("0123456789"), odd = Array("/-.:x X+a0 9")
        func shape(_ pattern: String) -> String {
            String(pattern.map { c -> Character in
                switch c {
                case "D": return Int.random(in: 0..<12, using: &rng) == 0 ? odd.randomElement(using: &rng)! : digit.randomElement(using: &rng)!
                default: return Int.random(in: 0..<12, using: &rng) == 0 ? odd.randomElement(using: &rng)! : c
                }
            })
        }
        var cases = ["99999999999999999999x1", "1x99999999999999999999", String(repeating: "9", count: 31) + "x1", "0001280x0960",
                     "1280x960x", "x960", "1280x", "12/31/1999", "1999/12/31", "00:00:00", "23:59:60", "99:99:99"]
        for _ in 0..<20000 {
            cases.append(shape(["DD/DD/DDDD", "DDDD/DD/DD", "DD:DD:DD", "DDDDxDDD", "DDDDXDDDD", "DDxDDDDDDDDDDDDDDDDDDDDD",
                                "DDDDDDDDDDDDDDDDDDDDxD", "D.DDDDD", "-DDDD.DD", "DDDDDDDDDDDDDDDD.D", "DD.DDe-D", "D Volt"].randomElement(using: &rng)!))
        }
        func same(_ a: (Int, Int, Int)?, _ b: (Int, Int, Int)?) -> Bool { a.map { [$0.0, $0.1, $0.2] } == b.map { [$0.0, $0.1, $0.2] } }
        for s in cases {
            Array(s.utf8).withUnsafeBufferPointer { b in
                let r = 0..<b.count
                XCTAssertTrue(same(DateParsing.numericDate(b, r) ?? DateParsing.numericDateOfAnyText(s), DateParsing.numericDateOfAnyText(s)), s)
                XCTAssertTrue(same(DateParsing.time(b, r) ?? DateParsing.timeOfAnyText(s), DateParsing.timeOfAnyText(s)), s)
                XCTAssertEqual((HitachiText.dataSize(b, r) ?? HitachiText.dataSizeOfAnyText(s)).map { [$0.0, $0.1] },
                               HitachiText.dataSizeOfAnyText(s).map { [$0.0, $0.1] }, s)
                let lead = NumberParsing.leadingByIndex(Substring(s))
                XCTAssertEqual(NumberParsing.leading(b, r)?.value.bitPattern, lead?.value.bitPattern, s)
                XCTAssertEqual(NumberParsing.leading(b, r)?.rest, lead.map { s.utf8.count - $0.rest.utf8.count }, s)
            }
        }
    }

    /// The fixed-size `ASCIIFields.split` against `split` of the `String`, limited the same way.
    func testSplitPiecesMatchStringSplit() {
        var rng = SplitMix(state: 43)
        for _ in 0..<5000 {
            let text = String((0..<Int.random(in: 0...12, using: &rng)).map { _ in Array("ab/:/").randomElement(using: &rng)! })
            for limit in 1...3 {
                Array(text.utf8).withUnsafeBufferPointer { b in
                    let pieces = ASCIIFields.split(b, 0..<b.count, limit: limit) { $0 == UInt8(ascii: "/") }
                    let full = text.split(separator: "/", omittingEmptySubsequences: true)
                    XCTAssertEqual(pieces.count, min(full.count, limit + 1), text)
                    for k in 0..<min(pieces.count, limit) {
                        XCTAssertEqual(String(decoding: UnsafeBufferPointer(rebasing: b[pieces[k]]), as: UTF8.self), String(full[k]), text)
                    }
                }
            }
        }
    }

    /// Saved image names compared on the sidecar's bytes against trimmed, lower-cased `String`s.
    func testImageNameMatchOnSavedBytesMatchesTheStringVersion() {
        var rng = SplitMix(state: 47)
        let alphabet = Array("aAzZ@[`{_. \t\n\r\0é")
        var pairs = [("SU8230_1.tif", "su8230_1.TIF"), (" a.tif\t", "a.tif"), ("a.tif\r", "a.tif"), ("É.tif", "é.tif"), ("", "")]
        for _ in 0..<5000 {
            let a = String((0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let b = Bool.random(using: &rng) ? a.uppercased() : String((0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            pairs.append((a, b)); pairs.append((" " + a + "\t", b))
        }
        for (saved, name) in pairs {
            let buffer = Array(("x=" + saved + "\n").utf8)
            let lazy = LazyText(buffer, 2..<(buffer.count - 1))
            XCTAssertEqual(lazy.string, saved)
            XCTAssertEqual(lazy.isEmpty, saved.isEmpty)
            XCTAssertEqual(ImageNameMatch.same(saved: lazy, name: name), ImageNameMatch.sameByCharacter(saved: saved, name: name), "'\(saved)' '\(name)'")
        }
    }
}

/// The `String` version of `HitachiText.parse` (before values were read from byte ranges): every
/// value a `String`, read with the `String` readers. Reference for the equivalence test only.
enum StringHitachiParse {
    static func parse(utf8 raw: [UInt8], sidecar: Bool) throws(MetadataProblem) -> AcquisitionMetadata {
        let keys = HitachiText.keyTable
        var n = raw.count
        while n > 0, raw[n - 1] == 0 { n -= 1 }
        var values = [String?](repeating: nil, count: HitachiText.wanted.count)
        var technique: Technique? = nil
        var inSection = false
        var i = 0, lines = 0
        var endsWithBreak = n == 0
        try raw.withUnsafeBufferPointer { (b) throws(MetadataProblem) in
            while i < n {
                var e = i
                while e < n, b[e] != 0x0A, b[e] != 0x0D { e += 1 }
                lines += 1
                var s = i, t = e
                while s < t, b[s] == 0x20 || b[s] == 0x09 { s += 1 }
                while t > s, b[t - 1] == 0x20 || b[t - 1] == 0x09 { t -= 1 }
                if s < t {
                    if b[s] == UInt8(ascii: "["), b[t - 1] == UInt8(ascii: "]") {
                        if let name = HitachiText.section(at: s, in: raw), technique == nil {
                            technique = HitachiText.sections[name]; inSection = true
                        } else { inSection = false }
                    } else if inSection {
                        var eq = s
                        while eq < t, b[eq] != UInt8(ascii: "=") { eq += 1 }
                        let keyLength = eq - s
                        if eq < t, keyLength < HitachiText.KeyTable.maxLength {
                            for entry in keys.firstEntry[keyLength]..<keys.firstEntry[keyLength + 1] {
                                let (offset, slot) = keys.entries[entry]
                                var same = true
                                for k in 0..<keyLength where b[s + k] != keys.bytes[offset + k] { same = false; break }
                                if same {
                                    if values[slot] == nil {
                                        var vs = eq + 1
                                        while vs < t, b[vs] == 0x20 { vs += 1 }
                                        values[slot] = String(decoding: UnsafeBufferPointer(rebasing: b[vs..<t]), as: UTF8.self)
                                    }
                                    break
                                }
                            }
                        }
                    } else if technique == nil {
                        throw .unparseable("not Hitachi metadata: text before the [SemImageFile] or [TemImageFile] section")
                    }
                }
                endsWithBreak = e < n
                if e < n, b[e] == 0x0D, e + 1 < n, b[e + 1] == 0x0A { e += 1 }
                i = e + 1
            }
        }
        guard let technique else {
            throw .unparseable("not Hitachi metadata: no [SemImageFile] or [TemImageFile] section")
        }
        var m = AcquisitionMetadata(format: technique == .tem ? .hitachiTEM : .hitachiSEM)
        m.technique = technique
        let get = { (slot: HitachiText.Slot) -> String? in values[slot.rawValue].flatMap { $0.isEmpty ? nil : $0 } }
        m.instrument = get(.instrument)
        m.imageName = get(.imageName)
        m.detector = get(.signal)
        if let d = get(.date) {
            let date = DateParsing.numericDateOfAnyText(d)
            let time = get(.time).flatMap(DateParsing.timeOfAnyText)
            if let parsed = DateParsing.combine(date, time) { m.date = parsed }
            else { m.warnings.append("impossible date '\(d)'\(get(.time).map { " \($0)" } ?? "")") }
        }
        if let size = get(.dataSize) {
            if let (w, h) = HitachiText.dataSizeOfAnyText(size) { (m.widthPx, m.heightPx) = (w, h) }
            else { m.warnings.append("unreadable DataSize '\(size)'") }
        }
        if let p = get(.pixelSize) {
            if let v = NumberParsing.leadingByIndex(Substring(p))?.value, v > 0 { m.pixelSizeNm = v } else { m.warnings.append("unreadable PixelSize '\(p)'") }
        }
        if let v = get(.voltage) { m.acceleratingVoltageV = volts(v) }
        if let mag = get(.magnification), let v = NumberParsing.leadingByIndex(Substring(mag))?.value, v > 0 {
            m.magnification = v
        } else if let cond = get(.condition) {
            m.magnification = HitachiText.magnificationInCondition(cond)
        }
        if sidecar && !endsWithBreak {
            m.truncation = "the file ends in the middle of line \(lines)"
        }
        return m
    }

    /// `5000 Volt`, `1kV`, `200000` → volts, by `Character`s.
    static func volts(_ s: String) -> Double? {
        guard let (v, rest) = NumberParsing.leadingByIndex(Substring(s)) else { return nil }
        guard let f = HitachiText.voltUnits[rest.trimmingSpacesByCharacter.lowercased()] else { return nil }
        return v * f
    }
}
