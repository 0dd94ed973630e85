import Foundation

/// Where the catalogue lives and how to log in: from a `postgres://` URL (`--to`/`--from`), else
/// `LOSTDATA_CATALOGUE_URL`, else libpq's environment (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`,
/// `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`) — and the password, when none is given, from
/// `~/.pgpass` (or `PGPASSFILE`) as libpq reads it. The password is kept only in memory:
/// `description` and every message show the redacted form.
public struct CatalogueAddress: Sendable, Hashable, CustomStringConvertible {
    /// A host name, or a directory holding the server's Unix socket (starts with "/").
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// CA certificates to trust for `verify-ca`/`verify-full` (`sslrootcert`); nil: the system's.
    public var sslRootCert: String?

    /// libpq's `sslmode` values.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
                sslMode: SSLMode = .prefer, sslRootCert: String? = nil) {
        self.host = host; self.port = port; self.user = user; self.password = password
        self.database = database; self.sslMode = sslMode; self.sslRootCert = sslRootCert
    }

    /// The Unix socket path when `host` is a directory, as libpq builds it.
    public var unixSocketPath: String? {
        host.hasPrefix("/") ? host + "/.s.PGSQL.\(port)" : nil
    }

    /// The address with the password left out: safe for messages and logs.
    public var description: String {
        var s = "postgres://" + Self.percentEncode(user) + (password == nil ? "" : ":***") + "@"
        s += host.hasPrefix("/") ? "" : Self.percentEncode(host) + ":\(port)"
        s += "/" + Self.percentEncode(database)
        var query: [String] = []
        if host.hasPrefix("/") { query.append("host=" + Self.percentEncode(host)); query.append("port=\(port)") }
        if sslMode != .prefer { query.append("sslmode=" + sslMode.rawValue) }
        return query.isEmpty ? s : s + "?" + query.joined(separator: "&")
    }

    /// Resolves the address: `url` if given, else `LOSTDATA_CATALOGUE_URL`, else the libpq
    /// variables. `home` locates `.pgpass`.
    public static func resolve(url: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               home: String = NSHomeDirectory()) throws -> CatalogueAddress {
        var address: CatalogueAddress
        if let url = url ?? environment["LOSTDATA_CATALOGUE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            address = try parse(url, environment: environment)
        } else if environment["PGHOST"] != nil || environment["PGDATABASE"] != nil {
            address = try parse("postgres://", environment: environment)
        } else {
            throw Invalid(description: "no catalogue given: pass --to/--from URL, or set LOSTDATA_CATALOGUE_URL, or PGHOST/PGDATABASE")
        }
        if address.password == nil {
            address.password = environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
                ?? PGPassFile.password(for: address, file: environment["PGPASSFILE"] ?? home + "/.pgpass")
        }
        return address
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=…&host=/socket/dir`; what the URL
    /// leaves out comes from the libpq variables, then libpq's defaults.
    public static func parse(_ url: String, environment: [String: String] = [:]) throws -> CatalogueAddress {
        let scheme: String
        if url.hasPrefix("postgresql://") { scheme = "postgresql://" } else if url.hasPrefix("postgres://") { scheme = "postgres://" } else {
            throw Invalid(description: "a catalogue URL starts with postgres:// (got '\(redactedGuess(url))')")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        var queryText = ""
        if let q = rest.firstIndex(of: "?") { queryText = String(rest[rest.index(after: q)...]); rest = rest[..<q] }
        var path = ""
        if let slash = rest.firstIndex(of: "/") { path = String(rest[rest.index(after: slash)...]); rest = rest[..<slash] }
        var user: String?, password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = try decode(credentials[..<colon])
                password = try decode(credentials[credentials.index(after: colon)...])
            } else {
                user = try decode(credentials)
            }
        }
        var host: String?, port: Int?
        if !rest.isEmpty {
            // [v6]:port, host:port or host
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                host = String(rest[rest.index(after: rest.startIndex)..<close])
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(":") { port = Int(after.dropFirst()) ?? -1 }
            } else if let colon = rest.lastIndex(of: ":") {
                host = try decode(rest[..<colon])
                port = Int(rest[rest.index(after: colon)...]) ?? -1
            } else {
                host = try decode(rest)
            }
        }
        var sslMode: SSLMode?, rootCert: String?, database: String? = path.isEmpty ? nil : try decode(Substring(path))
        for pair in queryText.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]), value = parts.count > 1 ? try decode(parts[1]) : ""
            switch key {
            case "sslmode":
                guard let m = SSLMode(rawValue: value) else {
                    throw Invalid(description: "sslmode '\(value)' is not one of " + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                sslMode = m
            case "host": host = value
            case "port": port = Int(value) ?? -1
            case "user": user = value
            case "password": password = value
            case "dbname": database = value
            case "sslrootcert": rootCert = value
            case "application_name", "connect_timeout": break
            default: throw Invalid(description: "unknown catalogue URL parameter '\(key)'")
            }
        }
        let env = { (k: String) in environment[k].flatMap { $0.isEmpty ? nil : $0 } }
        let resolvedPort = port ?? env("PGPORT").map { Int($0) ?? -1 } ?? 5432
        guard (1...65535).contains(resolvedPort) else { throw Invalid(description: "the catalogue port must be a number from 1 to 65535") }
        let resolvedUser = user ?? env("PGUSER") ?? env("USER") ?? "postgres"
        if let modeText = env("PGSSLMODE"), sslMode == nil {
            guard let m = SSLMode(rawValue: modeText) else { throw Invalid(description: "PGSSLMODE '\(modeText)' is not one of " + SSLMode.allCases.map(\.rawValue).joined(separator: ", ")) }
            sslMode = m
        }
        return CatalogueAddress(host: host ?? env("PGHOST") ?? "localhost", port: resolvedPort, user: resolvedUser,
                                password: password, database: database ?? env("PGDATABASE") ?? resolvedUser,
                                sslMode: sslMode ?? .prefer, sslRootCert: rootCert ?? env("PGSSLROOTCERT"))
    }

    static func decode(_ s: Substring) throws -> String {
        guard let d = String(s).removingPercentEncoding else { throw Invalid(description: "bad %-escape in the catalogue URL") }
        return d
    }

    static func percentEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// What an unparseable URL may be shown as: everything after "://" up to "@" hidden.
    static func redactedGuess(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@") else { return url }
        let start = url.range(of: "://")?.upperBound ?? url.startIndex
        return String(url[..<start]) + "***" + String(url[at...])
    }
}

/// libpq's password file: `hostname:port:database:username:password` lines, `*` matching
/// anything, `\:` and `\\` escaped; the first matching line wins.
enum PGPassFile {
    static func password(for address: CatalogueAddress, file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let host = address.host.hasPrefix("/") ? "localhost" : address.host
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(line)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(address.port), address.database, address.user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    static func split(_ line: Substring) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for c in line {
            if escaped { current.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == ":" { fields.append(current); current = "" } else { current.append(c) }
        }
        fields.append(current)
        return fields
    }
}
