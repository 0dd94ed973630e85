@testable import Archive
import Foundation
import XCTest

/// Round 6 fast paths of sniffing and TIFF reading against what they replace: the CP1251 table
/// against Foundation, `guessLegacy` on the buffer against the array loop, the Hitachi key lookup
/// by words against the byte loop, XPComment read in place against the copy behind a BOM, and
/// the TIFF tag/type switches against the dictionaries.
final class SniffingFastPathTests: XCTestCase {
    typealias SplitMix = FastPathEquivalenceTests.SplitMix

    func testCP1251TableMatchesFoundation() {
        var cases: [[UInt8]] = (0...255).map { [UInt8($0)] }
        var rng = SplitMix(state: 67)
        for _ in 0..<2000 { cases.append((0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
        for _ in 0..<500 { cases.append((0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0xC0...0xFF, using: &rng) }) }
        for bytes in cases {
            let viaFoundation = String(data: Data(bytes), encoding: .windowsCP1251).map { Array($0.utf8) }
                ?? Array(String(decoding: bytes, as: UTF8.self).utf8)
            XCTAssertEqual(TextSniffing.transcode(bytes, .cp1251), viaFoundation, "\(bytes)")
        }
    }

    func testGuessLegacyOnTheBufferMatchesTheArrayLoop() {
        var rng = SplitMix(state: 71)
        var cases: [[UInt8]] = [[], [0x81], [0x81, 0x40], [0x81, 0x7F], [0xE0, 0xFC], [0xC0, 0xC1], [0xC0], [0xFC, 0x40, 0x81]]
        let pool: [UInt8] = [0x40, 0x7F, 0x80, 0x81, 0x9F, 0xA0, 0xBF, 0xC0, 0xDF, 0xE0, 0xFC, 0xFD, 0xFF, 0x41, 0x20]
        for _ in 0..<5000 {
            cases.append((0..<Int.random(in: 0...30, using: &rng)).map { _ in
                Bool.random(using: &rng) ? pool.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            })
        }
        for bytes in cases { XCTAssertEqual(TextSniffing.guessLegacy(bytes), Self.guessLegacyByArray(bytes), "\(bytes)") }
    }

    /// `guessLegacy` as it was (indexing the array).
    static func guessLegacyByArray(_ bytes: [UInt8]) -> TextEncodingName {
        var sjisPairs = 0, sjisBroken = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if (0x81...0x9F).contains(b) || (0xE0...0xFC).contains(b) {
                if i + 1 < bytes.count, (0x40...0xFC).contains(bytes[i + 1]), bytes[i + 1] != 0x7F {
                    if (0x81...0x9F).contains(b) { sjisPairs += 1 }
                    i += 2; continue
                }
                sjisBroken = true
            }
            i += 1
        }
        if sjisPairs > 0 && !sjisBroken { return .cp932 }
        var highRunLetters = 0, highIsolated = 0
        i = 0
        while i < bytes.count {
            if bytes[i] >= 0xC0 {
                var j = i
                while j < bytes.count, bytes[j] >= 0xC0 { j += 1 }
                if j - i >= 2 { highRunLetters += j - i } else { highIsolated += 1 }
                i = j
            } else { i += 1 }
        }
        return highRunLetters > highIsolated ? .cp1251 : .cp1252
    }

    /// Keys compared by 8-byte words (and byte by byte near the end of the text) against a
    /// dictionary of the wanted keys — wanted keys, near misses, every length, at every distance
    /// from the end of the buffer.
    func testKeyLookupByWordsMatchesTheWantedKeys() {
        let table = HitachiText.keyTable
        let slots = Dictionary(uniqueKeysWithValues: HitachiText.wanted.enumerated().map { ($0.element, $0.offset) })
        var rng = SplitMix(state: 73)
        var keys = HitachiText.wanted
        for k in HitachiText.wanted {
            keys.append(k.lowercased()); keys.append(String(k.dropLast())); keys.append(k + "x"); keys.append("x" + k.dropFirst())
            var chars = Array(k); chars[Int.random(in: 0..<chars.count, using: &rng)] = "_"; keys.append(String(chars))
        }
        keys += ["", "=", "Dat", "AcceleratingVoltagf", "AcceleratingVoltbge", "Bcceleratingvoltage", String(repeating: "A", count: 40)]
        for _ in 0..<3000 { keys.append(String((0..<Int.random(in: 1...20, using: &rng)).map { _ in Array("DateTimSgnlIucr").randomElement(using: &rng)! })) }
        for key in keys {
            let bytes = Array(key.utf8)
            for tail in [0, 1, 3, 7, 8, 20] {
                let buffer = [0x0A] + bytes + Array("=value".utf8.prefix(tail))
                buffer.withUnsafeBufferPointer { b in
                    XCTAssertEqual(table.slot(ofKeyAt: 1, length: bytes.count, in: b), slots[key], "\(key) +\(tail)")
                }
            }
        }
    }

    /// XPComment text read in place as UTF-16LE against the copy behind a prepended BOM.
    func testXPCommentReadInPlaceMatchesTheCopyBehindABOM() {
        var rng = SplitMix(state: 79)
        var cases: [[UInt8]] = [[], [0x41], [0xFF, 0xFE], [0xFF, 0xFE, 0x41, 0], [0xFE, 0xFF, 0, 0x41], [0x41, 0, 0xB5, 0]]
        for _ in 0..<3000 {
            cases.append((0..<Int.random(in: 0...30, using: &rng)).map { _ in
                Bool.random(using: &rng) ? [0x41, 0x00, 0x0D, 0x0A, 0xB5, 0xFF, 0xFE, 0xD8].randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            })
        }
        for xp in cases {
            var withBOM = xp
            if !(withBOM.count >= 2 && withBOM[0] == 0xFF && withBOM[1] == 0xFE) { withBOM = [0xFF, 0xFE] + withBOM }
            let old = TextSniffing.utf8(withBOM).bytes
            let hasBOM = xp.count >= 2 && xp[0] == 0xFF && xp[1] == 0xFE
            let new = hasBOM ? TextSniffing.utf8(xp).bytes : TextSniffing.utf16(xp, from: 0, littleEndian: true)
            XCTAssertEqual(new, old, "\(xp)")
        }
    }

    func testTIFFTagAndTypeSwitchesMatchTheDictionaries() {
        for v in 0...Int(UInt16.max) {
            let x = UInt16(v)
            XCTAssertEqual(TIFFHeader.isMetadataTag(x), TIFFHeader.metadataTags[x] != nil, "\(x)")
            XCTAssertEqual(TIFFHeader.typeSize(x), TIFFHeader.typeSizes[x], "\(x)")
        }
    }

    /// `DescriptorBytes` into uninitialised storage: what was read, never more.
    func testDescriptorReadsStopAtTheEndOfTheFile() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/f.bin"
        let content = (0..<300).map { UInt8($0 & 0xFF) }
        FileManager.default.createFile(atPath: path, contents: Data(content))
        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let d = DescriptorBytes(fd: fd)
        XCTAssertEqual(d.read(at: 0, count: 8), Array(content[0..<8]))
        XCTAssertEqual(d.read(at: 290, count: 20), Array(content[290..<300]))
        XCTAssertEqual(d.read(at: 400, count: 20), [])
        XCTAssertEqual(d.read(at: 0, count: 0), [])
        let p = PrefetchedBytes(fd: fd, headSize: 8192)
        XCTAssertEqual(p.read(at: 10, count: 5), Array(content[10..<15]))
        XCTAssertEqual(p.read(at: 0, count: 400), content)
    }

    /// Line ends and `=` found eight bytes at a time against the byte loops, with the bytes next
    /// to LF, CR and `=` (where a borrow could flag a wrong byte), at every offset and length.
    func testWordAtATimeSearchesMatchTheByteLoops() {
        var rng = SplitMix(state: 83)
        let pool: [UInt8] = [0x0A, 0x0D, 0x3D, 0x09, 0x0B, 0x0C, 0x0E, 0x3C, 0x3E, 0x00, 0x01, 0x80, 0x8A, 0x8D, 0xBD, 0xFF, 0x41]
        for _ in 0..<20000 {
            let (bytes, i, n) = randomSearchText(&rng, length: 0...40, pool: pool, oneIn: 3)
            let e = firstIndexByLoop(bytes, from: i, to: n) { $0 == 0x0A || $0 == 0x0D }
            let eq = firstIndexByLoop(bytes, from: i, to: n) { $0 == 0x3D }
            let other = pool.randomElement(using: &rng)!
            let o = firstIndexByLoop(bytes, from: i, to: n) { $0 == other }
            bytes.withUnsafeBufferPointer { b in
                XCTAssertEqual(HitachiText.lineEnd(b, from: i, to: n), e, "\(bytes) \(i) \(n)")
                XCTAssertEqual(HitachiText.firstIndex(of: 0x3D, in: b, from: i, to: n), eq, "\(bytes) \(i) \(n)")
                XCTAssertEqual(HitachiText.firstIndex(of: other, in: b, from: i, to: n), o, "\(bytes) \(i) \(n) \(other)")
            }
        }
    }

    /// The section header test on bytes against the `String` names and the dictionary.
    func testSectionTechniqueMatchesTheNamedSections() {
        var rng = SplitMix(state: 89)
        var cases = ["[SemImageFile]", "[TemImageFile]", "[SemImageFile", "[semImageFile]", "[TemImageFile]x", " [SemImageFile]",
                     "[XemImageFile]", "[SemImageFilf]", "[", ""].map { Array($0.utf8) }
        for _ in 0..<5000 {
            var b = Array((Bool.random(using: &rng) ? "[SemImageFile]" : "[TemImageFile]").utf8)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1: b.removeLast(Int.random(in: 0...b.count, using: &rng))
            case 2: b.insert(0x20, at: 0)
            default: b += [0x0D, 0x0A]
            }
            cases.append(b)
        }
        for bytes in cases {
            for i in [0, 1, -1] {
                let expected = i >= 0 ? HitachiText.section(at: i, in: bytes).flatMap { HitachiText.sections[$0] } : nil
                bytes.withUnsafeBufferPointer { b in XCTAssertEqual(HitachiText.sectionTechnique(at: i, in: b), expected, "\(bytes) \(i)") }
            }
        }
    }
}
