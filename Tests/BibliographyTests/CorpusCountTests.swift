import Foundation
import XCTest
@testable import Bibliography

/// Every real export in ../shared/corpora/bibliography: the format recognised from the bytes,
/// the record count and the distinct normalised DOIs the corpus README lists.
final class CorpusCountTests: XCTestCase {
    /// file → (format, records in the file, distinct DOIs) from the corpus README.
    static let expected: [(String, ExportFormat, Int, Int)] = [
        ("asreview_dino_openalex.csv", .openAlexCSV, 9, 9),
        ("asreview_dino_scopus.csv", .scopusCSV, 10, 10),
        ("asreview_dino_scopus.ris", .scopusRIS, 10, 10),
        ("bibliometrix_DISES_scopus.bib", .scopusBibTeX, 425, 339),
        ("bibliometrix_DISES_wos.bib", .wosBibTeX, 321, 264),
        ("bibliometrix_lens_sample.csv", .lensCSV, 8, 8),
        ("bibliometrix_mgmt_wos.bib", .wosBibTeX, 220, 199),
        ("bibliometrix_mgmt_wos.txt", .wosPlainText, 241, 211),
        ("bibliometrix_openalex_sample.csv", .openAlexCSV, 8, 8),
        ("bibliometrix_scopus_2017.bib", .scopusBibTeX, 46, 40),
        ("bibliometrix_scopus_sample.csv", .scopusCSV, 8, 8),
        ("bibliometrix_wos_sample.txt", .wosPlainText, 8, 8),
        ("ble2019_scopus_citation_only.csv", .scopusCSV, 1830, 1638),
        ("ble2019_wos_tabdelim_part3.txt", .wosTabDelimited, 313, 89),
        ("ble2023_wos_tabdelim_part4.txt", .wosTabDelimited, 54, 30),
        ("ble2026_wos_tabdelim_part5.txt", .wosTabDelimited, 71, 37),
        ("litstudy_scopus.csv", .scopusCSV, 58, 44),
        ("litstudy_scopus_orig2rows.csv", .scopusCSV, 2, 2),
        ("litstudy_scopus_v2_2023.csv", .scopusCSV, 88, 88),
        ("metaknowledge_savedrecs.txt", .wosPlainText, 32, 17),
        ("metaknowledge_scopus_testing.csv", .scopusCSV, 220, 160),
        ("pybibx_mcda_small_scopus.bib", .scopusBibTeX, 24, 22),
        ("pybibx_mcda_small_wos.bib", .wosBibTeX, 29, 26),
        ("wostools_bitpattern_wos_savedrecs.txt", .wosPlainText, 500, 486),
        ("wostools_magnetism_scopus.ris", .scopusRIS, 836, 769),
    ]

    func testEveryFileHasItsREADMECounts() throws {
        for (name, format, records, dois) in Self.expected {
            let r = try Corpus.read(name)
            XCTAssertEqual(r.format, format, name)
            XCTAssertEqual(r.recordsRead, records, "\(name): records read")
            if name == "litstudy_scopus.csv" {
                // The damaged file: its 56 rows of 46 fields are rejected, the 2 good rows kept.
                XCTAssertEqual(r.records.count, 2, name)
                XCTAssertEqual(r.rejected.count, 56, name)
                continue
            }
            XCTAssertEqual(r.rejected.map(\.description), [], name)
            XCTAssertEqual(Set(r.records.compactMap(\.doi)).count, dois, "\(name): distinct DOIs")
        }
    }
}
