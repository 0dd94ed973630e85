import XCTest
@testable import Bibliography

/// What the peers' own tests (and documented notebook outputs) assert about the same files
/// (../shared/corpora/PEER_ORACLES.json), translated from each peer's conventions into ours.
final class PeerOracleTests: XCTestCase {
    // bibliometrix: record counts and the database label ("ISI" = our .wos).
    func testBibliometrixSamplesCountsAndDatabase() throws {
        let cases: [(String, SourceDatabase)] = [
            ("bibliometrix_wos_sample.txt", .wos), ("bibliometrix_scopus_sample.csv", .scopus),
            ("bibliometrix_openalex_sample.csv", .openalex), ("bibliometrix_lens_sample.csv", .lens),
        ]
        for (name, db) in cases {
            let r = try Corpus.read(name)
            XCTAssertEqual(r.records.count, 8, name)
            XCTAssertEqual(Set(r.records.map(\.source.database)), [db], name)
            XCTAssertTrue(r.records.allSatisfy { $0.source.id != nil }, "\(name): every record has its database id")
        }
        // bibliometrix SR (first author, year, source abbreviation) is unique across the WoS sample.
        let wos = try Corpus.read("bibliometrix_wos_sample.txt").records
        let sr = Set(wos.map { "\($0.authors.first?.family ?? ""), \($0.year ?? 0), \($0.raw.values("J9").first ?? "")" })
        XCTAssertEqual(sr.count, 8)
    }

    // metaknowledge test_scopus.py: ids of the first two rows ("EID:" + EID column).
    func testMetaknowledgeScopusIDs() throws {
        let r = try Corpus.read("metaknowledge_scopus_testing.csv")
        XCTAssertEqual(r.records[0].eid, "2-s2.0-84963944162")
        XCTAssertEqual(r.records[1].eid, "2-s2.0-84943362392")
    }

    // metaknowledge notebooks on savedrecs.txt.
    func testMetaknowledgeSavedrecs() throws {
        let records = try Corpus.read("metaknowledge_savedrecs.txt").records
        XCTAssertEqual(records.count, 32)
        XCTAssertEqual(records.filter { $0.title?.hasPrefix("A") == true }.count, 3)
        XCTAssertEqual(records.filter { (1970...1979).contains($0.year ?? 0) }.count, 19)
        let brevik = try XCTUnwrap(records.first { $0.ut == "WOS:A1979GV55600001" })
        XCTAssertEqual(brevik.raw.values("AF"), ["BREVIK, I"])
        XCTAssertEqual(brevik.title, "EXPERIMENTS IN PHENOMENOLOGICAL ELECTRODYNAMICS AND THE ELECTROMAGNETIC ENERGY-MOMENTUM TENSOR")
        XCTAssertEqual(brevik.raw.tags.map(\.name), ["PT", "AU", "AF", "TI", "SO", "LA", "DT", "C1", "CR", "NR", "TC", "Z9", "PU", "PI",
                                                     "PA", "SN", "J9", "JI", "PY", "VL", "IS", "BP", "EP", "DI", "PG", "WC", "SC", "GA", "UT"])
        XCTAssertTrue(brevik.raw.values("GP").isEmpty)
        // createCitation(): "Pillon F, 2005, APPL PHYS B-LASERS O, V80, P355, DOI 10.1007/s00340-005-1728-2"
        let pillon = try XCTUnwrap(records.first { $0.doi?.value == "10.1007/s00340-005-1728-2" })
        XCTAssertEqual(pillon.authors.first?.family, "Pillon")
        XCTAssertEqual(pillon.year, 2005)
        XCTAssertEqual(pillon.raw.values("J9"), ["APPL PHYS B-LASERS O"])
        XCTAssertEqual(pillon.volume, "80")
        XCTAssertEqual(pillon.pages?.split(separator: "-").first, "355")
        // 9 distinct Web of Science categories.
        let categories = Set(records.flatMap { $0.raw.values("WC").flatMap { $0.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) } } })
        XCTAssertEqual(categories.count, 9)
        // A Russian-language original beside English records.
        XCTAssertEqual(records.filter { $0.languages == ["Russian"] }.count, 1)
    }

    // litstudy test_sources_scopus_csv.py, same row in the 58-row and the 2-row file.
    func testLitstudyScopusFirstRow() throws {
        for name in ["litstudy_scopus.csv", "litstudy_scopus_orig2rows.csv"] {
            let records = try Corpus.read(name).records
            let doc = records[0]
            XCTAssertEqual(doc.title, "Scalable molecular dynamics with NAMD", name)
            XCTAssertTrue(doc.abstract?.hasPrefix("NAMD is a parallel molecular dynamics code") == true, name)
            XCTAssertEqual(doc.sourceTitle, "Journal of Computational Chemistry")
            XCTAssertEqual(doc.languages, ["English"])
            XCTAssertEqual(doc.publisher, "John Wiley and Sons Inc.")
            XCTAssertEqual(doc.citedBy, 13169)
            XCTAssertEqual(doc.authorKeywords, ["Biomolecular simulation", "Molecular dynamics", "Parallel computing"])
            XCTAssertEqual(doc.year, 2005)
            // litstudy's "Phillips, J.C. (ID: …)" = family Phillips, given J.C.
            XCTAssertEqual(doc.authors.map(\.family), ["Phillips", "Braun", "Wang", "Gumbart", "Tajkhorshid", "Villa", "Chipot", "Skeel", "Kalé", "Schulten"])
            XCTAssertEqual(doc.authors[0].given, "J.C.")
            XCTAssertEqual(doc.authors[7].given, "R.D.")
            let second = records[1]
            XCTAssertEqual(second.authorKeywords, [])
        }
        // litstudy's doc[1] in the 58-row file is its second good row: "Murata T." (one author).
        let damaged = try Corpus.read("litstudy_scopus.csv")
        XCTAssertEqual(damaged.records[1].authors, [Author(family: "Murata", given: "T.")])
    }

    // litstudy scopus_v2 (2023 header, ";" author separator).
    func testLitstudyScopusV2() throws {
        let records = try Corpus.read("litstudy_scopus_v2_2023.csv").records
        let doc = records[0]
        XCTAssertTrue(doc.title?.hasPrefix("Gender-specific visual perturbation effects") == true)
        XCTAssertTrue(doc.abstract?.hasPrefix("This study investigated the effects of different visual rotation speeds") == true)
        XCTAssertEqual(doc.sourceTitle, "Ergonomics")
        XCTAssertEqual(doc.languages, ["English"])
        XCTAssertEqual(doc.publisher, "Taylor and Francis Ltd.")
        XCTAssertEqual(doc.citedBy, 0)
        XCTAssertEqual(doc.year, 2023)
        XCTAssertEqual(doc.authorKeywords, ["electromyography", "Gait", "simulation", "space medicine", "visual flow"])
        XCTAssertEqual(doc.authors.map(\.family), ["Hao", "High", "Siu"])
        let row36 = records[36]
        XCTAssertEqual(row36.title, "Hybrid Concept Analysis: Peer Collaborative Clinical Decision-Making in Nursing Simulation")
        XCTAssertTrue(row36.raw.values("Authors with affiliations").isEmpty)
    }

    // python-wostools: 500 records, and how many carry each tag.
    func testWostoolsTagCompleteness() throws {
        let expected: [String: Int] = ["AB": 497, "AF": 500, "AR": 216, "AU": 500, "BP": 281, "C1": 500, "CL": 152, "CR": 500, "CT": 152,
            "CY": 152, "DE": 336, "DI": 486, "DT": 500, "EI": 262, "EM": 469, "EP": 281, "FU": 270, "FX": 270, "GA": 500, "HO": 24,
            "ID": 440, "IS": 458, "J9": 500, "JI": 500, "LA": 500, "NR": 500, "OI": 168, "PA": 500, "PD": 469, "PG": 500, "PI": 500,
            "PM": 60, "PN": 60, "PT": 500, "PU": 500, "PY": 500, "RI": 172, "RP": 498, "SC": 500, "SI": 23, "SN": 500, "SO": 500,
            "SP": 88, "SU": 2, "TC": 500, "TI": 500, "U1": 500, "U2": 500, "UT": 500, "VL": 495, "WC": 500, "Z9": 500]
        let records = try Corpus.read("wostools_bitpattern_wos_savedrecs.txt").records
        XCTAssertEqual(records.count, 500)
        var counts: [String: Int] = [:]
        for r in records { for t in r.raw.tags { counts[t.name, default: 0] += 1 } }
        XCTAssertEqual(counts, expected)
        XCTAssertEqual(Set(records.compactMap(\.ut)).count, 500, "500 unique articles")
    }
}
