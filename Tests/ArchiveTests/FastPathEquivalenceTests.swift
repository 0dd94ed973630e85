@testable import Archive
import Core
import Foundation
import TestSupport
import XCTest

/// The byte-level fast paths of the scan must give exactly what the `String` versions they
/// replace give — checked on crafted cases and on many random inputs (fixed seed).
final class FastPathEquivalenceTests: XCTestCase {
    typealias SplitMix = TestSupport.SplitMix

    func testUTF16TranscodingMatchesStringDecoding() {
        var rng = SplitMix(state: 7)
        let crafted: [[UInt16]] = [
            [0x00B5, 0x006D], [0xD83D, 0xDE00], [0xD83D], [0xDE00], [0xD83D, 0x0041], [0xD83D, 0xD83D, 0xDE00],
            [0x30C6, 0x30B9, 0x30C8], [0xFFFF, 0x0000, 0x07FF, 0x0800], [],
        ]
        var cases: [[UInt16]] = crafted
        for _ in 0..<2000 {
            let pool: [UInt16] = [0x41, 0x3D, 0xB5, 0x7FF, 0x800, 0x30C6, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xFFFD, 0xFFFF, 0]
            cases.append((0..<Int.random(in: 0...12, using: &rng)).map { _ in
                Bool.random(using: &rng) ? pool.randomElement(using: &rng)! : UInt16.random(in: 0...0xFFFF, using: &rng)
            })
        }
        for units in cases {
            let expected = Array(String(decoding: units, as: UTF16.self).utf8)
            let le = units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            let be = units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            XCTAssertEqual(TextSniffing.utf8(fromUTF16: le, littleEndian: true), expected, "\(units)")
            XCTAssertEqual(TextSniffing.utf8(fromUTF16: be, littleEndian: false), expected, "\(units)")
            XCTAssertEqual(TextSniffing.utf8(fromUTF16: le + [0x41], littleEndian: true), expected, "odd last byte ignored")
        }
    }

    /// The one-pass UTF-16 reader (ASCII narrowed without a decoder, read past a BOM in place)
    /// against `String(decoding:as: UTF16.self)`, ASCII-heavy so both of its branches run.
    func testUTF16InPlaceReadingMatchesStringDecoding() {
        var rng = SplitMix(state: 13)
        var cases: [[UInt16]] = [[], [0x41], [0x7F], [0x80], [0x100], [0x4100], [0x41, 0x00, 0x7F], [0xFEFF, 0x41], [0xD83D]]
        for _ in 0..<3000 {
            let pool: [UInt16] = [0x41, 0x3D, 0x0D, 0x0A, 0x7F, 0x80, 0xB5, 0x100, 0x4100, 0x8000, 0xD800, 0xDC00, 0]
            let ascii = Bool.random(using: &rng)
            cases.append((0..<Int.random(in: 0...40, using: &rng)).map { _ in
                ascii ? UInt16.random(in: 0...0x7F, using: &rng) : pool.randomElement(using: &rng)!
            })
        }
        for units in cases {
            let expected = Array(String(decoding: units, as: UTF16.self).utf8)
            let le = units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            let be = units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            XCTAssertEqual(TextSniffing.utf16(le, from: 0, littleEndian: true), expected, "\(units)")
            XCTAssertEqual(TextSniffing.utf16(be, from: 0, littleEndian: false), expected, "\(units)")
            XCTAssertEqual(TextSniffing.utf16([0xFF, 0xFE] + le, from: 2, littleEndian: true), expected, "\(units)")
            XCTAssertEqual(TextSniffing.utf16([0xFE, 0xFF] + be + [0x41], from: 2, littleEndian: false), expected, "odd last byte")
            XCTAssertEqual(TextSniffing.utf8([0xFF, 0xFE] + le).bytes, expected, "\(units)")
            XCTAssertEqual(TextSniffing.transcode(le + [0x00], .utf16LE), expected, "\(units)")
        }
    }

    /// `NumberParsing.leading` on the contiguous bytes against the scan through `UTF8View` indices,
    /// on substrings cut out of the middle of longer strings (offsets must map back correctly).
    func testLeadingNumberOnBytesMatchesTheIndexScan() {
        var rng = SplitMix(state: 17)
        var cases = ["", " ", "5000 Volt", "1kV", "-1.5e3x", "+.5", ".", "1e", "1e+", "2E-3 nm", "\t 7", "µ5", "5µm",
                     "1.2.3", "--1", "1e5e5", "٣", "1é", "9" + String(repeating: "9", count: 400)]
        let alphabet = Array("0123456789.+-eE \t\r\n\0kVµé")
        for _ in 0..<5000 {
            cases.append(String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
        }
        for text in cases {
            let padded = "ab" + text + "cd"
            for sub in [Substring(text), padded.dropFirst(2).dropLast(2)] {
                let a = NumberParsing.leading(sub), b = NumberParsing.leadingByIndex(sub)
                XCTAssertEqual(a?.value, b?.value, "'\(sub)'")
                XCTAssertEqual(a.map { String($0.rest) }, b.map { String($0.rest) }, "'\(sub)'")
            }
        }
    }

    /// Line ends and byte checks against plain loops, on long texts (up to 700 bytes: many
    /// eight-byte words per line). SniffingFastPathTests covers short texts with the bytes next to
    /// LF, CR and `=` at every offset.
    func testLineEndsAndByteChecksOnLongTextsMatchTheLoops() {
        var rng = SplitMix(state: 19)
        let pool: [UInt8] = [0x0A, 0x0D, 0x3D, 0x41, 0x20, 0x00, 0x80, 0xFF]
        for _ in 0..<3000 {
            let (bytes, i, n) = randomSearchText(&rng, length: 0...700, pool: pool, oneIn: 4)
            let e = firstIndexByLoop(bytes, from: i, to: n) { $0 == 0x0A || $0 == 0x0D }
            let eq = firstIndexByLoop(bytes, from: i, to: n) { $0 == 0x3D }
            bytes.withUnsafeBufferPointer { b in
                XCTAssertEqual(HitachiText.lineEnd(b, from: i, to: n), e)
                XCTAssertEqual(HitachiText.firstIndex(of: 0x3D, in: b, from: i, to: n), eq)
            }
            XCTAssertEqual(TextSniffing.hasHighByte(bytes), bytes.contains(where: { $0 >= 0x80 }))
            XCTAssertEqual(TextSniffing.hasHighByte(bytes, prefix: 512), bytes.prefix(512).contains(where: { $0 >= 0x80 }))
            XCTAssertEqual(MetadataReader.hasNUL(bytes, prefix: 512), bytes.prefix(512).contains(0))
        }
    }

    /// File kinds from packed extension bytes against `kind(ofExtension: split(name).ext)`.
    func testKindOfNameMatchesSplitAndSetLookup() {
        var rng = SplitMix(state: 23)
        var cases = ["a.tif", "A.TIFF", "x.Txt", "x.hdr", ".tif", "tif", "a.", "a..tif", "a.tif.txt", "a.jpeg", "a.JPG",
                     "a.dm3", "a.DM4", "a.tiff2", "a.ti", "a.tİf", "é.tif", "a.tıf", "a.TİF", "a.png", "a.bmpx", ""]
        let alphabet = Array("aAtTiIfFxXhHdDrRpPjJgGeEmMnNbB3 4._é")
        for _ in 0..<5000 {
            cases.append(String((0..<Int.random(in: 0...9, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
        }
        for name in cases {
            XCTAssertEqual(ArchiveFileKinds.kind(ofName: name), ArchiveFileKinds.kind(ofExtension: ArchiveFileKinds.split(name).ext), name)
        }
    }

    /// Saved image names compared on bytes against trimmed, lower-cased `String`s.
    func testImageNameMatchOnBytesMatchesTheStringVersion() {
        var rng = SplitMix(state: 29)
        var pairs = [("SU8230_1.tif", "su8230_1.TIF"), (" a.tif\t", "a.tif"), ("a.tif\r\n", "a.tif"), ("a.tif\r", "a.tif"),
                     ("\0a\n", "a"), ("", ""), (" ", ""), ("a", "a "), ("É.tif", "é.tif"), ("İ", "i̇"), ("a[", "A{"), ("@", "`")]
        let alphabet = Array("aAzZ@[`{_. \t\n\r\0é")
        for _ in 0..<5000 {
            let a = String((0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let b = Bool.random(using: &rng) ? a.uppercased() : String((0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            pairs.append((a, b)); pairs.append((" " + a + "\t", b))
        }
        for (saved, name) in pairs {
            XCTAssertEqual(ImageNameMatch.same(saved: saved, name: name), ImageNameMatch.sameByCharacter(saved: saved, name: name), "'\(saved)' '\(name)'")
        }
    }

    /// The flat Hitachi key table holds each wanted key once, under its length, with its slot.
    func testHitachiKeyTableMatchesTheWantedKeys() {
        let t = HitachiText.keyTable
        var found: [Int: String] = [:]
        for length in 0..<HitachiText.KeyTable.maxLength {
            for e in t.firstEntry[length]..<t.firstEntry[length + 1] {
                let key = String(decoding: t.bytes[t.entries[e].offset..<(t.entries[e].offset + length)], as: UTF8.self)
                XCTAssertNil(found[t.entries[e].slot]); found[t.entries[e].slot] = key
            }
        }
        XCTAssertEqual(found, Dictionary(uniqueKeysWithValues: HitachiText.wanted.enumerated().map { ($0.offset, $0.element) }))
    }

    func testDateAndTimeFastPathsMatchTheStringVersions() {
        var cases = [
            "03/14/2011", "2011/03/14", "2011-03-14", " 2011.03.14 ", "2011//03/14", "+2011/03/14", "-1/2/3", "1/2", "1/2/3/4",
            "99999999999999999999/1/1", "2011/03/14x", "", " ", "2011/ 03/14", "٢٠١١/03/14", "2011/03/14\r\n", "\u{301}2011/03/14",
            "12:17:05", "5:06:40 PM", "12:00:01 AM", "12:00:01am", " 13:00:00 PM", "PM", "12:00", "12", "12:xx:00", "1:2:3:4",
            "12:00:00 pm ", "0:00:00 AM", "12 : 30 : 15", "+1:-2:+3", "12:00:00\tPM", "12:00:00 MM", "12:00:00 ÅM", "-:-",
        ]
        var rng = SplitMix(state: 11)
        let alphabet = Array("0123456789/-.:+ \tAPMapm")
        for _ in 0..<5000 {
            cases.append(String((0..<Int.random(in: 0...14, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
        }
        func same(_ a: (Int, Int, Int)?, _ b: (Int, Int, Int)?) -> Bool { a.map { [$0.0, $0.1, $0.2] } == b.map { [$0.0, $0.1, $0.2] } }
        for s in cases {
            XCTAssertTrue(same(DateParsing.numericDate(s), DateParsing.numericDateOfAnyText(s)), "date '\(s)'")
            XCTAssertTrue(same(DateParsing.time(s), DateParsing.timeOfAnyText(s)), "time '\(s)'")
        }
    }

    func testFolderMatchingOnBytesMatchesWholeComponents() {
        let options = ScanOptions(instruments: [
            InstrumentFolder(name: "Root", technique: .sem, path: "/"),
            InstrumentFolder(name: "A", technique: .sem, path: "/arch/SEM"),
            InstrumentFolder(name: "B", technique: .tem, path: "/arch/SEM/TEM"),
        ])
        XCTAssertEqual(options.folder(for: "/arch/SEM/x.tif")?.name, "A")
        XCTAssertEqual(options.folder(for: "/arch/SEM/TEM/x.tif")?.name, "B")
        XCTAssertEqual(options.folder(for: "/arch/SEM10/x.tif")?.name, "Root")
        XCTAssertEqual(options.folder(for: "/arch/SEM")?.name, "A")
        XCTAssertNil(ScanOptions(instruments: [InstrumentFolder(name: "A", technique: .sem, path: "/a")]).folder(for: "/ab/x.tif"))
    }
}

extension FastPathEquivalenceTests {
    func testCP1252TableMatchesFoundation() {
        var cases: [[UInt8]] = (0...255).map { [UInt8($0)] }
        var rng = SplitMix(state: 3)
        for _ in 0..<2000 { cases.append((0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
        for bytes in cases {
            let viaFoundation = String(data: Data(bytes), encoding: .windowsCP1252).map { Array($0.utf8) }
                ?? Array(String(decoding: bytes, as: UTF8.self).utf8)
            XCTAssertEqual(TextSniffing.transcode(bytes, .cp1252), viaFoundation, "\(bytes)")
        }
    }
}

extension FastPathEquivalenceTests {
    func testDataSizeFastPathMatchesTheStringVersion() {
        var cases = ["1280x960", "1280 x 960", "1280X960", "x1280x960", "1280xx960", "1280x960x3", "0x960", "1280x", "", " x ",
                     "99999999999999999999x1", "１２８０x960", "1280x960\r\n", "1280×960", "12 80x960"]
        var rng = SplitMix(state: 5)
        let alphabet = Array("0123456789xX \t")
        for _ in 0..<5000 { cases.append(String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })) }
        for s in cases {
            XCTAssertEqual(HitachiText.dataSize(s).map { [$0.0, $0.1] }, HitachiText.dataSizeOfAnyText(s).map { [$0.0, $0.1] }, "'\(s)'")
        }
    }

    func testTrimmingOnBytesMatchesTrimmingByCharacter() {
        var cases = [" a ", "\t\ta\t", "\r\n", "a\r\n", "\r\na", " \r\n ", "\n\n", "\0a\0", "", " ", " \u{301}a", "é ", " é",
                     "a\r", "\ra", " x y ", "\n\r"]
        var rng = SplitMix(state: 17)
        let alphabet: [Character] = [" ", "\t", "\0", "\r", "\n", "\r\n", "a", "Z", "\u{301}", "é"]
        for _ in 0..<5000 {
            cases.append(String((0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
        }
        for s in cases {
            XCTAssertEqual(Substring(s).trimmingSpaces, Substring(s).trimmingSpacesByCharacter, "'\(s.debugDescription)'")
        }
    }

    func testVoltUnitsOnBytesMatchTheStringVersion() {
        var units = ["", "v", "V", "Volt", "VOLT", "volts", "kV", "KV", "mv", "MV", " kV ", "kV\r\n", "kv\t", "k V", "μV", "Вольт", "volts2", "vo"]
        var rng = SplitMix(state: 19)
        let alphabet: [Character] = ["v", "V", "o", "l", "t", "s", "k", "K", "m", "M", " ", "\t", "\r", "é"]
        for _ in 0..<5000 { units.append(String((0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })) }
        for u in units {
            let byString = HitachiText.voltUnits[Substring(u).trimmingSpacesByCharacter.lowercased()]
            if let fast = HitachiText.voltFactor(plainUnit: Substring(u)) { XCTAssertEqual(fast, byString, "'\(u.debugDescription)'") }
            XCTAssertEqual(HitachiText.volts("5 " + u), byString.map { 5 * $0 }, "'\(u.debugDescription)'")
        }
    }
}
