import Bibliography
import Core
import Foundation
import GRDB
import HTTPClient

/// What `literature complete` did.
public struct LiteratureCompleteReport: Sendable {
    public struct Item: Sendable {
        public var articleId: String
        public var doi: String
        /// What the article lacked before: abstract, affiliations, ISSN.
        public var lacking: [String]
        /// completed (a Crossref record was stored and merged), unchanged (Crossref had nothing
        /// the article lacked), notFound (404), failed.
        public var status: String
        public var detail: String?
    }
    public var items: [Item] = []
    /// Articles with a DOI that lack nothing, or already hold a Crossref record.
    public var skipped = 0
}

extension Study {
    /// The articles `literature complete` asks Crossref about: a DOI, no Crossref record among
    /// their sources yet, and no abstract, no affiliations or no ISSN after merging every
    /// source — the fields a Scopus-less search (OpenAlex without abstract, Europe PMC without
    /// ISSN) leaves empty and the exclusion rules and reports need.
    func completionCandidates(onlyIncluded: Bool) throws -> (candidates: [(id: String, doi: String, lacking: [String])], skipped: Int) {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.id, a.doi, a.abstract IS NULL AS noAbstract, a.affiliations IS NULL AS noAffiliations,
                       (a.issn IS NULL AND a.eissn IS NULL) AS noISSN,
                       EXISTS (SELECT 1 FROM articleSource s WHERE s.articleId = a.id AND s.database = 'crossref') AS hasCrossref
                FROM article a WHERE a.doi IS NOT NULL \(onlyIncluded ? "AND a.exclusion IS NULL" : "") ORDER BY a.id
                """)
            var out: [(id: String, doi: String, lacking: [String])] = []
            var skipped = 0
            for r in rows {
                var lacking: [String] = []
                if r["noAbstract"] as Bool { lacking.append("abstract") }
                if r["noAffiliations"] as Bool { lacking.append("affiliations") }
                if r["noISSN"] as Bool { lacking.append("ISSN") }
                if lacking.isEmpty || r["hasCrossref"] as Bool { skipped += 1; continue }
                out.append((r["id"], r["doi"], lacking))
            }
            return (out, skipped)
        }
    }

    /// Completes articles from Crossref's `/works/{doi}`: each answer is stored as a record of
    /// its own (like a search page, `crossref-api`), so the article list's merge fills what the
    /// article lacked from it, with the same precedence as any other source. Transfers run
    /// `literature.inFlight` at a time; each answer is stored as it arrives (a killed run keeps
    /// them, and the next run skips articles that hold a Crossref record).
    public func completeFromCrossref(onlyIncluded: Bool, options: LiteratureOptions = .init(),
                                     progress: any ProgressReporter = SilentProgress()) throws -> LiteratureCompleteReport {
        let session = LiteratureSession(study: self, options: options)
        let (candidates, skipped) = try completionCandidates(onlyIncluded: onlyIncluded)
        var report = LiteratureCompleteReport(skipped: skipped)
        guard !candidates.isEmpty else { return report }
        let base = session.endpoint(.crossref)
        let db = database
        let retrieved = ISO8601DateFormatter().string(from: Date())
        struct Outcome: Sendable { var status: String; var detail: String?; var fileID: String? }
        let outcomes = boundedParallelMap(count: candidates.count, width: session.inFlight) { i -> Outcome in
            let url = QueryURLs.crossrefWork(base: base, doi: candidates[i].doi)
            let answer: LiteratureSession.Answer
            do throws(LiteratureFailure) { answer = try session.get(url) } catch { return Outcome(status: "failed", detail: error.description) }
            if answer.status == 404 { return Outcome(status: "notFound", detail: "\(url): Crossref has no such DOI (404)") }
            guard answer.status == 200 else { return Outcome(status: "failed", detail: "\(url): HTTP \(answer.status)") }
            let page: APIPage
            do throws(InputError) { page = try CrossrefWorks.read(answer.body, provenance: PageProvenance(url: url, query: "complete \(candidates[i].doi)", retrieved: retrieved)) } catch {
                return Outcome(status: "failed", detail: "\(url): \(error.message)")
            }
            // Only the work asked for: a record under another DOI would merge into another article.
            let records = page.records.filter { $0.doi?.value == DOI(candidates[i].doi)?.value }
            guard !records.isEmpty else { return Outcome(status: "failed", detail: "\(url): the answer holds no work with DOI \(candidates[i].doi)") }
            session.remember(answer)
            let fileID = "http:" + FNV1a.hex(answer.body) + ":" + String(answer.body.count)
            do {
                try db.write { db in
                    if try String.fetchOne(db, sql: "SELECT id FROM bibFile WHERE id = ?", arguments: [fileID]) == nil {
                        _ = try Self.storeRecords(db, fileID: fileID, path: url, format: "crossref-api", encoding: "utf-8", records: records, rejected: [])
                    }
                }
            } catch { return Outcome(status: "failed", detail: "\(url): storing the record failed: \(error)") }
            return Outcome(status: "stored", fileID: fileID)
        }
        progress.finish()
        let (dedup, rules) = bibliographyPipeline
        if outcomes.contains(where: { $0.status == "stored" }) {
            try runStage("bibliography") { db in
                let list = try rebuildArticleListBounded(db, deduplicator: dedup, rules: rules)
                return ((), summary: "{\"records\":\(list.records),\"unique\":\(list.articles),\"literature\":\"complete\"}")
            }
        }
        // What each article lacks now, after the merge.
        let after: [String: [String]] = try database.read { db in
            var out: [String: [String]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT doi, abstract IS NULL AS a, affiliations IS NULL AS f, (issn IS NULL AND eissn IS NULL) AS i FROM article WHERE doi IS NOT NULL") {
                out[r["doi"] as String] = [(r["a"] as Bool) ? "abstract" : nil, (r["f"] as Bool) ? "affiliations" : nil, (r["i"] as Bool) ? "ISSN" : nil].compactMap { $0 }
            }
            return out
        }
        for (c, o) in zip(candidates, outcomes) {
            var item = LiteratureCompleteReport.Item(articleId: c.id, doi: c.doi, lacking: c.lacking, status: o.status, detail: o.detail)
            if o.status == "stored" {
                let still = after[c.doi] ?? c.lacking
                let filled = c.lacking.filter { !still.contains($0) }
                item.status = filled.isEmpty ? "unchanged" : "completed"
                item.detail = filled.isEmpty ? "Crossref has no \(c.lacking.joined(separator: ", ")) either" : "filled: " + filled.joined(separator: ", ")
            }
            report.items.append(item)
        }
        return report
    }
}
