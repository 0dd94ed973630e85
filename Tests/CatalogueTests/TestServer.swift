import Catalogue
import Foundation
import XCTest

/// A throwaway PostgreSQL cluster for the tests: `initdb` into a temporary directory, `pg_ctl`
/// start on 127.0.0.1 at a free port with its Unix socket in that directory, trust
/// authentication (the tests log in as any role, which the row-level-security tests need), no
/// fsync. Run as user `postgres` through `runuser` when the tests run as root (the server refuses
/// root). Started once per test process, stopped and deleted when the process exits. Without
/// Debian's `postgresql` the tests skip with a message saying so.
final class TestServer: @unchecked Sendable {
    let directory: URL
    let port: Int
    let binDirectory: URL
    /// With Debian's `openssl`: the server runs `ssl=on` with a certificate for `localhost` only,
    /// signed by `ca`; `otherCA` signed nothing the server has (the "unknown CA" case). Nil
    /// without openssl (the TLS tests then skip).
    var tls: (ca: URL, otherCA: URL)?
    /// The address of the maintenance database `postgres` as the superuser.
    var admin: CatalogueAddress {
        CatalogueAddress(host: "127.0.0.1", port: port, user: "postgres", database: "postgres", sslMode: .disable)
    }

    private init(directory: URL, port: Int, binDirectory: URL) {
        self.directory = directory
        self.port = port
        self.binDirectory = binDirectory
    }

    nonisolated(unsafe) private static var started: Result<TestServer, Error>?
    private static let lock = NSLock()

    /// The shared server, started on first use; throws XCTSkip when none can be started.
    static func shared() throws -> TestServer {
        lock.lock()
        defer { lock.unlock() }
        if started == nil { started = Result { try start() } }
        switch started! {
        case .success(let s): return s
        case .failure(let e as XCTSkip): throw e
        case .failure(let e): throw XCTSkip("no PostgreSQL server could be started for the catalogue tests: \(e)")
        }
    }

    static func findBinaries() -> URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for v in versions {
            let bin = root.appendingPathComponent("\(v)/bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        return nil
    }

    static let isRoot = getuid() == 0

    private static func start() throws -> TestServer {
        guard let bin = findBinaries() else {
            throw XCTSkip("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install Debian's `postgresql` (.ci/run does) to run the catalogue tests")
        }
        if isRoot && !FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") && !FileManager.default.isExecutableFile(atPath: "/sbin/runuser") {
            throw XCTSkip("running as root without runuser: the PostgreSQL server cannot be started as user postgres")
        }
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("lostdata-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if isRoot {
            _ = try run("/bin/chown", ["postgres:postgres", dir.path])
        }
        let data = dir.appendingPathComponent("data").path
        let initdb = try run(bin.appendingPathComponent("initdb").path,
                             ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asServer: true)
        guard initdb.status == 0 else { throw XCTSkip("initdb failed: \(initdb.output)") }
        let tls = try makeCertificates(dir: dir, data: URL(fileURLWithPath: data))
        var lastError = ""
        for _ in 0..<5 {
            let port = try freePort()
            var options = "-c listen_addresses=127.0.0.1 -p \(port) -k \(dir.path) -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
            if tls != nil { options += " -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key" }
            let ctl = try run(bin.appendingPathComponent("pg_ctl").path,
                              ["-D", data, "-o", options, "-l", dir.appendingPathComponent("server.log").path, "-w", "-t", "30", "start"], asServer: true)
            if ctl.status == 0 {
                let server = TestServer(directory: dir, port: port, binDirectory: bin)
                server.tls = tls
                stopAtExit = (bin.appendingPathComponent("pg_ctl").path, data, dir.path)
                atexit {
                    guard let (ctl, data, dir) = TestServer.stopAtExit else { return }
                    _ = try? TestServer.run(ctl, ["-D", data, "-m", "immediate", "-w", "stop"], asServer: true)
                    try? FileManager.default.removeItem(atPath: dir)
                }
                return server
            }
            lastError = ctl.output + ((try? String(contentsOf: dir.appendingPathComponent("server.log"), encoding: .utf8)) ?? "")
        }
        throw XCTSkip("pg_ctl could not start a server: \(lastError)")
    }

    /// A CA and a server certificate for `localhost` (no IP address in it), made with `openssl`;
    /// the key in the data directory, mode 0600, owned by the server's user as PostgreSQL demands.
    static func makeCertificates(dir: URL, data: URL) throws -> (ca: URL, otherCA: URL)? {
        let openssl = ["/usr/bin/openssl", "/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let openssl else { return nil }
        let certs = dir.appendingPathComponent("certs")
        try FileManager.default.createDirectory(at: certs, withIntermediateDirectories: true)
        func p(_ name: String) -> String { certs.appendingPathComponent(name).path }
        try "subjectAltName=DNS:localhost\n".write(toFile: p("san.ext"), atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("ca.key"), "-out", p("ca.crt"), "-days", "2", "-subj", "/CN=lostdata test CA"],
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("other.key"), "-out", p("other.crt"), "-days", "2", "-subj", "/CN=lostdata other CA"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("server.key"), "-out", p("server.csr"), "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", p("server.csr"), "-CA", p("ca.crt"), "-CAkey", p("ca.key"), "-CAcreateserial", "-out", p("server.crt"),
             "-days", "2", "-extfile", p("san.ext")],
        ]
        for step in steps {
            let r = try run(openssl, step)
            guard r.status == 0 else { throw CatalogueError("openssl \(step.prefix(2).joined(separator: " ")) failed: \(r.output)") }
        }
        for name in ["server.crt", "server.key"] {
            let target = data.appendingPathComponent(name).path
            _ = try run("/bin/cp", [p(name), target])
            if isRoot { _ = try run("/bin/chown", ["postgres:postgres", target]) }
            _ = try run("/bin/chmod", [name.hasSuffix(".key") ? "0600" : "0644", target])
        }
        return (URL(fileURLWithPath: p("ca.crt")), URL(fileURLWithPath: p("other.crt")))
    }

    nonisolated(unsafe) static var stopAtExit: (String, String, String)?

    /// A port the kernel just handed out on 127.0.0.1 (free unless someone takes it first; the
    /// caller retries with another).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CatalogueError("socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0 else { throw CatalogueError("bind() failed") }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Runs a program (as postgres through runuser when root and `asServer`), output captured.
    /// posix_spawn and waitpid, not Foundation's Process: `pg_ctl start` leaves the server
    /// running with descriptors it inherited, and Process (which watches a descriptor to see its
    /// child end) then never returns. Output goes to a file for the same reason.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], asServer: Bool = false) throws -> (status: Int32, output: String) {
        var argv = [program] + arguments
        if asServer && isRoot {
            let runuser = FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") ? "/usr/sbin/runuser" : "/sbin/runuser"
            argv = [runuser, "-u", "postgres", "--"] + argv
        }
        let capture = NSTemporaryDirectory() + "lostdata-pg-output-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: capture) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ)
        guard spawned == 0 else { throw CatalogueError("cannot run \(argv[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
        // WIFEXITED/WEXITSTATUS by hand (macros).
        let exited = (status & 0x7F) == 0
        return (exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), output)
    }

    /// A new, empty database for one test, so tests do not see each other's facilities.
    func freshDatabase(_ label: String = "t") throws -> CatalogueAddress {
        let name = "lostdata_\(label)_\(UInt32.random(in: 0...UInt32.max))"
        let created = try psql(admin, "CREATE DATABASE \(name)")
        guard created.status == 0 else { throw CatalogueError("CREATE DATABASE failed: \(created.output)") }
        var address = admin
        address.database = name
        return address
    }

    /// The address of `database` as another role (trust authentication: no password).
    func address(_ database: CatalogueAddress, user: String) -> CatalogueAddress {
        var a = database
        a.user = user
        return a
    }

    /// `psql` from the same installation, for checks by hand.
    func psql(_ address: CatalogueAddress, _ sql: String) throws -> (status: Int32, output: String) {
        try Self.run(binDirectory.appendingPathComponent("psql").path,
                     ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", address.user, "-d", address.database, "-c", sql])
    }
}
