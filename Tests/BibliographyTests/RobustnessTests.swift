import Foundation
import XCTest
@testable import Bibliography

/// No byte sequence crashes a reader, and every record read is accounted for.
final class RobustnessTests: XCTestCase {
    func testTruncatedRealFilesNeverCrashAndAccountForEveryRecord() throws {
        let names = ["metaknowledge_savedrecs.txt", "litstudy_scopus_v2_2023.csv", "asreview_dino_scopus.ris",
                     "pybibx_mcda_small_scopus.bib", "pybibx_mcda_small_wos.bib", "ble2023_wos_tabdelim_part4.txt",
                     "bibliometrix_lens_sample.csv", "asreview_dino_openalex.csv"]
        for name in names {
            let bytes = Array(try Data(contentsOf: try Corpus.url(name)))
            for cut in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 23)) {
                do {
                    let r = try Bibliography.read(Array(bytes[..<cut]), file: name)
                    XCTAssertEqual(r.records.count + r.rejected.count, r.recordsRead)
                } catch {
                    XCTAssertTrue(error is UnreadableFile)
                }
            }
        }
    }

    func testRandomBytesAndMutationsNeverCrash() throws {
        var rng = SystemRandomNumberGenerator()
        let seeds = try ["wos_two_blocks.txt", "scopus_2019.csv", "scopus.ris", "scopus_old_new.bib"].map {
            Array(try Data(contentsOf: Corpus.fixtures.appendingPathComponent($0)))
        }
        for _ in 0..<400 {
            var bytes = seeds.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...20, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] = [0x22, 0x0A, 0x0D, 0x7B, 0x7D, 0x40, 0x09, 0x2C, 0x20, 0xFF, 0xC3, UInt8.random(in: 0...255, using: &rng)].randomElement(using: &rng)!
            }
            for format in [nil] + ExportFormat.allCases.map(Optional.some) {
                _ = try? Bibliography.read(bytes, file: "mutated", format: format)
            }
        }
    }
}
