import XCTest
@testable import Bibliography

/// Deduplication on the same-query pairs of the corpus README: the same search exported from two
/// databases, or the same records in two formats.
final class CorpusDedupTests: XCTestCase {
    struct Pair {
        var a: String, b: String
        var sharedDOIs: Int
    }

    func analyse(_ names: [String]) throws -> (Analysis, [FileReadResult]) {
        let files = try names.map { try Corpus.read($0) }
        return (Bibliography.analyse(files.flatMap(\.records)), files)
    }

    /// Articles holding records of both files.
    func joined(_ analysis: Analysis, _ a: String, _ b: String) -> [Article] {
        analysis.articles.filter { art in
            let files = Set(art.members.map { analysis.records[$0].source.file })
            return files.contains(a) && files.contains(b)
        }
    }

    func testSharedDOIsAreJoinedAcrossDatabasesAndFormats() throws {
        let pairs = [
            // The README counts 204 and 17 comparing DOI strings as written; WoS BibTeX escapes
            // underscores ("10.1007/978-3-642-13312-1\\_2"), and once the escape is undone 3 (and 1)
            // more DOIs are shared. Checked with a separate script (see docs/bibliography.md).
            Pair(a: "bibliometrix_DISES_wos.bib", b: "bibliometrix_DISES_scopus.bib", sharedDOIs: 204 + 3),
            Pair(a: "pybibx_mcda_small_wos.bib", b: "pybibx_mcda_small_scopus.bib", sharedDOIs: 17 + 1),
            Pair(a: "ble2019_wos_tabdelim_part3.txt", b: "ble2019_scopus_citation_only.csv", sharedDOIs: 82),
            Pair(a: "bibliometrix_mgmt_wos.txt", b: "bibliometrix_mgmt_wos.bib", sharedDOIs: 199),
            Pair(a: "asreview_dino_scopus.csv", b: "asreview_dino_scopus.ris", sharedDOIs: 10),
        ]
        for p in pairs {
            let (analysis, files) = try analyse([p.a, p.b])
            let both = joined(analysis, p.a, p.b)
            // The README's shared DOIs, recomputed from what was read…
            let shared = Set(files[0].records.compactMap(\.doi)).intersection(files[1].records.compactMap(\.doi))
            XCTAssertEqual(shared.count, p.sharedDOIs, "\(p.a) + \(p.b): shared DOIs")
            // …each land in one article holding records of both files.
            let joinedDOIs = Set(both.flatMap { art in art.members.compactMap { analysis.records[$0].doi } }).intersection(shared)
            XCTAssertEqual(joinedDOIs.count, p.sharedDOIs, "\(p.a) + \(p.b): joined on DOI")
            // Distinct DOIs after merging = union of both files' DOIs; no DOI is split over two articles.
            let allDOIs = Set(files.flatMap(\.records).compactMap(\.doi))
            let articleDOIs = analysis.articles.compactMap(\.record.doi)
            XCTAssertEqual(articleDOIs.count, allDOIs.count, "\(p.a) + \(p.b): one article per DOI")
            // Every record is kept or merged, never lost.
            XCTAssertEqual(analysis.articles.map(\.members.count).reduce(0, +), files.map(\.records.count).reduce(0, +))
            print("PAIR", p.a, p.b, "records", files.map(\.records.count), "unique", analysis.articles.count, "joined", both.count,
                  "rules", Dictionary(grouping: analysis.mergeLog, by: \.rule).mapValues(\.count))
        }
    }
}
