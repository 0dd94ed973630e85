import Foundation
import Hummingbird
import Mustache

/// The Mustache templates and static files, read once from the target's resources. Values are
/// put into `{{…}}`, which escapes HTML; only `HTMLText` (which escapes first) uses `{{{…}}}`.
struct Pages: Sendable {
    let library: MustacheLibrary
    let assets: [String: (contentType: String, bytes: ByteBuffer)]

    static let templateNames = ["queue", "article", "error", "help", "head"]
    static let assetNames = ["review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"]

    init() throws {
        // `.copy("Resources")` keeps the folder; where a bundle's resources sit differs between
        // platforms (Linux reports the bundle folder itself as `resourceURL`).
        let candidates = [Bundle.module.bundleURL.appendingPathComponent("Resources"),
                          Bundle.module.resourceURL?.appendingPathComponent("Resources"), Bundle.module.resourceURL].compactMap { $0 }
        guard let root = candidates.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("queue.mustache").path) }) else {
            throw PageError(.internalServerError, "the review page's templates are missing from the build (looked in \(candidates.map(\.path)))")
        }
        var templates: [String: MustacheTemplate] = [:]
        for name in Self.templateNames {
            let text = try String(contentsOf: root.appendingPathComponent("\(name).mustache"), encoding: .utf8)
            templates[name] = try MustacheTemplate(string: text)
        }
        library = MustacheLibrary(templates: templates)
        var assets: [String: (String, ByteBuffer)] = [:]
        for (name, type) in Self.assetNames {
            let data = try Data(contentsOf: root.appendingPathComponent(name))
            assets[name] = (type, ByteBuffer(bytes: data))
        }
        self.assets = assets
    }

    /// A rendered page with the headers every page carries: no caching (decisions change it),
    /// no framing, scripts only from this server.
    func render(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(values, withTemplate: template) ?? "template \(template) missing"
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; form-action 'self'"
        headers[.init("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func error(_ e: PageError) -> Response {
        render("error", ["title": "\(e.status.code) \(e.status.reasonPhrase)", "message": e.message], status: e.status)
    }

    func asset(_ name: String) throws -> Response {
        guard let a = assets[name] else { throw PageError(.notFound, "There is no such file here.") }
        var headers = HTTPFields()
        headers[.contentType] = a.contentType
        headers[.cacheControl] = "no-cache"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: a.bytes))
    }
}
