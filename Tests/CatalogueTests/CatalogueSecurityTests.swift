@testable import Catalogue
import Core
import Foundation
import Ledger
import Study
import XCTest

/// Roles and row-level security, and the address rules (no password ever printed).
final class CatalogueSecurityTests: XCTestCase {
    func export(_ facility: String, images: Int) -> CatalogueExport {
        var rows: [CatalogueExport.Image] = []
        for i in 0..<images {
            let technique = i % 2 == 0 ? "SEM" : "TEM"
            let id = CatalogueExport.imageID(facility: facility, relativePath: "d/\(i).tif")
            rows.append(CatalogueExport.Image(id: id, year: 2015 + i % 5, date: "2015-01-01", instrument: "S-4800", technique: technique,
                                              countedAs: technique, detectorClass: "SE", magnification: 5000, fovNm: 20000,
                                              scaleBarDecadeNm: 1000, sizeBytes: 1000))
        }
        return CatalogueExport(facility: facility, techniques: [.sem, .tem], acquiredMode: .archive, declaredAcquired: [:],
                               images: rows, articles: [], articleImages: [ArticleImages(id: "a", images: [.sem: 1])],
                               baselines: [], decisions: [])
    }

    func testAWritersRowsAreItsOwnAndTheAnalystOnlyReads() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("rls")
        let admin = try await CatalogueConnection.open(address)
        let created = try await CatalogueRoles.setUp(admin, facilities: ["A", "B"])
        XCTAssertEqual(created.map(\.facility), [nil, "A", "B"])
        _ = try await CataloguePush.push(export("B", images: 6), to: admin)
        await admin.close()
        let writerA = server.address(address, user: CatalogueRoles.writerRole("A"))

        // A's writer pushes A.
        let a = try await CatalogueConnection.open(writerA)
        let pushedA = try await CataloguePush.push(export("A", images: 4), to: a)
        XCTAssertEqual(pushedA.tables.first { $0.table == "image" }?.inserted, 4)
        // A's writer cannot push B: the server refuses the rows, the push rolls back whole.
        do {
            _ = try await CataloguePush.push(export("B", images: 2), to: a)
            XCTFail("facility A's writer replaced facility B's rows")
        } catch let e as CatalogueError {
            XCTAssertEqual(e.sqlState, "42501", e.description)
            XCTAssertTrue(e.description.contains("row-level security"), e.description)
        }
        await a.close()
        XCTAssertEqual(try server.psql(address, "SELECT count(*) FROM lostdata.image WHERE facility = 'B'").output, "6\n")
        // Nor change or delete them by hand.
        let update = try server.psql(writerA, "UPDATE lostdata.image SET year = 1900 WHERE facility = 'B' RETURNING 1")
        XCTAssertEqual(update.output, "", update.output)
        let delete = try server.psql(writerA, "DELETE FROM lostdata.image WHERE facility = 'B' RETURNING 1")
        XCTAssertEqual(delete.output, "")
        let insert = try server.psql(writerA, "INSERT INTO lostdata.image (facility, id, year, acquired_on, size_bytes) VALUES ('B', 'x', 2000, '2000-01-01', 1)")
        XCTAssertNotEqual(insert.status, 0)
        XCTAssertTrue(insert.output.contains("row-level security"), insert.output)
        XCTAssertEqual(try server.psql(address, "SELECT count(*), min(year) FROM lostdata.image WHERE facility = 'B'").output, "6|2015\n")
        // But it reads everyone's rows (Table 1 across facilities).
        XCTAssertEqual(try server.psql(writerA, "SELECT count(*) FROM lostdata.image").output, "10\n")

        // The analyst reads and writes nothing.
        let analyst = server.address(address, user: CatalogueRoles.analyst)
        XCTAssertEqual(try server.psql(analyst, "SELECT count(*) FROM lostdata.image").output, "10\n")
        let write = try server.psql(analyst, "DELETE FROM lostdata.image")
        XCTAssertNotEqual(write.status, 0)
        XCTAssertTrue(write.output.contains("permission denied"), write.output)
        let c = try await CatalogueConnection.open(analyst)
        let table = try await CatalogueTable1.table(c)
        await c.close()
        XCTAssertEqual(table.sources.map(\.name), ["A", "B", CatalogueTable1.networkName])
    }

    func testWriterRoleNamesAreSafeIdentifiersWhateverTheFacility() {
        let role = CatalogueRoles.writerRole("x'); DROP ROLE postgres; --")
        XCTAssertTrue(role.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, role)
        XCTAssertTrue(role.hasPrefix("lostdata_writer_xdroprolepostgres_"))
        XCTAssertNotEqual(CatalogueRoles.writerRole("A-B"), CatalogueRoles.writerRole("AB"))
    }

    func testAddressesComeFromTheURLThenTheEnvironmentAndNeverShowThePassword() throws {
        let a = try CatalogueAddress.resolve(url: "postgres://ana:s%40cret@db.example.org:6543/lost?sslmode=verify-full", environment: [:], home: "/nonexistent")
        XCTAssertEqual([a.host, a.user, a.password, a.database], ["db.example.org", "ana", "s@cret", "lost"])
        XCTAssertEqual(a.port, 6543)
        XCTAssertEqual(a.sslMode, .verifyFull)
        XCTAssertEqual(a.description, "postgres://ana:***@db.example.org:6543/lost?sslmode=verify-full")
        XCTAssertFalse(a.description.contains("cret"))

        let env = ["LOSTDATA_CATALOGUE_URL": "postgresql://bo@h/c?sslmode=require"]
        XCTAssertEqual(try CatalogueAddress.resolve(url: nil, environment: env, home: "/nonexistent").description, "postgres://bo@h:5432/c?sslmode=require")

        // libpq's variables, and the password from ~/.pgpass (first matching line, * wildcards).
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try "# comment\nother:5432:*:*:no\npg.local:5433:*:cy:pa\\:ss\n*:*:*:*:fallback\n"
            .write(to: home.appendingPathComponent(".pgpass"), atomically: true, encoding: .utf8)
        let libpq = try CatalogueAddress.resolve(url: nil, environment: ["PGHOST": "pg.local", "PGPORT": "5433", "PGUSER": "cy", "PGDATABASE": "cat"], home: home.path)
        XCTAssertEqual(libpq.password, "pa:ss")
        XCTAssertEqual(libpq.description, "postgres://cy:***@pg.local:5433/cat")
        XCTAssertEqual(try CatalogueAddress.resolve(url: nil, environment: ["PGHOST": "x", "PGPASSWORD": "envpw"], home: home.path).password, "envpw")

        XCTAssertThrowsError(try CatalogueAddress.resolve(url: nil, environment: [:], home: home.path)) { e in
            XCTAssertTrue("\(e)".contains("no catalogue given"), "\(e)")
        }
        XCTAssertThrowsError(try CatalogueAddress.parse("mysql://u:secret@h/d")) { e in
            XCTAssertFalse("\(e)".contains("secret"), "\(e)")
        }
        XCTAssertThrowsError(try CatalogueAddress.parse("postgres://h/d?sslmode=sometimes"))
        // A Unix socket directory as host.
        let socket = try CatalogueAddress.parse("postgres:///cat?host=/run/postgresql&port=5999&user=u")
        XCTAssertEqual(socket.unixSocketPath, "/run/postgresql/.s.PGSQL.5999")
    }

    func testTLSIsRequiredWhenAskedAndRefusedByAServerWithoutIt() async throws {
        // A server without TLS (the test cluster has TLS when openssl is installed, so a stand-in
        // on 127.0.0.1 answers the client's SSLRequest with 'N', as PostgreSQL with ssl=off
        // does): `require` must fail, not fall back to plain text.
        let server = try TestServer.shared()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(listener, 0)
        // shutdown wakes the answering thread's accept() should the client never arrive.
        defer { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        XCTAssertTrue(bound)
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let requestSeen = Locked<[UInt8]>([])
        let answering = Thread {
            // One client per sslmode tried below.
            for _ in 0..<2 {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                // The SSLRequest: length 8, code 80877103 (0x04D2162F).
                var request = [UInt8](repeating: 0, count: 8)
                let n = read(client, &request, 8)
                requestSeen.set(Array(request.prefix(max(n, 0))))
                _ = write(client, "N", 1)
                usleep(200_000)
                close(client)
            }
        }
        answering.start()
        var address = server.admin
        address.port = port
        for mode in [CatalogueAddress.SSLMode.require, .verifyFull] {
            address.sslMode = mode
            do {
                let c = try await CatalogueConnection.open(address)
                await c.close()
                XCTFail("sslmode=\(mode.rawValue) connected without TLS")
            } catch let e as CatalogueError {
                XCTAssertTrue(e.description.contains("cannot connect"), e.description)
                if mode == .require {
                    XCTAssertTrue(e.description.contains("the server does not offer TLS, and sslmode=require asks for it"), e.description)
                }
            }
            XCTAssertEqual(requestSeen.get(), [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F], "the client did not open with an SSLRequest")
        }
        var real = server.admin
        real.sslMode = .prefer
        let c = try await CatalogueConnection.open(real)
        await c.close()
    }
}

/// A value shared with the stand-in server's thread.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ v: Value) { lock.lock(); value = v; lock.unlock() }
}
