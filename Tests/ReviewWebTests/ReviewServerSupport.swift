import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A demo study, a `lostdata review serve` process on it, and a small HTTP/1.1 client that
/// sends exactly the headers a test gives (Host, Origin, Cookie) over a socket to 127.0.0.1.
enum ReviewFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Run { var status: Int32; var out: String; var err: String }

    /// The built executable, beside the test bundle; the test is skipped when it is not built.
    static var executable: URL {
        get throws {
            guard let found = CLI.builtExecutable() else {
                throw XCTSkip("the lostdata executable is not built (looked in \(CLI.executableCandidates.map(\.path)))")
            }
            return found
        }
    }

    @discardableResult
    static func lostdata(_ arguments: [String]) throws -> Run {
        let r = try CLI.capture(try executable, arguments)
        return Run(status: r.status, out: r.stdout, err: r.stderr)
    }

    /// The classification demo (6 articles, one excluded editorial, figure counts for three),
    /// plus an article whose title holds markup, classified, with a source reading figures.
    static func demoStudy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-review-\(UUID().uuidString)")
        XCTAssertEqual(try lostdata(["init", dir.path, "-q"]).status, 0)
        let hostile = dir.appendingPathComponent("hostile.ris")
        try """
        TY  - JOUR
        TI  - <script>alert("boom")</script> & <b>bold</b> nanoparticles
        AU  - O'Hara, <i>
        PY  - 2020
        JO  - Evil "Journal"
        AB  - An abstract with <img src=x onerror=alert(1)> in it.
        DO  - 10.1000/evil
        M3  - Article
        ER  - \n
        """.write(to: hostile, atomically: true, encoding: .utf8)
        let bib = try lostdata(["bib", "import", "-q", "--study", dir.path,
                                root.appendingPathComponent("Fixtures/classification/demo-articles.ris").path, hostile.path])
        XCTAssertEqual(bib.status, 0, bib.err)
        XCTAssertEqual(try CLI.loadSQL(root.appendingPathComponent("Fixtures/classification/demo-articles.sql"), into: dir), 0)
        XCTAssertEqual(try lostdata(["classify", "-q", "--study", dir.path]).status, 0)
        try "name: review demo\nsources:\n  - {name: Own, techniques: [SEM, STEM, TEM], acquired: {SEM: 1000, STEM: 100, TEM: 1000}, articles: figures}\n"
            .write(to: dir.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    /// A running `lostdata review serve`; stopped with SIGTERM by `stop()` (or at tear-down).
    final class Server {
        let process = Process()
        let url: String
        let port: Int
        let token: String
        private let stdout = Pipe(), stderr = Pipe()

        init(study: URL, reviewer: String = "Ada", extra: [String] = []) throws {
            process.executableURL = try ReviewFixture.executable
            process.arguments = ["review", "serve", "--study", study.path, "--reviewer", reviewer] + extra
            process.standardOutput = stdout
            process.standardError = stderr
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // The first line of stdout is the address with the token.
            var line = Data()
            let handle = stdout.fileHandleForReading
            while true {
                let byte = handle.readData(ofLength: 1)
                if byte.isEmpty || byte == Data("\n".utf8) { break }
                line += byte
            }
            url = String(decoding: line, as: UTF8.self)
            guard let m = url.firstMatch(of: /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{48})$/) else {
                process.terminate()
                throw XCTSkip("review serve did not print its address: '\(url)' \(String(decoding: stderr.fileHandleForReading.availableData, as: UTF8.self))")
            }
            port = Int(m.1)!
            token = String(m.2)
        }

        var cookie: String { "lostdata_review=\(token)" }
        var origin: String { "http://127.0.0.1:\(port)" }

        /// Sends SIGTERM and waits; returns the exit status.
        @discardableResult
        func stop() -> Int32 {
            if process.isRunning {
                kill(process.processIdentifier, SIGTERM)
                let deadline = Date().addingTimeInterval(10)
                while process.isRunning && Date() < deadline { usleep(20_000) }
                if process.isRunning { process.terminate() }
            }
            process.waitUntilExit()
            return process.terminationStatus
        }

        deinit { if process.isRunning { stop() } }

        func get(_ path: String, headers: [String: String]? = nil) throws -> HTTPReply {
            try HTTPReply.send(port: port, method: "GET", path: path, headers: headers ?? ["Cookie": cookie])
        }

        /// A form POST as the page sends it: same origin, with the cookie.
        func post(_ fields: [(String, String)], path: String = "/decide", headers: [String: String]? = nil) throws -> HTTPReply {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
            return try HTTPReply.send(port: port, method: "POST", path: path,
                                      headers: headers ?? ["Cookie": cookie, "Origin": origin], body: Data(body.utf8),
                                      contentType: "application/x-www-form-urlencoded")
        }

        /// The CSRF value and an article's version, as the page shows them.
        func formValues(article id: String) throws -> (csrf: String, version: String) {
            let page = try get("/article?id=" + id.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            let csrf = page.body.firstMatch(of: /name="csrf" value="([0-9a-f]+)"/)!.1
            let version = page.body.firstMatch(of: /data-version="(\d+)"/)!.1
            return (String(csrf), String(version))
        }
    }
}

/// One HTTP/1.1 exchange over a fresh connection (`Connection: close`).
struct HTTPReply {
    var status: Int
    var headers: [String: String]
    var body: String

    static func send(port: Int, method: String, path: String, host: String? = nil, headers: [String: String],
                     body: Data = Data(), contentType: String? = nil) throws -> HTTPReply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var head = "\(method) \(path) HTTP/1.1\r\n"
        var all = headers
        if all["Host"] == nil { all["Host"] = host ?? "127.0.0.1:\(port)" }
        all["Connection"] = "close"
        if method == "POST" {
            all["Content-Length"] = String(body.count)
            if let contentType { all["Content-Type"] = contentType }
        }
        for (k, v) in all.sorted(by: { $0.key < $1.key }) { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        let request = Data(head.utf8) + body
        var sent = 0
        try request.withUnsafeBytes { raw in
            while sent < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { if sent > 0 { return }; throw POSIXError(.EPIPE) }
                sent += n
            }
        }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw POSIXError(.EBADMSG) }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return HTTPReply(status: status, headers: fields, body: String(text[split.upperBound...]))
    }
}
