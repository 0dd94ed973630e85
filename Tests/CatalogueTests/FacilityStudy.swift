import Archive
import Catalogue
import Core
import Foundation
import Ledger
import Study
import TestSupport
import XCTest

/// A synthetic facility for the tests: an archive from `archive synth`'s generator, scanned into
/// a new study, with per-article counts in a CSV and a third-party baseline, so that a push
/// carries every kind of row.
struct FacilityStudy {
    let directory: URL
    let study: Study

    static func make(name: String, images: Int, seed: UInt64, articles: Int = 12, title: String? = nil) async throws -> FacilityStudy {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-facility-\(UUID().uuidString)")
        let archive = dir.appendingPathComponent("archive")
        try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
        _ = try SyntheticArchive.write(to: archive.path, images: images, seed: seed)
        var generator = SplitMix(seed: seed)
        var csv = "id,SEM,STEM,TEM\n"
        for i in 0..<articles {
            csv += "\(name.filter(\.isLetter).prefix(3))-\(i),\(generator.next() % 9),\(generator.next() % 3),\(generator.next() % 5)\n"
        }
        try csv.write(to: dir.appendingPathComponent("counts.csv"), atomically: true, encoding: .utf8)
        let study = try Study.create(at: dir, name: name)
        // The name goes through YAML as a double-quoted scalar (hostile names included).
        let quoted = "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        try """
            name: \(quoted)
            sources:
              - name: \(quoted)
                techniques: [SEM, TEM]
                fold: {STEM: SEM}
                acquired: archive
                articles: counts.csv
              - name: Third-party facilities
                techniques: [SEM, STEM, TEM]
                acquired: none
                aggregates:
                  SEM: {articles: 158, images: 1624}
                  STEM: {articles: 38, images: 274}
                  TEM: {articles: 122, images: 818}
                  TOTAL: {articles: 200, images: 2766}
            """.write(to: dir.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        _ = study
        let reopened = try Study.open(dir)
        _ = try await reopened.scanArchive(roots: [archive.path], options: reopened.archiveScanOptions())
        return FacilityStudy(directory: dir, study: reopened)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// The facility's own Table 1 source, as `lostdata table1` computes it from the study.
    func ownTable() throws -> SourceTable {
        try study.table1().table.sources[0]
    }
}
