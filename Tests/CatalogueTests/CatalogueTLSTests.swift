@testable import Catalogue
import Foundation
import XCTest

/// TLS against the test server running `ssl=on` with a certificate for `localhost` signed by a
/// test CA (TestServer.makeCertificates). Skipped without openssl.
final class CatalogueTLSTests: XCTestCase {
    func tlsServer() throws -> (TestServer, ca: URL, otherCA: URL) {
        let server = try TestServer.shared()
        guard let tls = server.tls else { throw XCTSkip("openssl is not installed (/usr/bin/openssl): the TLS tests need it to make certificates") }
        return (server, tls.ca, tls.otherCA)
    }

    func connect(_ url: String, environment: [String: String] = [:]) async throws -> String {
        let address = try CatalogueAddress.resolve(url: url, environment: environment)
        let c = try await CatalogueConnection.open(address)
        defer { Task { await c.close() } }
        let rows = try await c.rows("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        return try rows.first?.decode(String.self) ?? "?"
    }

    func refusal(_ url: String, environment: [String: String] = [:]) async throws -> String {
        do {
            _ = try await connect(url, environment: environment)
            XCTFail("\(url) connected")
            return ""
        } catch let e as CatalogueError {
            return e.description
        }
    }

    func testVerifyFullWithTheCAConnectsAndAWrongNameOrUnknownCAIsRefused() async throws {
        let (server, ca, other) = try tlsServer()
        let base = "postgres://postgres@localhost:\(server.port)/postgres"
        // The CA in the URL, or in PGSSLROOTCERT.
        let r1 = try await connect(base + "?sslmode=verify-full&sslrootcert=\(ca.path)")
        XCTAssertEqual(r1, "true")
        let r2 = try await connect(base + "?sslmode=verify-full", environment: ["PGSSLROOTCERT": ca.path])
        XCTAssertEqual(r2, "true")
        // sslmode=require: encrypted, the certificate not checked (no CA given).
        let r3 = try await connect("postgres://postgres@127.0.0.1:\(server.port)/postgres?sslmode=require")
        XCTAssertEqual(r3, "true")
        // disable: in clear.
        let r4 = try await connect("postgres://postgres@127.0.0.1:\(server.port)/postgres?sslmode=disable")
        XCTAssertEqual(r4, "false")

        // The certificate names localhost only: 127.0.0.1 is refused under verify-full…
        let wrongName = try await refusal("postgres://postgres@127.0.0.1:\(server.port)/postgres?sslmode=verify-full&sslrootcert=\(ca.path)")
        XCTAssertTrue(wrongName.contains("cannot connect to the catalogue postgres://postgres@127.0.0.1:\(server.port)/postgres"), wrongName)
        XCTAssertTrue(wrongName.contains("the server's certificate does not name the host '127.0.0.1'"), wrongName)
        // …but accepted under verify-ca (the chain only).
        let r5 = try await connect("postgres://postgres@127.0.0.1:\(server.port)/postgres?sslmode=verify-ca&sslrootcert=\(ca.path)")
        XCTAssertEqual(r5, "true")
        // A CA that did not sign the server's certificate.
        let unknown = try await refusal(base + "?sslmode=verify-full&sslrootcert=\(other.path)")
        XCTAssertTrue(unknown.contains("the server's certificate is not signed by a trusted CA — checked against the CA in \(other.path)"), unknown)
        // A missing CA file: named.
        let missing = try await refusal(base + "?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt")
        XCTAssertTrue(missing.contains("/nonexistent/ca.crt"), missing)
        print("refusals:\n  \(wrongName)\n  \(unknown)\n  \(missing)")
    }
}
