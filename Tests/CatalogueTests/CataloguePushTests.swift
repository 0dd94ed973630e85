@testable import Catalogue
import Core
import Foundation
import Ledger
import Reports
import Study
import XCTest

/// Pushes against a real PostgreSQL server (TestServer); skipped with a message without one.
final class CataloguePushTests: XCTestCase {
    func testTwoFacilitiesPushedConcurrentlyGiveTheirOwnTable1AndTheSum() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("concurrent")
        async let madeA = FacilityStudy.make(name: "Facility A", images: 900, seed: 11)
        async let madeB = FacilityStudy.make(name: "Facility B", images: 700, seed: 12, articles: 20)
        let (a, b) = try await (madeA, madeB)
        defer { a.remove(); b.remove() }
        let exportA = try a.study.catalogueExport(), exportB = try b.study.catalogueExport()
        XCTAssertEqual(exportA.facility, "Facility A")
        XCTAssertFalse(exportA.images.isEmpty)

        // Two connections, two facilities, at the same time.
        async let pushA = Self.push(exportA, address)
        async let pushB = Self.push(exportB, address)
        let (resultA, resultB) = try await (pushA, pushB)
        XCTAssertFalse(resultA.unchanged)
        XCTAssertFalse(resultB.unchanged)
        XCTAssertEqual(resultA.tables.first { $0.table == "image" }?.inserted, exportA.images.count)

        let c = try await CatalogueConnection.open(address)
        let table = try await CatalogueTable1.table(c)
        await c.close()
        XCTAssertEqual(table.sources.map(\.name), ["Facility A", "Facility B", CatalogueTable1.networkName])
        // Each facility's columns are exactly its study's own Table 1 source.
        XCTAssertEqual(table.sources[0].columns, try a.ownTable().columns)
        XCTAssertEqual(table.sources[1].columns, try b.ownTable().columns)
        // The network total is the sum, column by column.
        let own = [try a.ownTable(), try b.ownTable()]
        let network = table.sources[2]
        XCTAssertEqual(network.columns.map(\.key), [.technique(.sem), .technique(.tem), .total])
        for column in network.columns {
            let parts = own.map { s in s.columns.first { $0.key == column.key }! }
            XCTAssertEqual(column.acquired, parts.reduce(0) { $0 + $1.acquired! }, "\(column.key)")
            XCTAssertEqual(column.articles, parts.reduce(0) { $0 + $1.articles }, "\(column.key)")
            XCTAssertEqual(column.images, parts.reduce(0) { $0 + $1.images }, "\(column.key)")
            XCTAssertEqual(column.publishedPercent, Hundredths(percent: column.images, of: column.acquired!))
        }
        // Same JSON shape as `table1 --format json`: the network last.
        let json = try JSONSerialization.jsonObject(with: Data(Table1Report.render(table, as: .json).utf8)) as? [String: Any]
        let sources = try XCTUnwrap(json?["sources"] as? [[String: Any]])
        XCTAssertEqual(sources.last?["name"] as? String, CatalogueTable1.networkName)
        let studyJSON = try JSONSerialization.jsonObject(with: Data(Table1Report.render(try a.study.table1().table, as: .json).utf8)) as? [String: Any]
        XCTAssertEqual(Set(json!.keys), Set(studyJSON!.keys))
        XCTAssertEqual(Set(sources[0].keys), Set((studyJSON!["sources"] as! [[String: Any]])[0].keys))

        // `catalogue list`: both facilities with their counts.
        let c2 = try await CatalogueConnection.open(address)
        let list = try await CatalogueListing.facilities(c2)
        await c2.close()
        XCTAssertEqual(list.map(\.name), ["Facility A", "Facility B"])
        XCTAssertEqual(list.map(\.images), [exportA.images.count, exportB.images.count])
        XCTAssertEqual(list[0].toolVersion, LostData.version)
    }

    func testRepushWithNothingChangedWritesNothingAndAChangeWritesOnlyIt() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("repush")
        let f = try await FacilityStudy.make(name: "Repush", images: 400, seed: 3)
        defer { f.remove() }
        let first = try await Self.push(try f.study.catalogueExport(), address)
        XCTAssertFalse(first.unchanged)
        let before = try server.psql(address, "SELECT pushed_at, xmin FROM lostdata.facility").output

        let second = try await Self.push(try f.study.catalogueExport(), address)
        XCTAssertTrue(second.unchanged)
        XCTAssertEqual(second.contentHash, first.contentHash)
        XCTAssertEqual(try server.psql(address, "SELECT pushed_at, xmin FROM lostdata.facility").output, before, "an unchanged push rewrote the facility row")

        // One article's count changes, one article disappears: exactly those rows change.
        let csv = f.directory.appendingPathComponent("counts.csv")
        var lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = lines[1].split(separator: ",").prefix(1).joined() + ",99,0,1"
        lines.removeLast()
        try (lines.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
        let third = try await Self.push(try f.study.catalogueExport(), address)
        XCTAssertFalse(third.unchanged)
        let counts = try XCTUnwrap(third.tables.first { $0.table == "article_images" })
        XCTAssertGreaterThanOrEqual(counts.updated + counts.inserted, 1)
        XCTAssertGreaterThanOrEqual(counts.deleted, 1)
        let images = try XCTUnwrap(third.tables.first { $0.table == "image" })
        XCTAssertEqual([images.inserted, images.updated, images.deleted], [0, 0, 0])
        let c = try await CatalogueConnection.open(address)
        let table = try await CatalogueTable1.table(c)
        await c.close()
        XCTAssertEqual(table.sources[0].columns, try f.ownTable().columns)
    }

    func testHostileNamesAndTitlesAreStoredAsText() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("hostile")
        let names = ["x'); DROP TABLE lostdata.image; --", "tab\tnew\nline\\N back\\slash", "Ünïcødé \"quoted\" 施設"]
        for name in names {
            let export = CatalogueExport(
                facility: name, techniques: [.sem], acquiredMode: .archive, declaredAcquired: [:],
                images: [.init(id: CatalogueExport.imageID(facility: name, relativePath: "a/b.tif"), year: 2020, date: "2020-01-02",
                               instrument: "'; DELETE FROM lostdata.facility; --", technique: "SEM", countedAs: "SEM",
                               detectorClass: nil, magnification: 1000, fovNm: 12.5, scaleBarDecadeNm: 10, sizeBytes: 10)],
                articles: [.init(id: "a1", doi: "10.1/x", title: "Robert'); DROP TABLE students;--\t\\", year: 2021,
                                 journal: "J\nK", categories: ["{weird}", "quote\"d", "back\\slash"], exclusion: nil)],
                articleImages: [ArticleImages(id: "a1", images: [.sem: 2])], baselines: [], decisions: [])
            let result = try await Self.push(export, address)
            XCTAssertFalse(result.unchanged)
        }
        let c = try await CatalogueConnection.open(address)
        let list = try await CatalogueListing.facilities(c)
        XCTAssertEqual(Set(list.map(\.name)), Set(names))
        XCTAssertEqual(list.map(\.images), [1, 1, 1])
        let table = try await CatalogueTable1.table(c, facilities: [names[0]])
        await c.close()
        XCTAssertEqual(table.sources.first?.name, names[0])
        XCTAssertEqual(table.sources.first?.total.images, 2)
        let titles = try server.psql(address, "SELECT title || '|' || journal || '|' || array_to_string(categories, ';') FROM lostdata.article ORDER BY facility LIMIT 1").output
        XCTAssertEqual(titles, "Robert'); DROP TABLE students;--\t\\|J\nK|{weird};quote\"d;back\\slash\n")
        XCTAssertEqual(try server.psql(address, "SELECT DISTINCT instrument FROM lostdata.image").output, "'; DELETE FROM lostdata.facility; --\n")
    }

    func testACatalogueFromANewerSchemaIsRefusedAndLeftAlone() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("newer")
        let c = try await CatalogueConnection.open(address)
        defer { Task { await c.close() } }
        let applied = try await CatalogueSchema.migrate(c, toolVersion: "test")
        XCTAssertEqual(applied, [1])
        let again = try await CatalogueSchema.migrate(c, toolVersion: "test")
        XCTAssertEqual(again, [])
        XCTAssertEqual(try server.psql(address, "INSERT INTO lostdata.schema_version (version, tool_version) VALUES (\(CatalogueSchema.version + 1), '9.9.9')").status, 0)
        let export = CatalogueExport(facility: "F", techniques: [.sem], acquiredMode: .none, declaredAcquired: [:], images: [], articles: [],
                                     articleImages: [], baselines: [], decisions: [])
        do {
            _ = try await CataloguePush.push(export, to: c)
            XCTFail("a newer catalogue was written to")
        } catch let e as CatalogueError {
            XCTAssertTrue(e.description.contains("schema version \(CatalogueSchema.version + 1), newer than this lostdata knows"), e.description)
        }
        do {
            _ = try await CatalogueTable1.table(c)
            XCTFail("a newer catalogue was read")
        } catch let e as CatalogueError {
            XCTAssertTrue(e.description.contains("newer"), e.description)
        }
        XCTAssertEqual(try server.psql(address, "SELECT count(*) FROM lostdata.facility").output, "0\n")
    }

    func testTwoPushesOfOneFacilityAreSerialisedWithAMessage() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("serial")
        let f = try await FacilityStudy.make(name: "Serial", images: 300, seed: 5)
        defer { f.remove() }
        _ = try await Self.push(try f.study.catalogueExport(), address)
        // A session holds the facility's lock, as a running push would.
        let holder = try await CatalogueConnection.open(address)
        try await holder.run("BEGIN")
        try await holder.run("SELECT pg_advisory_xact_lock(\(Int32(0x6C64_6174)), hashtext('Serial'))")
        let waited = WaitLog()
        var changed = try f.study.catalogueExport()
        changed.articleImages.removeLast()
        let toPush = changed
        let onWait: @Sendable (String) -> Void = { waited.add($0) }
        let target = address
        let pushing = Task.detached { () async throws -> PushResult in try await CataloguePushTests.push(toPush, target, onWait: onWait) }
        try await Task.sleep(nanoseconds: 1_500_000_000)
        XCTAssertEqual(waited.lines, ["another push of facility 'Serial' is running; waiting for it to finish"])
        try await holder.run("COMMIT")
        await holder.close()
        let result = try await pushing.value
        XCTAssertFalse(result.unchanged)
    }

    static func push(_ export: CatalogueExport, _ address: CatalogueAddress, onWait: @escaping @Sendable (String) -> Void = { _ in }) async throws -> PushResult {
        let c = try await CatalogueConnection.open(address)
        do {
            let r = try await CataloguePush.push(export, to: c, onWait: onWait)
            await c.close()
            return r
        } catch {
            await c.close()
            throw error
        }
    }
}

final class WaitLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func add(_ s: String) { lock.lock(); storage.append(s); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}
