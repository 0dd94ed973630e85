import Foundation
import Hummingbird

/// The secrets of one server run: the access token in the URL printed at start (as Jupyter
/// does) and the CSRF token every form carries. Both are new random values per run, so a page
/// on another site can neither guess the address nor forge a change.
struct RunSecrets: Sendable {
    let access: String
    let csrf: String

    static func random() -> RunSecrets {
        RunSecrets(access: randomHex(bytes: 24), csrf: randomHex(bytes: 24))
    }

    static func randomHex(bytes: Int) -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &g)) }.joined()
    }

    /// Compares without stopping at the first difference (no timing hint about the token).
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// The port the server listens on, known once it is bound (port 0 picks a free one).
final class BoundPort: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?
    var port: Int? { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ port: Int) { lock.lock(); value = port; lock.unlock() }
}

/// Every request passes here first:
/// 1. `Host` must name the loopback address and our port — a page on another site that makes
///    its own name resolve to 127.0.0.1 (DNS rebinding) sends its own name and is refused;
/// 2. the access token, from the URL (`?token=`) or the cookie set on the first visit;
/// 3. a POST must come from our own page: `Origin` (or, without it, `Referer`) is our address,
///    and the form's `csrf` field is this run's CSRF token (checked where the form is read);
/// 4. any error becomes a page with a message — never a stack trace.
struct AccessGuard: RouterMiddleware {
    typealias Context = ReviewContext
    static let cookieName = "lostdata_review"

    let secrets: RunSecrets
    let port: BoundPort
    let pages: Pages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            guard let port = port.port, let host = request.head.authority, Self.isLoopback(host: host, port: port) else {
                throw PageError(.misdirectedRequest, "This server answers only to http://127.0.0.1 (the Host of the request is not the loopback address).")
            }
            let query = FormFields(query: request.uri.query ?? "")
            let fromURL = query.first("token").map { RunSecrets.same($0, secrets.access) } ?? false
            let fromCookie = Self.cookie(Self.cookieName, in: request.headers[.cookie] ?? "").map { RunSecrets.same($0, secrets.access) } ?? false
            guard fromURL || fromCookie else {
                throw PageError(.forbidden, "This page needs the address printed by `lostdata review serve` (it carries a token for this run). Open that address again.")
            }
            if request.method == .post {
                let own = ["http://\(host)"]
                if let origin = request.headers[.origin] {
                    guard own.contains(origin) else { throw PageError(.forbidden, "Changes are accepted only from this review page (the request came from \(origin)).") }
                } else if let referer = request.headers[.referer] {
                    guard referer.hasPrefix("http://\(host)/") else { throw PageError(.forbidden, "Changes are accepted only from this review page.") }
                } else {
                    throw PageError(.forbidden, "Changes are accepted only from this review page (the request named no origin).")
                }
            } else if request.method != .get && request.method != .head {
                throw PageError(.methodNotAllowed, "Only GET and POST are used here.")
            }
            var response = try await next(request, context)
            if fromURL && !fromCookie {
                // The token moves into a cookie the browser sends only to this page (links carry no token).
                response.headers[.setCookie] = "\(Self.cookieName)=\(secrets.access); Path=/; HttpOnly; SameSite=Strict"
            }
            return response
        } catch let e as PageError {
            return pages.error(e)
        } catch let e as HTTPError {
            let message = e.status == .notFound ? "There is no page at this address." :
                e.status == .contentTooLarge ? "The request is too large (at most \(ReviewContext.bodyLimit / 1024) KiB)." : (e.body ?? e.status.reasonPhrase)
            return pages.error(PageError(e.status, message))
        } catch {
            // Whatever else went wrong: said in one sentence, logged, no trace for the browser.
            context.logger.error("review page: \(error)")
            return pages.error(PageError(.internalServerError, "Something went wrong: \(String(describing: error).prefix(300))"))
        }
    }

    static func isLoopback(host: String, port: Int) -> Bool {
        ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"].contains(host.lowercased())
    }

    static func cookie(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == name { return String(kv[1]) }
        }
        return nil
    }
}

/// An error shown as a page: an HTTP status and a sentence for the person.
struct PageError: Error {
    var status: HTTPResponse.Status
    var message: String
    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// The request context: bodies are small forms, so anything above 64 KiB is refused (413).
struct ReviewContext: RequestContext {
    static let bodyLimit = 64 * 1024
    var coreContext: CoreRequestContextStorage
    init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
    var maxUploadSize: Int { Self.bodyLimit }
}
