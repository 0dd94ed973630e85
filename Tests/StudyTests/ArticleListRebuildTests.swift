import Bibliography
import Core
import Foundation
import GRDB
import XCTest
@testable import Study

/// The bounded rebuild (`rebuildArticleListBounded`, what `bib import` and `literature search`
/// run) writes the same article list, row for row, as the full rebuild (`rebuildArticleList`,
/// the test target's reference, which holds every record and runs `Bibliography.analyse`) — on a list with duplicates across pages and sources,
/// every merge rule, a DOI conflict, a title-hash id collision, exclusions and people's decisions.
final class ArticleListRebuildTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-rebuild-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    func record(_ db: SourceDatabase, id: String?, page: String, line: Int, title: String?, family: String = "Ito", year: Int? = 2019,
                doi: String? = nil, type: DocumentType = .article, abstract: String? = nil) -> BibRecord {
        var r = BibRecord(source: SourceRef(database: db, id: id, file: page, line: line, endLine: line), raw: RawRecord(line: line, endLine: line, tags: []))
        r.title = title
        r.authors = [Author(family: family, given: "A.")]
        r.year = year
        r.doi = doi.flatMap(DOI.init)
        r.documentType = type
        r.abstract = abstract
        r.affiliations = ["Hokkaido University, Sapporo, Japan"]
        return r
    }

    /// Every table the rebuild writes, as text, in a fixed order.
    func snapshot(_ db: Database) throws -> [String] {
        let queries = [
            "SELECT * FROM article ORDER BY id",
            "SELECT * FROM articleSource ORDER BY articleId, rank",
            "SELECT * FROM bibMerge ORDER BY mergedFileId, mergedOrdinal, intoFileId, intoOrdinal, rule",
            "SELECT * FROM articleAlias ORDER BY alias, articleId",
        ]
        return try queries.flatMap { sql in try Row.fetchAll(db, sql: sql).map { sql.prefix(30) + " " + $0.description } }
    }

    func testBoundedRebuildWritesTheSameListAsTheFullRebuild() throws {
        let study = try Study.create(at: dir)
        // Exports of two databases (they share articles: DOI and title merges across sources).
        let exports = ["scopus.ris", "wos.ris", "scopus_2025.csv", "generic.bib"]
            .map { Self.fixtures.appendingPathComponent("bibliography").appendingPathComponent($0).path }
        _ = try study.importBibliography(exports)
        let long = "Atomic resolution imaging of grain boundaries in a duplex stainless steel"
        let pages: [(String, [BibRecord])] = [
            ("openalex page 1", [
                record(.openalex, id: "W1", page: "p1", line: 1, title: "Electron tomography of catalyst particles on carbon supports", doi: "10.1/a", abstract: "first"),
                record(.openalex, id: "W2", page: "p1", line: 2, title: long, year: 2019),
                record(.openalex, id: "W3", page: "p1", line: 3, title: "Cryo-SEM of hydrated polymer membranes and their pores", doi: "10.1/c"),
                record(.openalex, id: "W4", page: "p1", line: 4, title: "A review of in situ TEM heating holders", doi: "10.1/r", type: .review),
                record(.openalex, id: "W5", page: "p1", line: 5, title: "Editorial", year: 2020),
            ]),
            ("openalex page 2", [
                record(.openalex, id: "W1", page: "p2", line: 1, title: "Electron tomography of catalyst particles on carbon supports", doi: "10.1/a"),   // same id
                record(.openalex, id: "W6", page: "p2", line: 2, title: long, year: 2020),                                                                // title+author, year ±1
                record(.openalex, id: "W7", page: "p2", line: 3, title: "Cryo-SEM of hydrated polymer membranes and their poles"),                       // fuzzy title
                record(.openalex, id: "W8", page: "p2", line: 4, title: "Cryo-SEM of hydrated polymer membranes and their pores", doi: "10.1/other"),    // DOI conflict: kept apart
                record(.openalex, id: "W9", page: "p2", line: 5, title: "Editorial", year: 2020),                                                         // same title hash, distinct
            ]),
            ("crossref page 1", [
                record(.crossref, id: nil, page: "c1", line: 1, title: "Electron tomography of catalyst particles on carbon supports.", doi: "10.1/A", abstract: "crossref"), // DOI
                record(.crossref, id: nil, page: "c1", line: 2, title: "Some paper outside the period", year: 1990, doi: "10.1/old"),
                record(.crossref, id: nil, page: "c1", line: 3, title: "A paper a person decides on", doi: "10.1/decided"),
            ]),
        ]
        try study.database.write { db in
            for (n, (name, records)) in pages.enumerated() {
                _ = try Study.storeRecords(db, fileID: "page:\(n)", path: name, format: "api", encoding: "utf-8", records: records, rejected: [])
            }
        }
        let (dedup, rules) = study.bibliographyPipeline
        _ = try study.database.write { db in try study.rebuildArticleList(db, deduplicator: dedup, rules: rules) }
        _ = try study.decideExclusion("doi:10.1/decided", value: "editorial", author: "me")
        _ = try study.decideExclusion("doi:10.1/r", value: "include", author: "me")

        let full = try study.database.write { db -> ([String], [String: Int], [String], Analysis) in
            let (analysis, excluded, orphaned) = try study.rebuildArticleList(db, deduplicator: dedup, rules: rules)
            return (try snapshot(db), excluded, orphaned, analysis)
        }
        // Batches of 256 clusters (this list is one batch, done on the calling thread) and of 3
        // (batches cross to the second thread and come back in order: `ClusterPipeline`).
        for batch in [256, 3] {
            let bounded = try study.database.write { db -> ([String], ArticleListSummary) in
                let summary = try study.rebuildArticleListBounded(db, deduplicator: dedup, rules: rules, clusterBatch: batch)
                return (try snapshot(db), summary)
            }
            XCTAssertEqual(bounded.0.count, full.0.count)
            for (b, f) in zip(bounded.0, full.0) where b != f { XCTFail("batch \(batch) bounded: \(b)\nfull:    \(f)") }
            XCTAssertEqual(bounded.1.excluded, full.1)
            XCTAssertEqual(bounded.1.orphanedDecisions, full.2)
        }

        // An import's per-file counts, read off the rebuilt rows (`bib import` reports them), are
        // the ones the in-memory analysis gives: survivors, merged records, survivors excluded.
        let byFile = try study.database.read { db in try Study.countsByFile(db) }
        for (n, page) in ["p1", "p2", "c1"].enumerated() {
            XCTAssertEqual(byFile["page:\(n)"], full.3.counts(forFile: page), page)
        }
        XCTAssertGreaterThan(byFile["page:1"]?.merged ?? 0, 0)
        XCTAssertGreaterThan(byFile.values.map(\.excluded).reduce(0, +), 0)

        // The fixture exercises what it claims to (otherwise the equality above proves little).
        try study.database.read { db in
            let rules = try Set(String.fetchAll(db, sql: "SELECT DISTINCT rule FROM bibMerge"))
            XCTAssertTrue(rules.isSuperset(of: ["same-id", "doi", "title-author-year", "fuzzy-title"]), "\(rules)")
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT exclusion FROM article WHERE id = 'doi:10.1/decided'"), "editorial")
            XCTAssertNil(try String?.fetchOne(db, sql: "SELECT exclusion FROM article WHERE id = 'doi:10.1/r'") ?? nil)
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT machineExclusion FROM article WHERE id = 'doi:10.1/r'"), "review")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article WHERE id LIKE '%~2'"), 1, "the two 'Editorial's share a title hash")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article WHERE doi IN ('10.1/c', '10.1/other')"), 2, "DOI conflict kept apart")
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT abstract FROM article WHERE id = 'doi:10.1/a'"), "first", "the survivor's values, merged")
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM articleSource") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article") ?? 0)
        }
    }

    /// Many records sharing title prefixes and suffixes (blocks larger than the window), short
    /// titles, missing DOIs and years, repeated ids and DOIs, across three pages.
    func crowdedPages() -> [[BibRecord]] {
        var pages: [[BibRecord]] = []
        for p in 0..<3 {
            var page: [BibRecord] = []
            for k in 0..<40 {
                let n = p * 40 + k
                let title: String
                switch n % 5 {
                case 0: title = "Grain boundary imaging number \(n % 7) in steel"
                case 1: title = "Imaging of catalysts in situ by electron tomography \(n % 3)"
                case 2: title = "Short \(n % 4)"
                case 3: title = "Grain boundary imaging numbr \(n % 7) in steel"
                default: title = "Cryo SEM of membranes, sample \(n % 9)"
                }
                page.append(record(n % 6 == 0 ? .scopus : .openalex, id: n % 4 == 0 ? "W\(n % 11)" : nil, page: "p\(p)", line: k + 1, title: title,
                                   family: n % 2 == 0 ? "Ito" : "Sato", year: n % 8 == 0 ? nil : 2015 + n % 3,
                                   doi: n % 3 == 0 ? "10.1/x\(n % 13)" : nil))
            }
            pages.append(page)
        }
        return pages
    }

    /// The candidates the Study reads from its database are those `KeyedCandidates` finds in
    /// memory, in the same order — the reason the bounded rebuild equals the full one.
    func testStoredCandidatesAreTheKeyedCandidatesInTheSameOrder() throws {
        let study = try Study.create(at: dir)
        let pages = crowdedPages()
        try study.database.write { db in
            for (n, records) in pages.enumerated() {
                _ = try Study.storeRecords(db, fileID: "page:\(n)", path: "page \(n)", format: "api", encoding: "utf-8", records: records, rejected: [])
            }
        }
        let keys = pages.flatMap { $0 }.map(DedupKeys.init)
        for (minimum, window) in [(20, 64), (5, 3)] {
            let memory = KeyedCandidates(keys, minimumTitleLength: minimum, window: window)
            try study.database.write { db in
                let stored = try StoredDedupCandidates(db, minimumTitleLength: minimum, window: window)
                XCTAssertEqual(try stored.doiGroups(), memory.doiGroups())
                XCTAssertEqual(try stored.years(), memory.years())
                XCTAssertEqual(try stored.databases(), memory.databases())
                XCTAssertEqual(try stored.sameSourceIDPairs(), memory.sameSourceIDPairs())
                XCTAssertEqual(try stored.sameDOIPairs(), memory.sameDOIPairs())
                var a: [String] = [], b: [String] = []
                try stored.forEachTitleGroup { a.append("\($0.title) \($0.members)") }
                memory.forEachTitleGroup { b.append("\($0.title) \($0.members)") }
                XCTAssertEqual(a, b)
                XCTAssertFalse(a.isEmpty, "the fixture has title groups")
                a = []; b = []
                try stored.forEachBlockMember { a.append("\($0.startsBlock) \($0.index) \($0.title)") }
                memory.forEachBlockMember { b.append("\($0.startsBlock) \($0.index) \($0.title)") }
                XCTAssertEqual(a, b, "minimum \(minimum), window \(window)")
                XCTAssertGreaterThan(a.filter { $0.hasPrefix("true") }.count, 2, "the fixture has several blocks")
                try stored.drop()
            }
            // And so the joins are the same: the same clusters and merge log.
            let dedup = Deduplicator(minimumTitleKeyLength: minimum, maximumBlockSize: window)
            let inMemory = dedup.run(keys: keys)
            var joins = try study.database.write { db in try dedup.join(StoredDedupCandidates(db, minimumTitleLength: minimum, window: window)) }
            var clusters: [[Int]] = []
            joins.forEachCluster(databases: keys.map(\.database), precedence: dedup.precedence) { clusters.append($0) }
            XCTAssertEqual(clusters, inMemory.clusters.map(\.members))
            XCTAssertEqual(joins.events, inMemory.events)
            XCTAssertTrue(Set(inMemory.events.map(\.rule)).isSuperset(of: [.sameSourceID, .doi, .titleAuthorYear, .fuzzyTitle]), "\(Set(inMemory.events.map(\.rule)))")
        }
    }

    /// Records stored before the keys were kept (a study of an older version) are keyed by the
    /// next bounded rebuild, which then writes what the full rebuild writes.
    func testRecordsStoredWithoutKeysAreKeyedByTheRebuild() throws {
        let study = try Study.create(at: dir)
        try study.database.write { db in
            for (n, records) in crowdedPages().enumerated() {
                _ = try Study.storeRecords(db, fileID: "page:\(n)", path: "page \(n)", format: "api", encoding: "utf-8", records: records, rejected: [])
            }
            try db.execute(sql: "UPDATE bibRecord SET dedupTitle = NULL, dedupFamily = NULL, dedupYear = NULL, dedupDOI = NULL, dedupVersion = 0")
        }
        let (dedup, rules) = study.bibliographyPipeline
        let full = try study.database.write { db -> [String] in
            _ = try study.rebuildArticleList(db, deduplicator: dedup, rules: rules)
            return try snapshot(db)
        }
        for batch in [256, 1, 7] {
            let bounded = try study.database.write { db -> [String] in
                _ = try study.rebuildArticleListBounded(db, deduplicator: dedup, rules: rules, clusterBatch: batch)
                return try snapshot(db)
            }
            XCTAssertEqual(bounded, full, "batch \(batch)")
        }
        XCTAssertGreaterThan(try study.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bibMerge") } ?? 0, 10)
        XCTAssertEqual(try study.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bibRecord WHERE dedupVersion != ?", arguments: [DedupKeys.version]) }, 0)
    }
}
