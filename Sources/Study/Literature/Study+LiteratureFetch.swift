import Bibliography
import Core
import Foundation
import GRDB
import HTTPClient

/// What `literature fetch` did.
public struct LiteratureFetchReport: Sendable {
    public struct Item: Sendable {
        public var articleId: String
        public var doi: String?
        public var title: String?
        public var pmcid: String?
        public var status: String
        public var detail: String?
        public var file: String?
    }
    /// Stored in this run.
    public var stored: [Item] = []
    /// Stored by an earlier run (kept, not fetched again).
    public var alreadyStored = 0
    /// No obtainable open full text: to be counted by hand.
    public var missing: [Item] = []
    public var failed: [Item] = []
    public var manifest: String = ""
}

extension Study {
    /// Downloads the JATS of every article with an open full text at Europe PMC into the study's
    /// `fulltext/` (`PMC….xml`, which `figures import fulltext` reads), with `manifest.csv`.
    /// Each article's outcome is stored as it arrives, so an interrupted run resumes with the
    /// articles not yet done.
    public func fetchFullTexts(onlyIncluded: Bool, supplements: Bool, options: LiteratureOptions = .init(),
                               progress: any ProgressReporter = SilentProgress()) throws -> LiteratureFetchReport {
        let session = LiteratureSession(study: self, options: options)
        let folder = directory.appendingPathComponent("fulltext", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        struct Candidate: Sendable { var id: String; var doi: String?; var title: String?; var pmcid: String? }
        let (candidates, done): ([Candidate], Set<String>) = try database.read { db in
            let filter = onlyIncluded ? "WHERE a.exclusion IS NULL" : ""
            var byID: [String: Candidate] = [:]
            var order: [String] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT a.id, a.doi, a.title, r.json FROM article a JOIN articleSource s ON s.articleId = a.id
                JOIN bibRecord r ON r.fileId = s.fileId AND r.ordinal = s.ordinal \(filter) ORDER BY a.year, a.title, a.id, s.rank
                """)
            while let row = try rows.next() {
                let id: String = row["id"]
                if byID[id] == nil { byID[id] = Candidate(id: id, doi: row["doi"], title: row["title"]); order.append(id) }
                if byID[id]!.pmcid == nil, let json: Data = row["json"], let rec = try? StoredRecordJSON.decode([UInt8](json)) {
                    byID[id]!.pmcid = rec.pmcid
                }
            }
            // Stored means the file is still there: one deleted from fulltext/ (to fetch it
            // again, or by a clean-up) was counted as stored and never fetched again.
            let directory = self.directory
            let done = Set(try Row.fetchAll(db, sql: "SELECT articleId, file FROM literatureFulltext WHERE status = 'stored'").compactMap { row -> String? in
                let file: String? = row[1]
                guard let file, FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) else { return nil }
                return row[0]
            })
            return (order.map { byID[$0]! }, done)
        }
        var report = LiteratureFetchReport()
        var work: [Candidate] = []
        for c in candidates {
            if done.contains(c.id) { report.alreadyStored += 1; continue }
            work.append(c)
        }
        let base = session.endpoint(.europepmc)
        let db = database
        let todo = work
        let outcomes = boundedParallelMap(count: todo.count, width: session.inFlight) { i -> FetchOutcome in
            let c = todo[i]
            let item = Self.fetchOne(pmcid: c.pmcid, base: base, folder: folder, supplements: supplements, session: session)
            // Stored as it arrives: a killed run keeps every finished article.
            try? db.write { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO literatureFulltext (articleId, doi, pmcid, url, file, sha256, licence, status, detail, supplements, fetchedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [c.id, c.doi, c.pmcid, item.url, item.file, item.sha256, item.licence, item.status, item.detail, item.supplements, Date()])
            }
            return item
        }
        for (i, c) in work.enumerated() {
            let item = outcomes[i]
            let out = LiteratureFetchReport.Item(articleId: c.id, doi: c.doi, title: c.title, pmcid: c.pmcid, status: item.status, detail: item.detail, file: item.file)
            switch item.status {
            case "stored": report.stored.append(out)
            case "missing": report.missing.append(out)
            default: report.failed.append(out)
            }
        }
        progress.finish()
        report.manifest = try writeManifest(folder)
        return report
    }

    struct FetchOutcome: Sendable {
        var status = "failed", detail: String?, url: String?, file: String?, sha256: String?, licence: String?, supplements: String?
    }

    static func fetchOne(pmcid: String?, base: String, folder: URL, supplements: Bool, session: LiteratureSession) -> FetchOutcome {
        var o = FetchOutcome()
        guard let pmcid else {
            o.status = "missing"
            o.detail = "no PMCID in any of its records: no open full text known; count its images by hand"
            return o
        }
        let url = QueryURLs.europePMC(base: base, pmcid: pmcid, supplements: false)
        o.url = url
        let answer: LiteratureSession.Answer
        do throws(LiteratureFailure) { answer = try session.get(url) } catch {
            o.detail = error.description
            return o
        }
        if answer.status == 404 {
            o.status = "missing"
            o.detail = "Europe PMC has no open full text for \(pmcid) (HTTP 404): not in its open-access subset; count by hand"
            return o
        }
        guard answer.status == 200 else { o.detail = "\(url): HTTP \(answer.status)"; return o }
        if let problem = JATSCheck.problem(answer.body) {
            o.detail = "\(url): \(problem); nothing was written — run the command again"
            return o
        }
        session.remember(answer)
        let file = folder.appendingPathComponent(pmcid + ".xml")
        do { try Data(answer.body).write(to: file, options: .atomic) } catch {
            o.detail = "cannot write \(file.path): \(error.localizedDescription)"
            return o
        }
        o.status = "stored"
        o.file = "fulltext/" + pmcid + ".xml"
        o.sha256 = SHA256.hex(answer.body)
        o.licence = JATSCheck.licence(answer.body)
        if supplements {
            let surl = QueryURLs.europePMC(base: base, pmcid: pmcid, supplements: true)
            do throws(LiteratureFailure) {
                let s = try session.get(surl)
                if s.status == 200, s.body.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
                    let name = pmcid + "-supplementary.zip"
                    try? Data(s.body).write(to: folder.appendingPathComponent(name), options: .atomic)
                    session.remember(s)
                    o.supplements = "fulltext/" + name
                } else {
                    o.detail = "supplements: \(surl): " + (s.status == 200 ? "not a zip archive" : "HTTP \(s.status)")
                }
            } catch {
                o.detail = "supplements: " + error.description
            }
        }
        return o
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `fulltext/manifest.csv` from the table, whole, after every run.
    func writeManifest(_ folder: URL) throws -> String {
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM literatureFulltext ORDER BY articleId")
        }
        var text = "article,doi,pmcid,url,file,sha256,licence,status,detail,supplements\n"
        for r in rows {
            let cells: [String?] = [r["articleId"], r["doi"], r["pmcid"], r["url"], r["file"], r["sha256"], r["licence"], r["status"], r["detail"], r["supplements"]]
            text += cells.map { Self.csvField($0 ?? "") }.joined(separator: ",") + "\n"
        }
        let path = folder.appendingPathComponent("manifest.csv")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }
}

/// Checks that a body is a whole JATS article before it is written where `figures import`
/// reads: a cut body or an error page must not become a "full text".
enum JATSCheck {
    static func problem(_ body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<") else { return "not XML" }
        if trimmed.prefix(300).lowercased().contains("<html") { return "an HTML page, not JATS XML" }
        guard trimmed.contains("<article") else { return "XML but not a JATS <article>" }
        guard trimmed.hasSuffix("</article>") else { return "invalid XML: the JATS <article> is not closed (cut short?)" }
        return nil
    }

    /// The licence a JATS article states: the `<license>` link, else its type.
    static func licence(_ body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard let start = text.range(of: "<license") else { return nil }
        let tag = text[start.lowerBound...].prefix { $0 != ">" }
        for attribute in ["xlink:href=\"", "license-type=\""] {
            if let r = tag.range(of: attribute) {
                return String(tag[r.upperBound...].prefix { $0 != "\"" })
            }
        }
        return nil
    }
}
