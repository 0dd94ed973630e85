import Bibliography
import Foundation
import GRDB
import HTTPClient

/// The study's HTTP response cache, `.cache/http/`: per request (its URL; for a page of a
/// cursor walk, its URL and place in the walk, because Crossref sends the same cursor — so the
/// same URL — for every page), the status, headers, body
/// and when it was stored. A fresh entry (younger than `literature.cacheHours`) answers without
/// a request; an older one is revalidated with its ETag / Last-Modified (a 304 renews it);
/// `--offline` answers from it alone. Only 200 responses are kept: an error is not an answer
/// worth replaying.
final class ResponseCache: Sendable {
    let directory: URL
    /// `responses.sqlite` in `directory`; nil when it cannot be opened (a cache that cannot be
    /// kept only costs later requests).
    private let database: DatabaseQueue?

    struct Entry: Codable {
        var url: String
        var status: Int
        var headers: [[String]]
        var storedAt: Date
        var bodyBytes: Int

        func header(_ name: String) -> String? { headers.last { $0.first == name }?.last }
    }

    /// The entries live in one SQLite file, not two files per response: creating two files per
    /// page (and a temporary file for each, renamed into place) made ext4 allocate an inode per
    /// file, and its allocator scans past recently freed inodes (`recently_deleted`) — after a
    /// study's old cache was deleted, or as entries were replaced, that was more than half of
    /// the walk's storing thread (perf, bench/acquisition, docs/performance.md round 8). WAL, so
    /// that no journal file is made and deleted per write; `synchronous = OFF`: after a power loss
    /// the newest entries may be gone, which only costs their requests again (a process killed by
    /// `kill -9` loses nothing: its writes are in the WAL).
    init(directory: URL) {
        self.directory = directory
        var config = Configuration()
        config.label = "lostdata.httpcache"
        config.busyMode = .timeout(StudyDatabase.busyTimeout)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = OFF")
        }
        database = try? {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let queue = try DatabaseQueue(path: directory.appendingPathComponent("responses.sqlite").path, configuration: config)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS response (key TEXT PRIMARY KEY, status INTEGER NOT NULL, headers TEXT NOT NULL,
                      storedAt REAL NOT NULL, body BLOB NOT NULL)
                    """)
            }
            return queue
        }()
    }

    func load(_ url: String) -> (Entry, [UInt8])? {
        if let database, let row = try? database.read({ db in
            try Row.fetchOne(db, sql: "SELECT status, headers, storedAt, body FROM response WHERE key = ?", arguments: [url])
        }), let headers = try? JSONDecoder().decode([[String]].self, from: Data((row["headers"] as String).utf8)) {
            // The body is copied out of the row once (each `row["body"]` makes a new `Data`).
            let body = [UInt8](row["body"] as Data)
            return (Entry(url: url, status: row["status"], headers: headers, storedAt: Date(timeIntervalSince1970: row["storedAt"]), bodyBytes: body.count), body)
        }
        return legacyLoad(url)
    }

    func store(_ response: HTTPResponse, key: String) {
        insert(key: key, status: response.status, headers: response.headers.map { [$0.0, $0.1] }, body: response.body)
    }

    private func insert(key: String, status: Int, headers: [[String]], body: [UInt8]) {
        guard let database, let headers = try? JSONEncoder().encode(headers) else { return }
        try? database.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO response (key, status, headers, storedAt, body) VALUES (?, ?, ?, ?, ?)",
                           arguments: [key, status, String(decoding: headers, as: UTF8.self), Date().timeIntervalSince1970, Data(body)])
        }
    }

    func renew(_ url: String) {
        guard let database else { return }
        let renewed = (try? database.write { db -> Int in
            try db.execute(sql: "UPDATE response SET storedAt = ? WHERE key = ?", arguments: [Date().timeIntervalSince1970, url])
            return db.changesCount
        }) ?? 0
        if renewed == 0, let (entry, body) = legacyLoad(url) {
            // An entry of the old layout: moved into the database, renewed.
            insert(key: url, status: entry.status, headers: entry.headers, body: body)
        }
    }

    // Entries kept by lostdata before the cache was one database: a `.json` entry and a `.body`
    // file per response, named by FNV-1a of the key in a folder of its first two hex digits. They
    // are still read (an `--offline` run of an older study answers from them), never written.

    private func legacyPaths(_ url: String) -> (meta: URL, body: URL) {
        let key = FNV1a.hex(Array(url.utf8))
        let dir = directory.appendingPathComponent(String(key.prefix(2)), isDirectory: true)
        return (dir.appendingPathComponent(key + ".json"), dir.appendingPathComponent(key + ".body"))
    }

    private func legacyEntry(_ url: String) -> Entry? {
        guard let meta = try? Data(contentsOf: legacyPaths(url).meta), let entry = try? JSONDecoder().decode(Entry.self, from: meta), entry.url == url else { return nil }
        return entry
    }

    private func legacyLoad(_ url: String) -> (Entry, [UInt8])? {
        guard let entry = legacyEntry(url), let body = try? Data(contentsOf: legacyPaths(url).body), body.count == entry.bodyBytes else { return nil }
        return (entry, [UInt8](body))
    }
}
