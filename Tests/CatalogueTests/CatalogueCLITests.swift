@testable import Catalogue
import Foundation
import XCTest

/// The built `lostdata catalogue …` commands against the test server, among them pushes killed
/// with SIGKILL at random moments.
final class CatalogueCLITests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var executable: URL {
        get throws {
            guard let found = CLI.builtExecutable() else {
                throw XCTSkip("the lostdata executable is not built; looked in \(CLI.executableCandidates.map(\.path))")
            }
            return found
        }
    }

    /// This process's environment without the PostgreSQL settings a developer may have, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for k in env.keys where k.hasPrefix("PG") || k == "LOSTDATA_CATALOGUE_URL" { env[k] = nil }
        env.merge(extra) { $1 }
        return env
    }

    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = try Self.executable
        p.arguments = arguments
        p.environment = Self.environment(environment)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return (p, out, err)
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try CLI.capture(try Self.executable, arguments, environment: Self.environment(environment))
        return (r.status, r.stdout, r.stderr)
    }

    func url(_ a: CatalogueAddress) -> String { "postgres://\(a.user)@127.0.0.1:\(a.port)/\(a.database)?sslmode=disable" }

    /// Everything a push writes, except when it happened: equal snapshots mean equal catalogues.
    func snapshot(_ server: TestServer, _ a: CatalogueAddress) throws -> String {
        let sql = """
            SELECT (SELECT coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') FROM (SELECT name, techniques, acquired_mode, content_hash FROM lostdata.facility) x)
            || (SELECT coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') FROM lostdata.image x)
            || (SELECT coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') FROM lostdata.article_images x)
            || (SELECT coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') FROM lostdata.baseline_column x)
            """
        let r = try server.psql(a, sql)
        XCTAssertEqual(r.status, 0, r.output)
        return r.output
    }

    func testAPushKilledAtRandomMomentsLeavesTheCatalogueAsItWasAndTheNextOneCompletes() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("kill")
        let f = try await FacilityStudy.make(name: "Killed", images: 2500, seed: 21, articles: 300)
        defer { f.remove() }
        let push = ["catalogue", "push", "--study", f.directory.path, "--to", url(address), "-q"]
        // Two versions of the article counts; a completed push of each gives its catalogue state.
        let csv = f.directory.appendingPathComponent("counts.csv")
        let versionA = try String(contentsOf: csv, encoding: .utf8)
        let versionB = versionA.replacingOccurrences(of: ",0,", with: ",7,")
        XCTAssertNotEqual(versionA, versionB)
        try versionB.write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(push).status, 0)
        let stateB = try snapshot(server, address)
        try versionA.write(to: csv, atomically: true, encoding: .utf8)
        let started = Date()
        let first = try run(push)
        XCTAssertEqual(first.status, 0, first.stderr)
        let duration = Date().timeIntervalSince(started)
        let stateA = try snapshot(server, address)
        XCTAssertNotEqual(stateA, stateB)

        // Each round asks for the other state and kills the push at a random moment of its life
        // (start-up, export, COPY, the transaction, exit): the catalogue must then be exactly the
        // state before the round, or exactly the other one — never a mixture.
        var generator = SplitMix(seed: UInt64(Date().timeIntervalSince1970))
        var sawBefore = 0, sawAfter = 0
        var current = stateA
        for round in 0..<10 {
            let target = current == stateA ? versionB : versionA
            let targetState = current == stateA ? stateB : stateA
            try target.write(to: csv, atomically: true, encoding: .utf8)
            let (p, _, _) = try start(push)
            // usleep, not Task.sleep, which oversleeps by tenths of a second on a loaded machine.
            let delay = Double(generator.next() % 1000) / 1000 * duration
            usleep(UInt32(delay * 1e6))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let now = try snapshot(server, address)
            if now == current {
                sawBefore += 1
            } else {
                XCTAssertEqual(now, targetState, "round \(round) (kill after \(delay) s): the catalogue is neither as before nor complete")
                sawAfter += 1
                current = now
            }
        }
        // The next push completes (the killed sessions' locks went with them), and a re-push is idle.
        let next = try run(push)
        XCTAssertEqual(next.status, 0, next.stderr)
        let complete = try snapshot(server, address)
        XCTAssertTrue(complete == stateA || complete == stateB)
        let again = try run(["catalogue", "push", "--study", f.directory.path, "--to", url(address)])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("Killed: nothing changed since the last push; nothing written"), again.stderr)
        XCTAssertGreaterThan(sawBefore, 0, "no kill landed before COMMIT (push took \(duration) s); the test proved nothing")
        print("killed pushes: \(sawBefore) left the catalogue as before, \(sawAfter) came after COMMIT (push: \(duration) s)")
    }

    func testCommandsPrintTable1ListAndNeverThePassword() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("cli")
        let f = try await FacilityStudy.make(name: "CLI facility", images: 200, seed: 8)
        defer { f.remove() }
        let initialised = try run(["catalogue", "init", "--to", url(address)])
        XCTAssertEqual(initialised.status, 0, initialised.stderr)
        XCTAssertTrue(initialised.stderr.contains("applied schema migration(s) 1"), initialised.stderr)
        // The address from the environment, as libpq's variables.
        let env = ["PGHOST": "127.0.0.1", "PGPORT": String(address.port), "PGUSER": "postgres", "PGDATABASE": address.database, "PGSSLMODE": "disable"]
        let pushed = try run(["catalogue", "push", "--study", f.directory.path, "--json"], environment: env)
        XCTAssertEqual(pushed.status, 0, pushed.stderr)
        XCTAssertTrue(pushed.stdout.contains("\"facility\":\"CLI facility\",\"unchanged\":false"), pushed.stdout)

        let table = try run(["catalogue", "table1", "--format", "csv"], environment: ["LOSTDATA_CATALOGUE_URL": url(address)])
        XCTAssertEqual(table.status, 0, table.stderr)
        let own = try run(["table1", "--study", f.directory.path, "--format", "csv"])
        // The study's own facility columns reappear, followed by the network's.
        let ownRow = own.stdout.split(separator: "\n").first { $0.hasPrefix("Number of acquired images") }!
        let catalogueRow = table.stdout.split(separator: "\n").first { $0.hasPrefix("Number of acquired images") }!
        let ownFacility = ownRow.split(separator: ",").dropFirst().prefix(3)
        XCTAssertEqual(Array(catalogueRow.split(separator: ",").dropFirst().prefix(3)), Array(ownFacility))
        XCTAssertEqual(Array(catalogueRow.split(separator: ",").dropFirst(4).prefix(3)), Array(ownFacility), "one facility: the network equals it")
        XCTAssertTrue(table.stdout.hasPrefix("Data source,CLI facility,CLI facility,CLI facility,All facilities"), table.stdout)

        let list = try run(["catalogue", "list", "--from", url(address)])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("CLI facility\t"), list.stdout)
        let pushedImages = try f.study.catalogueExport().images.count
        XCTAssertTrue(list.stdout.contains("\t\(pushedImages)\t"), list.stdout)

        // A wrong password: the message names the catalogue, redacted.
        let refused = try run(["catalogue", "list", "--from", "postgres://postgres:hunter2@127.0.0.1:1/x?sslmode=disable"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("postgres://postgres:***@127.0.0.1:1/x"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("hunter2") || refused.stdout.contains("hunter2"), refused.stderr)
    }

    /// An unchanged re-push asks the catalogue for its stored hash instead of rendering the rows
    /// (`"rendered":false`); a change in the study, or another push over the facility's rows in
    /// the catalogue, makes the next push render and write again.
    func testAnUnchangedRepushRendersNothingButAChangeOrAnotherPushIsPushed() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("memory")
        let f = try await FacilityStudy.make(name: "Memory facility", images: 120, seed: 21)
        let other = try await FacilityStudy.make(name: "Other study", images: 80, seed: 22)
        defer { f.remove(); other.remove() }
        let push = ["catalogue", "push", "--study", f.directory.path, "--to", url(address), "--json"]
        func pushed(_ arguments: [String]) throws -> String {
            let r = try run(arguments)
            XCTAssertEqual(r.status, 0, r.stderr)
            return r.stdout
        }
        XCTAssertTrue(try pushed(push).contains("\"unchanged\":false,\"rendered\":true"))
        XCTAssertTrue(try pushed(push).contains("\"unchanged\":true,\"rendered\":false"), "an unchanged study was rendered again")
        let plain = try run(Array(push.dropLast()))
        XCTAssertTrue(plain.stderr.contains("Memory facility: nothing changed since the last push; nothing written (study unchanged"), plain.stderr)

        // A change in the study (one article's counts): rendered and written.
        let counts = f.directory.appendingPathComponent("counts.csv")
        try (try String(contentsOf: counts, encoding: .utf8) + "Mem-extra,7,0,2\n").write(to: counts, atomically: true, encoding: .utf8)
        XCTAssertTrue(try pushed(push).contains("\"unchanged\":false,\"rendered\":true"), "a changed study was not pushed")
        XCTAssertTrue(try pushed(push).contains("\"rendered\":false"))

        // Another study pushes over the same facility: the catalogue no longer holds what this
        // study remembers, so its next push renders and restores its rows.
        _ = try pushed(["catalogue", "push", "--study", other.directory.path, "--to", url(address), "--facility", "Memory facility"])
        XCTAssertTrue(try pushed(push).contains("\"unchanged\":false,\"rendered\":true"), "a facility overwritten by another push was not re-pushed")
        // Deleted in the catalogue meanwhile: pushed again.
        XCTAssertEqual(try server.psql(address, "DELETE FROM lostdata.facility WHERE name = 'Memory facility'").status, 0)
        XCTAssertTrue(try pushed(push).contains("\"rendered\":true"), "a facility deleted from the catalogue was not re-pushed")
        XCTAssertTrue(try pushed(push).contains("\"unchanged\":true,\"rendered\":false"))
    }
}
