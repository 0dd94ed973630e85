import Bibliography
import Foundation
import HTTPClient

/// The study's HTTP response cache, `.cache/http/`: per request (its URL; for a page of a
/// cursor walk, its URL and place in the walk, because Crossref sends the same cursor — so the
/// same URL — for every page), the status, headers, body
/// and when it was stored. A fresh entry (younger than `literature.cacheHours`) answers without
/// a request; an older one is revalidated with its ETag / Last-Modified (a 304 renews it);
/// `--offline` answers from it alone. Only 200 responses are kept: an error is not an answer
/// worth replaying.
struct ResponseCache {
    let directory: URL

    struct Entry: Codable {
        var url: String
        var status: Int
        var headers: [[String]]
        var storedAt: Date
        var bodyBytes: Int

        func header(_ name: String) -> String? { headers.last { $0.first == name }?.last }
    }

    /// FNV-1a of the URL names the files; the entry repeats the URL, so a collision is a miss.
    func paths(_ url: String) -> (meta: URL, body: URL) {
        let key = FNV1a.hex(Array(url.utf8))
        let dir = directory.appendingPathComponent(String(key.prefix(2)), isDirectory: true)
        return (dir.appendingPathComponent(key + ".json"), dir.appendingPathComponent(key + ".body"))
    }

    func load(_ url: String) -> (Entry, [UInt8])? {
        let p = paths(url)
        guard let meta = try? Data(contentsOf: p.meta), let entry = try? JSONDecoder().decode(Entry.self, from: meta), entry.url == url,
              let body = try? Data(contentsOf: p.body), body.count == entry.bodyBytes else { return nil }
        return (entry, [UInt8](body))
    }

    func entry(_ url: String) -> Entry? {
        let p = paths(url)
        guard let meta = try? Data(contentsOf: p.meta), let entry = try? JSONDecoder().decode(Entry.self, from: meta), entry.url == url else { return nil }
        return entry
    }

    /// Body first, then the entry, each written to a temporary file and renamed into place: a
    /// crash between them leaves a body with no (or an old) entry, which `load` does not trust.
    func store(_ response: HTTPResponse, key: String) {
        let p = paths(key)
        let entry = Entry(url: key, status: response.status, headers: response.headers.map { [$0.0, $0.1] },
                          storedAt: Date(), bodyBytes: response.body.count)
        do {
            try FileManager.default.createDirectory(at: p.meta.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Self.replace(p.body, with: response.body)
            try Self.replace(p.meta, with: [UInt8](JSONEncoder().encode(entry)))
        } catch {
            // A cache that cannot be written only costs a later request.
        }
    }

    func renew(_ url: String) {
        guard var e = entry(url) else { return }
        e.storedAt = Date()
        guard let bytes = try? JSONEncoder().encode(e) else { return }
        try? Self.replace(paths(url).meta, with: [UInt8](bytes))
    }

    /// Writes a temporary file beside `url` and renames it over `url`, without fsync.
    /// `Data.write(options: .atomic)` fsyncs every file — 5 % of a walk's CPU and a disk flush per
    /// page (perf, bench/acquisition). Durability is not needed here: after a power loss a
    /// body may be cut or empty, but `load` checks it against the entry's `bodyBytes` and an
    /// entry that does not parse or match is a miss, so a torn entry costs one request again,
    /// never a wrong answer. The rename still keeps a reader from seeing a half-written file
    /// while the process runs.
    static func replace(_ url: URL, with bytes: [UInt8]) throws {
        let temporary = url.path + ".tmp\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        var written = 0
        let ok: Bool = bytes.withUnsafeBytes { b in
            while written < b.count {
                let n = write(fd, b.baseAddress! + written, b.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return true
        }
        close(fd)
        guard ok, rename(temporary, url.path) == 0 else { unlink(temporary); throw CocoaError(.fileWriteUnknown) }
    }
}
