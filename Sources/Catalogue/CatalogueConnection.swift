import Foundation
import Logging
import PostgresNIO

/// An error of the catalogue, with a message fit for the user (addresses redacted).
public struct CatalogueError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// The server's SQLSTATE when the server refused something (42501: permission denied, …).
    public var sqlState: String?
    public init(_ description: String, sqlState: String? = nil) { self.description = description; self.sqlState = sqlState }
}

/// One connection to the catalogue server. Every value travels as a bound parameter or inside
/// COPY data; SQL text is built only from the project's own constants.
public final class CatalogueConnection: @unchecked Sendable {
    let connection: PostgresConnection
    let logger: Logger
    public let address: CatalogueAddress

    init(connection: PostgresConnection, address: CatalogueAddress, logger: Logger) {
        self.connection = connection
        self.address = address
        self.logger = logger
    }

    public static func open(_ address: CatalogueAddress, logger: Logger = Logger(label: "lostdata.catalogue")) async throws -> CatalogueConnection {
        var configuration: PostgresConnection.Configuration
        if let socket = address.unixSocketPath {
            configuration = .init(unixSocketPath: socket, username: address.user, password: address.password, database: address.database)
        } else {
            configuration = .init(host: address.host, port: address.port, username: address.user, password: address.password,
                                  database: address.database, tls: try tls(address))
        }
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            return CatalogueConnection(connection: connection, address: address, logger: logger)
        } catch {
            throw CatalogueError("cannot connect to the catalogue \(address): \(Self.tlsExplanation(error, address) ?? Self.message(error))")
        }
    }

    /// TLS as libpq's `sslmode` asks: `disable` none; `allow`/`prefer` when the server offers it;
    /// `require` encrypted without checking the certificate; `verify-ca` the chain; `verify-full`
    /// the chain and the host name.
    static func tls(_ address: CatalogueAddress) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch address.sslMode {
        case .disable: return .disable
        case .allow, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let root = address.sslRootCert { tls.trustRoots = .file(root) }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: tls) } catch {
            throw CatalogueError("cannot set up TLS for \(address): \(error)" + (address.sslRootCert.map { " (sslrootcert \($0))" } ?? ""))
        }
        switch address.sslMode {
        case .allow, .prefer: return .prefer(context)
        default: return .require(context)
        }
    }

    public func close() async {
        try? await connection.close()
    }

    /// Runs a statement and drops its rows.
    func run(_ query: PostgresQuery) async throws {
        do { _ = try await connection.query(query, logger: logger).collect() } catch { throw wrap(error) }
    }

    /// Runs a query and returns its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do { return try await connection.query(query, logger: logger).collect() } catch { throw wrap(error) }
    }

    func wrap(_ error: Error) -> Error {
        if error is CatalogueError || error is CancellationError { return error }
        return CatalogueError("catalogue \(address): \(Self.message(error))", sqlState: Self.sqlState(error))
    }

    /// The server's own message when there is one (postgres-nio's description hides it).
    static func message(_ error: Error) -> String {
        if let psql = error as? PSQLError {
            if let fields = psql.serverInfo {
                let text = fields[.message] ?? "server error"
                let code = fields[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return text + code
            }
            return "\(psql.code)"
        }
        return "\(error)"
    }

    /// A failed TLS handshake in words: postgres-nio reports it as a bare `connectionError`
    /// with NIOSSL's error underneath. Nil when the failure is not about the certificate.
    static func tlsExplanation(_ error: Error, _ address: CatalogueAddress) -> String? {
        // The server answered the SSLRequest with 'N' (ssl=off): with require/verify-* that is a
        // refusal, never a silent fall-back to plain text.
        if let psql = error as? PSQLError, psql.code == .sslUnsupported {
            return "TLS: the server does not offer TLS, and sslmode=\(address.sslMode.rawValue) asks for it (use sslmode=prefer to allow a connection in clear)"
        }
        guard let psql = error as? PSQLError, let underlying = psql.underlying else { return nil }
        let text = String(describing: underlying)
        let roots = address.sslRootCert.map { "the CA in \($0)" } ?? "the system's CAs (give sslrootcert= or PGSSLROOTCERT)"
        if text.contains("ailedToValidateHostname") || text.lowercased().contains("hostname") {
            return "TLS: the server's certificate does not name the host '\(address.host)' (sslmode=verify-full checks it; connect by a name the certificate lists, or use sslmode=verify-ca) [\(text)]"
        }
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") || text.contains("handshakeFailed") {
            return "TLS: the server's certificate is not signed by a trusted CA — checked against \(roots) [\(text)]"
        }
        return "\(psql.code): \(text)"
    }

    /// The server's SQLSTATE of an error, if it came from the server.
    static func sqlState(_ error: Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
