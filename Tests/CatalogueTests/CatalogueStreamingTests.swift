@testable import Catalogue
import Core
import Foundation
import Ledger
import Study
import XCTest

/// The push streams rows into COPY while it reads them: straight into the catalogue table on a
/// facility's first push, through a staging table afterwards; an order-free content hash; a
/// producer that fails half-way leaves the catalogue as it was.
final class CatalogueStreamingTests: XCTestCase {
    /// Enough rows for several 1 MiB COPY chunks (~100 bytes a row).
    static let manyImages = 30_000

    static func images(_ facility: String, count: Int, year: (Int) -> Int = { 2010 + $0 % 12 }) -> [CatalogueExport.Image] {
        (0..<count).map { i in
            CatalogueExport.Image(id: CatalogueExport.imageID(facility: facility, relativePath: "run\(i / 500)/img\(i).tif"),
                                  year: year(i), date: "\(year(i))-03-04", instrument: i % 3 == 0 ? "HT7700" : "SU8230",
                                  technique: i % 3 == 0 ? "TEM" : "SEM", countedAs: i % 3 == 0 ? "TEM" : "SEM",
                                  detectorClass: i % 3 == 0 ? "camera" : "SE", magnification: Double(1000 * (1 + i % 50)),
                                  fovNm: 12_345.678 / Double(1 + i % 7), scaleBarDecadeNm: [10, 100, 1000][i % 3], sizeBytes: 1_000_000 + i)
        }
    }

    static func export(_ facility: String, _ images: CatalogueExport.ImageRows) -> CatalogueExport {
        CatalogueExport(facility: facility, techniques: [.sem, .tem], acquiredMode: .archive, declaredAcquired: [:],
                        images: images, articles: [.init(id: "a1", doi: "10.1/a", title: "T", year: 2020, journal: "J", categories: [], exclusion: nil)],
                        articleImages: [ArticleImages(id: "a1", images: [.sem: 3, .tem: 1])], baselines: [], decisions: [])
    }

    func imageRows(_ server: TestServer, _ address: CatalogueAddress, _ facility: String) throws -> String {
        let r = try server.psql(address, "SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, ',' ORDER BY x.id)), '-') FROM lostdata.image x WHERE facility = '\(facility)'")
        XCTAssertEqual(r.status, 0, r.output)
        return r.output
    }

    func testAFirstPushCopiesStraightInALaterOneStagesAndBothGiveTheSameRows() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("stream")
        let list = Self.images("Stream", count: Self.manyImages)
        let first = try await CataloguePushTests.push(Self.export("Stream", .init(list)), address)
        let image = try XCTUnwrap(first.tables.first { $0.table == "image" })
        XCTAssertTrue(image.direct, "a first push staged its rows")
        XCTAssertEqual([image.rows, image.inserted], [Self.manyImages, Self.manyImages])
        let pushed = try imageRows(server, address, "Stream")
        XCTAssertTrue(pushed.hasPrefix("\(Self.manyImages) "), pushed)

        // The facility row gone (as if deleted by hand), its rows still there: the push stages,
        // compares, and rewrites nothing but the facility row.
        XCTAssertEqual(try server.psql(address, "DELETE FROM lostdata.facility").status, 0)
        let second = try await CataloguePushTests.push(Self.export("Stream", .init(list)), address)
        XCTAssertFalse(second.unchanged)
        let staged = try XCTUnwrap(second.tables.first { $0.table == "image" })
        XCTAssertFalse(staged.direct)
        XCTAssertEqual([staged.inserted, staged.updated, staged.deleted], [0, 0, 0])
        XCTAssertEqual(second.contentHash, first.contentHash)
        XCTAssertEqual(try imageRows(server, address, "Stream"), pushed)

        // The same rows in another order: the same content hash, nothing written.
        let before = try server.psql(address, "SELECT xmin FROM lostdata.facility").output
        let reversed = try await CataloguePushTests.push(Self.export("Stream", .init(list.reversed())), address)
        XCTAssertTrue(reversed.unchanged)
        XCTAssertEqual(reversed.contentHash, first.contentHash)
        XCTAssertEqual(try server.psql(address, "SELECT xmin FROM lostdata.facility").output, before)

        // One image's year changes and one disappears: exactly those rows change.
        var changed = list
        changed[123].year = 1999
        changed.removeLast()
        let third = try await CataloguePushTests.push(Self.export("Stream", .init(changed)), address)
        let delta = try XCTUnwrap(third.tables.first { $0.table == "image" })
        XCTAssertFalse(third.unchanged)
        XCTAssertNotEqual(third.contentHash, first.contentHash)
        XCTAssertEqual([delta.inserted, delta.updated, delta.deleted], [0, 1, 1])
        XCTAssertEqual(try server.psql(address, "SELECT year FROM lostdata.image WHERE id = '\(list[123].id)'").output, "1999\n")
    }

    struct Interrupted: Error, CustomStringConvertible { var description: String { "the study could not be read (test)" } }

    func testAPushWhoseRowsFailHalfWayLeavesTheCatalogueAsItWas() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("halfway")
        let list = Self.images("Halfway", count: Self.manyImages)
        // Fails after most rows went out (several chunks already COPYed).
        let failing = CatalogueExport.ImageRows(count: list.count) { body in
            for (n, image) in list.enumerated() {
                if n == Self.manyImages - 100 { throw Interrupted() }
                try body(image)
            }
        }
        // On a first push (rows COPYed straight into the catalogue table)…
        do {
            _ = try await CataloguePushTests.push(Self.export("Halfway", failing), address)
            XCTFail("a push whose rows failed succeeded")
        } catch {
            XCTAssertTrue("\(error)".contains("the study could not be read (test)"), "\(error)")
        }
        XCTAssertEqual(try server.psql(address, "SELECT (SELECT count(*) FROM lostdata.image) || ' ' || (SELECT count(*) FROM lostdata.facility)").output, "0 0\n")

        // …and on a later one (staged).
        let done = try await CataloguePushTests.push(Self.export("Halfway", .init(list)), address)
        XCTAssertFalse(done.unchanged)
        let state = try imageRows(server, address, "Halfway")
        let hash = try server.psql(address, "SELECT content_hash FROM lostdata.facility").output
        let failingChanged = CatalogueExport.ImageRows(count: list.count) { body in
            for (n, var image) in list.enumerated() {
                if n == Self.manyImages - 100 { throw Interrupted() }
                image.year = 1990
                try body(image)
            }
        }
        do {
            _ = try await CataloguePushTests.push(Self.export("Halfway", failingChanged), address)
            XCTFail("a push whose rows failed succeeded")
        } catch {
            XCTAssertTrue("\(error)".contains("the study could not be read (test)"), "\(error)")
        }
        XCTAssertEqual(try imageRows(server, address, "Halfway"), state)
        XCTAssertEqual(try server.psql(address, "SELECT content_hash FROM lostdata.facility").output, hash)
        // The next push completes, and finds the catalogue as the last complete push left it.
        let again = try await CataloguePushTests.push(Self.export("Halfway", .init(list)), address)
        XCTAssertTrue(again.unchanged)
    }

    func testDuplicateIdsAreLeftOutAndCounted() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("dups")
        var list = Self.images("Dups", count: 50)
        var copy = list[7]
        copy.year = 1980
        list.append(copy)
        let result = try await CataloguePushTests.push(Self.export("Dups", .init(list)), address)
        XCTAssertEqual(result.duplicates, ["image": 1])
        XCTAssertEqual(result.tables.first { $0.table == "image" }?.rows, 50)
        // The first row with the id stays.
        XCTAssertEqual(try server.psql(address, "SELECT year FROM lostdata.image WHERE id = '\(list[7].id)'").output, "\(list[7].year)\n")
    }
}

/// The COPY text and the fingerprints, without a server.
final class CopyTextTests: XCTestCase {
    func row(_ fill: (inout CopyText) -> Void, prefix: String? = "F") -> String {
        var t = CopyText(prefix: prefix)
        fill(&t)
        t.endRow()
        return String(decoding: t.bytes, as: UTF8.self)
    }

    func testFieldsAreEscapedAndNumbersReadBack() {
        XCTAssertEqual(row { $0.text("a\tb\nc\\d\re"); $0.text(nil); $0.int(-42); $0.int(nil) }, "F\ta\\tb\\nc\\\\d\\re\t\\N\t-42\t\\N\n")
        XCTAssertEqual(row({ $0.double(5000); $0.double(12.5); $0.double(0.001); $0.double(.nan); $0.double(-3); $0.double(1e300) }, prefix: nil),
                       "5000\t12.5\t0.001\t\\N\t-3\t1e+300\n")
        XCTAssertEqual(Double("1e+300"), 1e300)
        XCTAssertEqual(row({ $0.int(Int.min); $0.int(0); $0.int(Int.max) }, prefix: nil), "\(Int.min)\t0\t\(Int.max)\n")
        // The prefix (the facility) is escaped too.
        XCTAssertEqual(row({ $0.text("x") }, prefix: "a\tb"), "a\\tb\tx\n")
        XCTAssertEqual(row({ $0.textArray(["q\"x", "b\\s"]) }, prefix: nil), "{\"q\\\\\"x\",\"b\\\\\\\\s\"}\n")
    }

    func testTheDigestIgnoresRowOrderAndThePrefixButNotAValue() {
        func digest(_ rows: [(String, Int)], prefix: String = "F") -> RowDigest {
            var t = CopyText(prefix: prefix)
            for (s, n) in rows { t.text(s); t.int(n); t.endRow() }
            return t.digest
        }
        let rows = (0..<500).map { ("id\($0)", $0 * 7) }
        XCTAssertEqual(digest(rows), digest(rows.reversed()))
        XCTAssertEqual(digest(rows), digest(rows.shuffled()))
        XCTAssertEqual(digest(rows), digest(rows, prefix: "another facility"))
        var changed = rows
        changed[250].1 += 1
        XCTAssertNotEqual(digest(rows), digest(changed))
        XCTAssertNotEqual(digest(rows), digest(Array(rows.dropLast())))
        // Two rows swapping a value are other rows.
        XCTAssertNotEqual(digest([("a", 1), ("b", 2)]), digest([("a", 2), ("b", 1)]))
    }

    func testChunksAreTakenWhole() {
        var t = CopyText(prefix: "F")
        t.text("a"); t.endRow()
        let first = t.take()
        t.text("b"); t.endRow()
        XCTAssertEqual(String(decoding: first, as: UTF8.self), "F\ta\n")
        XCTAssertEqual(String(decoding: t.bytes, as: UTF8.self), "F\tb\n")
        XCTAssertEqual(t.rows, 2)
    }

    func testSeenIDsTellRepeatsOfHexAndOtherIds() {
        var seen = SeenIDs(capacity: 4)
        let id = CatalogueExport.imageID(facility: "F", relativePath: "a.tif")
        XCTAssertTrue(seen.insert(id))
        XCTAssertFalse(seen.insert(id))
        XCTAssertTrue(seen.insert(CatalogueExport.imageID(facility: "F", relativePath: "b.tif")))
        // Upper-case hex or another length is another id, kept as text.
        XCTAssertTrue(seen.insert(id.uppercased()))
        XCTAssertFalse(seen.insert(id.uppercased()))
        XCTAssertTrue(seen.insert("short"))
        XCTAssertFalse(seen.insert("short"))
        XCTAssertTrue(seen.insert(String(repeating: "g", count: 32)))
    }

    /// The stepped id hash gives what the one-shot definition (facility, NUL, relative path,
    /// `String(format:)`) gave before: ids in existing catalogues stay valid.
    func testImageIDsAreThoseOfTheOriginalDefinition() {
        func reference(_ facility: String, _ path: String) -> String {
            var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142
            func mix(_ byte: UInt8) {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b = b ^ (b >> 29)
            }
            for byte in facility.utf8 { mix(byte) }
            mix(0)
            for byte in path.utf8 { mix(byte) }
            return String(format: "%016llx%016llx", a, b)
        }
        for (f, p) in [("Core facility", "2019/run 1/img.tif"), ("施設", "a.dm3"), ("", ""), ("x'); DROP", "d/e/f")] {
            XCTAssertEqual(CatalogueExport.imageID(facility: f, relativePath: p), reference(f, p))
        }
        var stepped = ImageIDHash(facility: "Core facility")
        stepped.add("2019/run 1")
        stepped.add(byte: 0x2F)
        stepped.add("img.tif")
        XCTAssertEqual(stepped.hex, reference("Core facility", "2019/run 1/img.tif"))
    }
}
