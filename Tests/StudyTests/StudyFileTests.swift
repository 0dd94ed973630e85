import Core
import Ledger
import XCTest
@testable import Study

final class StudyFileTests: XCTestCase {
    func parse(_ yaml: String) throws -> StudyFile { try StudyFile(yaml: yaml, file: "study.yaml") }

    func expectError(_ yaml: String, line: Int, containing text: String, file: StaticString = #filePath, at l: UInt = #line) {
        XCTAssertThrowsError(try parse(yaml), file: file, line: l) { error in
            guard let e = error as? InputError else { return XCTFail("not an InputError: \(error)", file: file, line: l) }
            XCTAssertEqual(e.location.file, "study.yaml", file: file, line: l)
            XCTAssertEqual(e.location.line, line, "\(e)", file: file, line: l)
            XCTAssertTrue(e.message.contains(text), "\(e.message)", file: file, line: l)
        }
    }

    func testFullFile() throws {
        let f = try parse("""
        name: Paper
        period: {from: 2011, to: 2023}
        sources:
          - name: Facility
            techniques: [SEM, TEM]
            fold: {STEM: SEM}
            acquired: {SEM: 119_557, TEM: 32540}
            articles: a.csv
          - name: Baseline
            techniques: [sem, stem, tem]
            aggregates:
              SEM: {articles: 158, images: 1624}
              STEM: {articles: 38, images: 274}
              TEM: {articles: 122, images: 818}
              TOTAL: {articles: 200}
          - name: Archive
            techniques: [SEM]
            acquired: archive
            articles: figures
        """)
        XCTAssertEqual(f.name, "Paper")
        XCTAssertEqual(f.period, 2011...2023)
        XCTAssertEqual(f.sources.map(\.name), ["Facility", "Baseline", "Archive"])
        XCTAssertEqual(f.sources[0].fold, [.stem: .sem])
        XCTAssertEqual(f.sources[0].acquired, .counts([.sem: 119557, .tem: 32540]))
        XCTAssertEqual(f.sources[0].published, .articlesCSV("a.csv"))
        XCTAssertEqual(f.sources[1].techniques, [.sem, .stem, .tem])
        XCTAssertEqual(f.sources[1].acquired, AcquiredDeclaration.none)
        guard case .aggregates(let agg) = f.sources[1].published else { return XCTFail() }
        XCTAssertEqual(agg.distinctArticles, 200)
        XCTAssertEqual(agg.byTechnique[.stem], Tally(articles: 38, images: 274))
        XCTAssertEqual(f.sources[2].acquired, .archive)
        XCTAssertEqual(f.sources[2].published, .figures)
    }

    func testUnknownKeysAreRejectedWithTheirLine() {
        expectError("name: x\nsorces: []\n", line: 2, containing: "unknown key 'sorces'")
        expectError("name: x\nsources:\n  - name: F\n    techniques: [SEM]\n    articles: a.csv\n    acquierd: {SEM: 1}\n",
                    line: 6, containing: "unknown key 'acquierd'")
        expectError("name: x\nsources:\n  - name: F\n    techniques: [SEM]\n    articles: a.csv\n    acquired: {TEM: 1}\n",
                    line: 6, containing: "unknown key 'TEM'")
    }

    func testWrongValuesAreRejectedWithTheirLine() {
        expectError("name: x\nperiod: {from: 2023, to: 2011}\n", line: 2, containing: "after")
        expectError("name: x\nsources:\n  - name: F\n    techniques: [SEM, XRD]\n    articles: a.csv\n", line: 4, containing: "unknown technique 'XRD'")
        expectError("name: x\nsources:\n  - name: F\n    techniques: [SEM]\n", line: 3, containing: "needs 'articles'")
        expectError("name: x\nsources:\n  - name: F\n    techniques: [SEM]\n    acquired: {SEM: lots}\n    articles: a\n", line: 5, containing: "whole number")
        expectError("name: x\nsources:\n  - name: B\n    techniques: [SEM]\n    aggregates:\n      SEM: {articles: 1, images: 2}\n",
                    line: 6, containing: "TOTAL")
        expectError("name: x\nsources:\n  - {name: F, techniques: [SEM], articles: a}\n  - {name: F, techniques: [TEM], articles: b}\n",
                    line: 4, containing: "two sources")
        expectError("sources: []\n", line: 1, containing: "needs 'name'")
        expectError("name: [unclosed\n", line: 2, containing: "not valid YAML")
        expectError("name: x\nbibliography:\n  translations:\n    issns: [1063-7835]\n", line: 4, containing: "check digit should be 4")
        expectError("name: x\nbibliography:\n  translations:\n    issns: [1063-783]\n", line: 4, containing: "not an ISSN")
        expectError("name: x\nliterature:\n  queries:\n    - {source: scopus, affiliation: X}\n", line: 4, containing: "unknown source 'scopus'")
        expectError("name: x\nliterature:\n  queries:\n    - {source: europepmc}\n", line: 4, containing: "at least one of")
        expectError("name: x\nliterature:\n  endpoints: {openalex: ftp://x}\n", line: 3, containing: "http:// or https://")
        expectError("name: x\nliterature:\n  queries:\n    - {source: crossref, cites: [W1]}\n", line: 4, containing: "OpenAlex only")
        expectError("name: x\nliterature:\n  rates: {openalex: 1e-300}\n", line: 3, containing: "at least 0.001")
        expectError("name: x\nliterature:\n  rates: {crossref: .nan}\n", line: 3, containing: "must be a number")
        // Hours beyond a century overflowed the scan's date comparison (in seconds).
        expectError("name: x\narchive:\n  dateToleranceHours: 9223372036854775807\n", line: 3, containing: "a century")
        expectError("name: x\narchive:\n  dateToleranceHours: -1\n", line: 3, containing: "a century")
    }

    func testTemplateParsesAndDocumentsEveryKey() throws {
        let text = StudyTemplate.text(name: "My \"study\"")
        let f = try parse(text)
        XCTAssertEqual(f.name, "My \"study\"")
        XCTAssertEqual(f.sources.first?.acquired, .archive)
        XCTAssertEqual(f.sources.first?.published, .figures)
        for key in ["period", "techniques", "fold", "acquired", "articles", "aggregates"] + Array(StudyFile.keys)
            + Array(BibliographySettings.keys) + Array(ArchiveSettings.keys) + Array(FiguresSettings.keys) + Array(ClassificationSettings.keys)
            + Array(InputsSettings.keys) + Array(LiteratureSettings.keys) {
            XCTAssertTrue(text.contains("\(key):"), "template shows \(key)")
        }
        // Uncommenting every stage section gives a valid file.
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let l = String(line)
            for section in ["bibliography", "archive", "figures", "classification", "inputs", "literature"] where l.hasPrefix("# \(section):") { return String(l.dropFirst(2)) }
            if l.hasPrefix("#   ") { return String(l.dropFirst(2)) }
            // The commented third-party source, which the inputs example names.
            if l.hasPrefix("  # - ") || l.hasPrefix("  #   ") { return "  " + String(l.dropFirst(4)) }
            return l
        }.joined(separator: "\n")
        let full = try parse(uncommented)
        XCTAssertEqual(full.figures, FiguresSettings(outlierThreshold: 50, supplements: "supplements/jats"))
        XCTAssertEqual(full.literature.queries.first?.instruments, ["SU8000", "HT7700"])
        XCTAssertEqual(full.literature.rate(.crossref), 5)
        XCTAssertEqual(full.literature.endpoint(.europepmc), "https://www.ebi.ac.uk/europepmc/webservices/rest")
    }

    func testInputsSection() throws {
        let f = try parse("""
        name: Demo
        sources:
          - {name: Facility, techniques: [SEM], acquired: none, articles: figures}
          - {name: Baseline, techniques: [SEM], acquired: none, articles: figures}
        inputs:
          exports: [exports/scopus.csv, "exports/*.txt"]
          articles: jats/articles
          baselines:
            - {source: Baseline, jats: [jats/b1, jats/b2]}
        """)
        XCTAssertEqual(f.inputs.exports, ["exports/scopus.csv", "exports/*.txt"])
        XCTAssertEqual(f.inputs.articles, ["jats/articles"], "a single path is a list of one")
        XCTAssertEqual(f.inputs.baselines, [InputsSettings.Baseline(source: "Baseline", jats: ["jats/b1", "jats/b2"])])
        expectError("name: X\ninputs:\n  export: [a.csv]\n", line: 3, containing: "unknown key 'export'")
        expectError("name: X\ninputs:\n  baselines:\n    - {source: B}\n", line: 4, containing: "needs 'jats'")
        expectError("""
        name: X
        sources:
          - {name: Facility, techniques: [SEM], acquired: none, articles: figures}
        inputs:
          baselines:
            - {source: Nobody, jats: [x]}
        """, line: 5, containing: "not a source")
    }

    func testInputFilesExpandFoldersAndGlobsRelativeToTheStudy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-inputs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("exports/sub"), withIntermediateDirectories: true)
        for name in ["exports/a.txt", "exports/b.txt", "exports/c.csv", "exports/sub/d.xml", "exports/.hidden.xml"] {
            try Data("x".utf8).write(to: dir.appendingPathComponent(name))
        }
        let study = try Study.create(at: dir)
        let (files, errors) = study.inputFiles(["exports/*.txt", "exports/c.csv", "exports/a.txt", "missing/*.ris"])
        XCTAssertEqual(files.map { $0.replacingOccurrences(of: dir.standardizedFileURL.path + "/", with: "") },
                       ["exports/a.txt", "exports/b.txt", "exports/c.csv"])
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors[0].message.contains("missing/*.ris"))
        let jats = study.inputFiles(["exports"], extensions: ["xml"]).files
        XCTAssertEqual(jats.map { URL(fileURLWithPath: $0).lastPathComponent }, ["d.xml"], "hidden files are left out")
        // A link to nothing in a declared folder is named, not skipped without a word.
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("exports/sub/gone.xml").path, withDestinationPath: "/nonexistent/gone.xml")
        let (withLink, linkErrors) = study.inputFiles(["exports"], extensions: ["xml"])
        XCTAssertEqual(withLink.map { URL(fileURLWithPath: $0).lastPathComponent }, ["d.xml"])
        XCTAssertEqual(linkErrors.map(\.location.file), [dir.appendingPathComponent("exports/sub/gone.xml").standardizedFileURL.path])
        XCTAssertTrue(linkErrors.first?.message.contains("symbolic link to nothing (/nonexistent/gone.xml)") == true, "\(linkErrors)")
    }
}
