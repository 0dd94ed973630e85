import Core
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Study
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `lostdata run` and `lostdata report` on a copy of corpora/demo, as a user runs them.
final class DemoStudyCLITests: XCTestCase {
    static let demo = CLI.packageRoot.appendingPathComponent("corpora/demo")

    /// A fresh copy of the demo (without its generated archive, database and report) and its
    /// archive made by the README's command.
    func makeDemo() throws -> URL {
        let dir = try CLI.temporaryDirectory().appendingPathComponent("demo")
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        for item in ["study.yaml", "exports", "jats"] {
            try fm.copyItem(at: Self.demo.appendingPathComponent(item), to: dir.appendingPathComponent(item))
        }
        let synth = try CLI.run(["archive", "synth", dir.appendingPathComponent("archive").path, "--images", "600", "--seed", "14"])
        XCTAssertEqual(synth.status, 0, synth.stderr)
        return dir
    }

    func run(_ dir: URL, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.run(["run", "--study", dir.path] + extra)
    }

    /// The lines of the run summary: stage → status.
    func statuses(_ r: CLI.Result) -> [String: String] {
        var out: [String: String] = [:]
        for line in r.stderr.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, ["archive", "bibliography", "figures", "classification", "report"].contains(String(parts[0])) else { continue }
            out[String(parts[0])] = parts[1] == "unchanged," ? "skipped" : String(parts[1])
        }
        return out
    }

    func reportJSON(_ dir: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("report/report.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func files(_ dir: URL) throws -> [String: Data] {
        let root = dir.appendingPathComponent("report")
        var out: [String: Data] = [:]
        for sub in ["", "charts", "data"] {
            let d = root.appendingPathComponent(sub)
            for name in try FileManager.default.contentsOfDirectory(atPath: d.path) where name.contains(".") {
                out[sub + "/" + name] = try Data(contentsOf: d.appendingPathComponent(name))
            }
        }
        return out
    }

    // MARK: run

    func testRunTwiceSkipsEveryStageAndKeepsTheExitStatus() throws {
        let dir = try makeDemo()
        let first = try run(dir)
        // The synthetic archive has three truncated sidecars: rejected, listed, exit 3.
        XCTAssertEqual(first.status, 3, first.stderr)
        XCTAssertEqual(statuses(first), ["archive": "ran", "bibliography": "ran", "figures": "ran", "classification": "ran", "report": "ran"])
        XCTAssertEqual(first.stderr.components(separatedBy: "the file ends in the middle of line").count - 1, 3, first.stderr)
        let before = try files(dir)
        let second = try run(dir)
        XCTAssertEqual(second.status, 3, "the rejections of skipped stages still count: \(second.stderr)")
        XCTAssertEqual(statuses(second), ["archive": "skipped", "bibliography": "skipped", "figures": "skipped",
                                          "classification": "skipped", "report": "skipped"])
        XCTAssertEqual(try files(dir), before)
    }

    /// A moved study folder: its relative `archive` root resolves elsewhere, and the old root's
    /// index rows were counted with the new ones (600 acquired images became 1,200). The run
    /// forgets the rows of roots study.yaml does not name, and says so.
    func testAMovedStudyCountsAndListsItsInputsOnce() throws {
        let dir = try makeDemo()
        let first = try run(dir)
        XCTAssertEqual(first.status, 3)
        XCTAssertFalse(first.stderr.contains("no longer name"), first.stderr)
        let before = try reportJSON(dir)
        XCTAssertEqual(try value("table1/Demo facility/TOTAL/acquired", in: before), "600")
        let moved = dir.deletingLastPathComponent().appendingPathComponent("moved")
        try FileManager.default.moveItem(at: dir, to: moved)
        let again = try run(moved)
        XCTAssertEqual(again.status, 3, again.stderr)
        XCTAssertEqual(statuses(again)["archive"], "ran")
        let after = try reportJSON(moved)
        // Table 1 as before, every cell (published counts too).
        XCTAssertEqual(try JSONSerialization.data(withJSONObject: after["table1"] as Any, options: .sortedKeys),
                       try JSONSerialization.data(withJSONObject: before["table1"] as Any, options: .sortedKeys))
        XCTAssertEqual(try value("table1/Demo facility/TOTAL/acquired", in: after), "600")
        // The report's inputs are the moved study's files, none left at the old place.
        let inputs = try XCTUnwrap(after["inputs"] as? [[String: Any]])
        let stale = inputs.compactMap { $0["path"] as? String }.filter { $0.hasPrefix(dir.path) || $0.hasPrefix(dir.resolvingSymlinksInPath().path) }
        XCTAssertEqual(stale, [], "\(inputs)")
        XCTAssertTrue(again.stderr.contains("the counts of 8 article file(s) that study.yaml's inputs no longer name"), again.stderr)
        // The records' evidence points at the moved exports, also after the list is rebuilt.
        for args in [["bib", "show", "10.3390/ma11081273"], ["bib", "import", moved.appendingPathComponent("exports/wos.txt").path]] {
            _ = try CLI.run(args + ["--study", moved.path])
            let show = try CLI.run(["bib", "show", "10.3390/ma11081273", "--study", moved.path])
            XCTAssertEqual(show.status, 0, show.stderr)
            XCTAssertTrue(show.stdout.contains(moved.appendingPathComponent("exports/scopus.csv").path), show.stdout)
            XCTAssertFalse(show.stdout.contains(dir.path + "/"), show.stdout)
        }
        let oldRoot = dir.appendingPathComponent("archive").resolvingSymlinksInPath().path
        let warning = again.stderr.split(separator: "\n").first { $0.contains("archive.roots in study.yaml does not name") }
        XCTAssertNotNil(warning, again.stderr)
        XCTAssertTrue(warning?.contains("600 image(s)") == true && warning?.contains(oldRoot) == true, "\(warning ?? "") / \(oldRoot)")
        let count = try CLI.run(["archive", "count", "--study", moved.path])
        XCTAssertTrue(count.stdout.contains("600"), count.stdout)
    }

    /// An export dropped from `inputs.exports` stayed in the article list, counted; `run` now
    /// forgets it, says so, and keeps the other export's records (and none of a search's pages).
    func testAnExportDroppedFromTheStudyFileLeavesTheArticleList() throws {
        let dir = try makeDemo()
        XCTAssertEqual(try run(dir).status, 3)
        func articles() throws -> Int {
            try CLI.run(["bib", "list", "--study", dir.path, "--all", "--json"]).stdout.split(separator: "\n").count
        }
        XCTAssertEqual(try articles(), 6)
        let yamlURL = dir.appendingPathComponent("study.yaml")
        let yaml = try String(contentsOf: yamlURL, encoding: .utf8)
        let declared = "exports: [exports/scopus.csv, \"exports/*.txt\"]"
        XCTAssertTrue(yaml.contains(declared))
        try yaml.replacingOccurrences(of: declared, with: "exports: [exports/scopus.csv]").write(to: yamlURL, atomically: true, encoding: .utf8)
        let again = try run(dir)
        XCTAssertEqual(statuses(again)["bibliography"], "ran", again.stderr)
        XCTAssertTrue(again.stderr.contains("exports/wos.txt (3 record(s)), which inputs.exports in study.yaml no longer names, is forgotten"), again.stderr)
        // 5 Scopus records, none merged now: the one WoS-only article is gone.
        XCTAssertEqual(try articles(), 5)
        let inputs = try XCTUnwrap(try reportJSON(dir)["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.filter { ($0["stage"] as? String) == "bibliography" }.compactMap { $0["path"] as? String }, ["exports/scopus.csv"])
    }

    /// A stage whose inputs study.yaml no longer declares at all kept everything it had stored,
    /// counted: the last export's records, the archive's images, the article files' counts.
    /// `run` now empties such a stage once (with the same warnings as for a dropped item), then
    /// says `not declared`; declaring the inputs again brings the same Table 1 back.
    func testAStageWhoseInputsAreAllDroppedIsEmptied() throws {
        let dir = try makeDemo()
        XCTAssertEqual(try run(dir).status, 3)
        let before = try reportJSON(dir)
        XCTAssertEqual(try value("table1/Demo facility/TOTAL/acquired", in: before), "600")
        func articles() throws -> Int {
            try CLI.run(["bib", "list", "--study", dir.path, "--all", "--json"]).stdout.split(separator: "\n").count
        }
        XCTAssertEqual(try articles(), 6)
        // A single command since (its stage run has no fingerprint) does not hide that `run` ran
        // the stage.
        XCTAssertEqual(try CLI.run(["bib", "import", dir.appendingPathComponent("exports/scopus.csv").path, "--study", dir.path]).status, 0)
        let yamlURL = dir.appendingPathComponent("study.yaml")
        let yaml = try String(contentsOf: yamlURL, encoding: .utf8)
        var emptied = yaml
        for (declared, none) in [("roots: [archive]", "roots: []"), ("exports: [exports/scopus.csv, \"exports/*.txt\"]", "exports: []"),
                                 ("articles: [jats/articles]", "articles: []"),
                                 ("  baselines:\n    - {source: Third-party facilities, jats: [jats/baseline]}\n", "")] {
            XCTAssertTrue(emptied.contains(declared), declared)
            emptied = emptied.replacingOccurrences(of: declared, with: none)
        }
        try emptied.write(to: yamlURL, atomically: true, encoding: .utf8)

        let second = try run(dir)
        XCTAssertEqual(statuses(second), ["archive": "emptied", "bibliography": "emptied", "figures": "emptied",
                                          "classification": "emptied", "report": "ran"], second.stderr)
        XCTAssertTrue(second.stderr.contains("600 image(s)"), second.stderr)
        XCTAssertTrue(second.stderr.contains("exports/scopus.csv (5 record(s)), which inputs.exports in study.yaml no longer names"), second.stderr)
        XCTAssertTrue(second.stderr.contains("the counts of 8 article file(s) that study.yaml's inputs no longer name"), second.stderr)
        XCTAssertEqual(try articles(), 0)
        let empty = try reportJSON(dir)
        // Nothing indexed and nothing counted: Table 1 has no number to give (not 600, not 0).
        XCTAssertEqual(try value("table1/Demo facility/TOTAL/acquired", in: empty), "<null>")
        XCTAssertEqual(try value("table1/Demo facility/TOTAL/published", in: empty), "null")
        let summary = try CLI.run(["classify", "summary", "--study", dir.path])
        XCTAssertTrue(summary.stderr.contains("no classified articles"), summary.stdout + summary.stderr)

        // Once emptied, nothing is done again.
        let third = try run(dir)
        XCTAssertEqual(statuses(third), ["archive": "not", "bibliography": "not", "figures": "not",
                                         "classification": "not", "report": "skipped"], third.stderr)
        XCTAssertFalse(third.stderr.contains("forgotten"), third.stderr)

        // Declared again: the first Table 1, cell by cell.
        try yaml.write(to: yamlURL, atomically: true, encoding: .utf8)
        let fourth = try run(dir)
        XCTAssertEqual(fourth.status, 3, fourth.stderr)
        XCTAssertEqual(try JSONSerialization.data(withJSONObject: try reportJSON(dir)["table1"] as Any, options: .sortedKeys),
                       try JSONSerialization.data(withJSONObject: before["table1"] as Any, options: .sortedKeys))
        XCTAssertEqual(try articles(), 6)
    }

    func testAChangedExportRerunsOnlyTheStagesDownstreamOfIt() throws {
        let dir = try makeDemo()
        _ = try run(dir)
        let wos = dir.appendingPathComponent("exports/wos.txt")
        var text = try String(contentsOf: wos, encoding: .utf8)
        text = text.replacingOccurrences(of: "EF\n", with: """
            PT J
            AU Novak, P
            TI Scanning electron microscopy of fracture surfaces in sintered alumina
            SO JOURNAL OF THE EUROPEAN CERAMIC SOCIETY
            DT Article
            PY 2019
            DI 10.5555/demo.extra.1
            UT WOS:000450000000009
            ER

            EF

            """)
        try text.write(to: wos, atomically: true, encoding: .utf8)
        let again = try run(dir)
        XCTAssertEqual(statuses(again), ["archive": "skipped", "bibliography": "ran", "figures": "ran", "classification": "ran", "report": "ran"],
                       again.stderr)
        let inputs = try XCTUnwrap(try reportJSON(dir)["inputs"] as? [[String: Any]])
        let wosRow = try XCTUnwrap(inputs.first { ($0["path"] as? String) == "exports/wos.txt" })
        XCTAssertEqual(wosRow["read"] as? Int, 4)
    }

    /// A touched archive file re-runs the archive scan and the report, nothing else; a full text
    /// rewritten with the same size and modification time (after the run remembered its hash) is
    /// still seen — its change time moved — and re-runs the figures and what follows.
    func testAChangedArchiveFileOrFullTextRerunsTheRightStages() throws {
        let dir = try makeDemo()
        _ = try run(dir)
        let image = try XCTUnwrap(FileManager.default.enumerator(atPath: dir.appendingPathComponent("archive/HT7700").path)?
            .compactMap { $0 as? String }.sorted().first { $0.hasSuffix(".tif") || $0.hasSuffix(".dm3") || $0.hasSuffix(".txt") })
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)],
                                              ofItemAtPath: dir.appendingPathComponent("archive/HT7700/" + image).path)
        let touched = try run(dir)
        XCTAssertEqual(statuses(touched), ["archive": "ran", "bibliography": "skipped", "figures": "skipped",
                                           "classification": "skipped", "report": "ran"], touched.stderr)

        // Let the inputs settle past the racy window, so this run remembers their hashes.
        Thread.sleep(forTimeInterval: 2.2)
        let settled = try run(dir)
        XCTAssertEqual(Set(statuses(settled).values), ["skipped"], settled.stderr)
        let jats = dir.appendingPathComponent("jats/articles/materials_PMC6317012.xml")
        var before = stat()
        XCTAssertEqual(stat(jats.path, &before), 0)
        // One character of a caption changed: same length, same size; then the times put back
        // to the nanosecond.
        let text = try String(contentsOf: jats, encoding: .utf8)
        let r = try XCTUnwrap(text.range(of: "the "))
        let edited = text.replacingCharacters(in: r, with: "thx ")
        let handle = try FileHandle(forWritingTo: jats)
        try handle.write(contentsOf: Data(edited.utf8))
        try handle.close()
        var times = [before.st_atim, before.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, jats.path, &times, 0), 0)
        var after = stat()
        XCTAssertEqual(stat(jats.path, &after), 0)
        XCTAssertEqual([after.st_size, after.st_mtim.tv_sec, after.st_mtim.tv_nsec], [before.st_size, before.st_mtim.tv_sec, before.st_mtim.tv_nsec])
        let rewritten = try run(dir)
        XCTAssertEqual(statuses(rewritten), ["archive": "skipped", "bibliography": "skipped", "figures": "ran",
                                             "classification": "skipped", "report": "ran"], rewritten.stderr)
    }

    /// Without a terminal (a log, CI): each stage ends with one plain line of counts; no bar, no
    /// carriage return, no escape code.
    func testProgressWithoutATerminalIsPlainLines() throws {
        let dir = try makeDemo()
        let r = try run(dir)
        XCTAssertTrue(r.stderr.contains("archive: 600 read, 600 kept, 0 merged, 3 rejected, "), r.stderr)
        XCTAssertTrue(r.stderr.contains("bibliography: 8 read, 6 kept, 2 merged, 0 rejected, "), r.stderr)
        for stage in ["figures", "classification", "report"] {
            XCTAssertTrue(r.stderr.contains("\n\(stage): "), stage)
        }
        XCTAssertFalse(r.stderr.contains("\u{1B}"), "no escape codes in a log")
        XCTAssertFalse(r.stderr.contains("\r"))
        XCTAssertFalse(r.stderr.contains("[###"))
    }

    /// Runs a program; its stdout and stderr together.
    static func runProcess(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// On a terminal (a pseudo-terminal made by `script`): a bar per stage, drawn in place, and a
    /// full bar with the stage's counts when it ends.
    func testProgressOnATerminalDrawsABarPerStage() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("needs util-linux `script` for a pseudo-terminal")
        }
        let dir = try makeDemo()
        let command = [try CLI.executable.path, "run", "--study", dir.path].map { "'\($0)'" }.joined(separator: " ")
        let r = try Self.runProcess("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"])
        let full = "[" + String(repeating: "#", count: 30) + "]"
        for stage in ["archive", "bibliography", "figures", "classification", "report"] {
            XCTAssertTrue(r.output.contains("\(stage):".padding(toLength: 15, withPad: " ", startingAt: 0) + full), "\(stage): \(r.output)")
        }
        XCTAssertTrue(r.output.contains("archive:       " + full + " 600 read, 600 kept, 0 merged, 3 rejected"), r.output)
        XCTAssertTrue(r.output.contains("\u{1B}[K"), "the bar is redrawn in place")
    }

    func testForceRunsAStageAgain() throws {
        let dir = try makeDemo()
        _ = try run(dir)
        let forced = try run(dir, ["--force", "classification"])
        XCTAssertEqual(statuses(forced)["classification"], "ran")
        XCTAssertEqual(statuses(forced)["bibliography"], "skipped")
    }

    // MARK: report

    func testReportIsByteIdenticalWhenRunAgain() throws {
        let dir = try makeDemo()
        _ = try run(dir)
        let before = try files(dir)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("report"))
        let r = try CLI.run(["report", "--study", dir.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try files(dir), before)
    }

    /// Every row of corpora/demo/EXPECTED.md against report.json.
    func testDemoMatchesExpected() throws {
        let dir = try makeDemo()
        _ = try run(dir)
        let json = try reportJSON(dir)
        let expected = try String(contentsOf: Self.demo.appendingPathComponent("EXPECTED.md"), encoding: .utf8)
        var checked = 0
        for line in expected.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let key = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")), want = cells[1]
            XCTAssertEqual(try value(key, in: json), want, key)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 20)
        // report.json's tables are `table1 --format json` as printed; a bare --trim-outliers uses
        // the study's figures.outlierThreshold (6 in the demo), not 50.
        let plain = try CLI.run(["table1", "--study", dir.path, "--format", "json"])
        let trimmed = try CLI.run(["table1", "--study", dir.path, "--trim-outliers", "--format", "json"])
        XCTAssertTrue(trimmed.stdout.contains("\"threshold\":6"), trimmed.stdout)
        let report = try String(contentsOf: dir.appendingPathComponent("report/report.json"), encoding: .utf8)
        XCTAssertTrue(report.contains("\"table1\":" + plain.stdout.trimmingCharacters(in: .newlines) + ","))
        XCTAssertTrue(report.contains("\"table1Trimmed\":" + trimmed.stdout.trimmingCharacters(in: .newlines) + ","))
    }

    func value(_ key: String, in json: [String: Any]) throws -> String {
        let parts = key.split(separator: "/").map(String.init)
        switch parts[0] {
        case "table1", "trimmed":
            let table = try XCTUnwrap(json[parts[0] == "table1" ? "table1" : "table1Trimmed"] as? [String: Any])
            let sources = try XCTUnwrap(table["sources"] as? [[String: Any]])
            let source = try XCTUnwrap(sources.first { $0["name"] as? String == parts[1] })
            let column = try XCTUnwrap((source["columns"] as? [[String: Any]])?.first { $0["technique"] as? String == parts[2] })
            return Self.text(column[parts[3]])
        case "bib":
            let inputs = try XCTUnwrap(json["inputs"] as? [[String: Any]]).filter { $0["stage"] as? String == "bibliography" }
            return String(inputs.compactMap { $0[parts[1]] as? Int }.reduce(0, +))
        case "fig3c", "fig3d":
            let (shown, without) = try Self.scaleBarChart(parts[0], json)
            return String(parts[1] == "shown" ? shown : without)
        case "fig2a", "fig3b":
            let id = parts[0] == "fig2a" ? "fig2a-acquired-per-year" : "fig3b-published-per-category-year"
            let chart = try XCTUnwrap((json["charts"] as? [[String: Any]])?.first { $0["id"] as? String == id })
            let categories = try XCTUnwrap(chart["categories"] as? [String]), totals = try XCTUnwrap(chart["totals"] as? [Int])
            return String(totals[try XCTUnwrap(categories.firstIndex(of: parts[1]))])
        default:
            XCTFail("unknown key \(key)"); return ""
        }
    }

    /// Fig 3C or 3D of report.json: the images its bars show and the number it says state no
    /// scale bar (in its note, or its sentence when no image has one).
    static func scaleBarChart(_ key: String, _ json: [String: Any]) throws -> (shown: Int, without: Int) {
        let id = key == "fig3c" ? "fig3c-published-sem-per-decade" : "fig3d-published-tem-per-decade"
        let chart = try XCTUnwrap((json["charts"] as? [[String: Any]])?.first { $0["id"] as? String == id })
        let shown = (chart["totals"] as? [Int] ?? []).reduce(0, +)
        let text = (chart["note"] as? String) ?? (chart["missing"] as? String) ?? ""
        let match = try XCTUnwrap(text.range(of: #"[0-9]+(?= published image)"#, options: .regularExpression), text)
        return (shown, Int(text[match])!)
    }

    /// The study's own articles' images in Table 1 (report.json), per technique.
    static func table1Images(_ json: [String: Any], source: String) throws -> [String: Int] {
        let sources = try XCTUnwrap((json["table1"] as? [String: Any])?["sources"] as? [[String: Any]])
        let columns = try XCTUnwrap(sources.first { $0["name"] as? String == source }?["columns"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: columns.map { ($0["technique"] as! String, $0["images"] as? Int ?? 0) })
    }

    /// Fig 3C/3D count the articles Table 1 counts — the excluded review's captioned panels (the
    /// only ones of the demo stating a scale bar) are not shown — and a person's hand-entered
    /// counts replace an article's panels: bars + "no scale bar" = Table 1's images, before and
    /// after the decision. Fig 3B and lost data per year follow the same counts.
    func testPublishedImageChartsCountTheArticlesTable1Counts() throws {
        let dir = try makeDemo()
        _ = try run(dir)
        func check(_ label: String) throws -> [String: Any] {
            let json = try reportJSON(dir)
            let table = try Self.table1Images(json, source: "Demo facility")
            let c = try Self.scaleBarChart("fig3c", json), d = try Self.scaleBarChart("fig3d", json)
            // The demo folds STEM into SEM: Table 1's SEM column is 3C's SEM + STEM.
            XCTAssertEqual(c.shown + c.without, table["SEM"], label)
            XCTAssertEqual(d.shown + d.without, table["TEM"], label)
            let charts = try XCTUnwrap(json["charts"] as? [[String: Any]])
            let fig3b = try XCTUnwrap(charts.first { $0["id"] as? String == "fig3b-published-per-category-year" })
            XCTAssertEqual((fig3b["totals"] as? [Int] ?? []).reduce(0, +), table["TOTAL"], label)
            let lost = try XCTUnwrap(charts.first { $0["id"] as? String == "lost-per-year" })
            let published = (lost["series"] as? [[String: Any]] ?? []).filter { ($0["name"] as? String ?? "").hasPrefix("published") }
                .flatMap { $0["values"] as? [Int] ?? [] }.reduce(0, +)
            XCTAssertEqual(published, table["TOTAL"], label)
            return json
        }
        let before = try check("machine counts")
        XCTAssertEqual(try Self.scaleBarChart("fig3c", before).shown, 0, "only the excluded review states scale bars")
        // A person enters the counts of materials_PMC6117687 (4 SEM + 4 TEM by the Figures stage).
        let study = try Study.open(dir)
        try study.recordReview(.images([.sem: 1, .stem: 0, .tem: 9]), articleID: "doi:10.3390/ma11081273", expectedVersion: 0,
                               author: "test")
        let r = try CLI.run(["report", "--study", dir.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let after = try check("hand-entered counts")
        XCTAssertEqual(try Self.table1Images(after, source: "Demo facility")["TEM"], 11, "2 of PMC6163276 + 9 entered")
        XCTAssertEqual(try Self.scaleBarChart("fig3d", after).without, 11)
    }

    /// A JSON number as Table 1 prints it (two decimals for ratios).
    static func text(_ v: Any?) -> String {
        if let i = v as? Int, !(v is Double && "\(v!)".contains(".")) { return String(i) }
        if let d = v as? Double { return String(format: "%.2f", d) }
        return "\(v ?? "null")"
    }

    /// The data tables of index.html hold exactly report.json's series, and each SVG parses as
    /// XML with bars summing to the chart's totals.
    func testHTMLAndSVGMatchTheJSON() throws {
        let dir = try makeDemo()
        _ = try run(dir)
        let json = try reportJSON(dir)
        let html = try String(contentsOf: dir.appendingPathComponent("report/index.html"), encoding: .utf8)
        XCTAssertFalse(html.contains("<script"), "the report needs no script")
        XCTAssertFalse(html.contains("http://") && html.contains("src=\"http"), "nothing is fetched")
        let charts = try XCTUnwrap(json["charts"] as? [[String: Any]])
        var drawn = 0
        for chart in charts {
            let id = try XCTUnwrap(chart["id"] as? String)
            if let sentence = chart["missing"] as? String {
                XCTAssertTrue(html.contains(sentence.replacingOccurrences(of: "'", with: "&#39;")), id)
                continue
            }
            drawn += 1
            let series = try XCTUnwrap(chart["series"] as? [[String: Any]])
            let categories = try XCTUnwrap(chart["categories"] as? [String]), totals = try XCTUnwrap(chart["totals"] as? [Int])
            // The data table in the HTML.
            let start = try XCTUnwrap(html.range(of: "<table class=\"data\" data-chart=\"\(id)\">"))
            let table = String(html[start.upperBound...].prefix { _ in true }).components(separatedBy: "</table>")[0]
            let rows = table.components(separatedBy: "<tr><th scope=\"row\">").dropFirst()
            XCTAssertEqual(rows.count, categories.count, id)
            for (i, row) in rows.enumerated() {
                let cells = row.components(separatedBy: "<td data-series=\"").dropFirst().map { cell -> Int in
                    Int(cell.components(separatedBy: "\">")[1].components(separatedBy: "</td>")[0]) ?? -1
                }
                let want = series.map { (($0["values"] as? [Int]) ?? [])[i] } + [totals[i]]
                XCTAssertEqual(cells, want, "\(id) row \(i)")
            }
            // The SVG file: well-formed XML, bars summing per category to the totals.
            let svg = try Data(contentsOf: dir.appendingPathComponent("report/charts/\(id).svg"))
            let collector = BarCollector()
            let parser = XMLParser(data: svg)
            parser.delegate = collector
            XCTAssertTrue(parser.parse(), "\(id).svg: \(parser.parserError.map { "\($0)" } ?? "")")
            for (i, c) in categories.enumerated() {
                XCTAssertEqual(collector.sums[c], totals[i], "\(id) bar sum for \(c)")
            }
            XCTAssertEqual(collector.titles, collector.bars, "every bar has a <title>")
        }
        // 2A, 2B, 3A, 3B, lost data per year; 3C and 3D are sentences in the demo (no included
        // article's caption states a scale bar — docs/report.md).
        XCTAssertGreaterThanOrEqual(drawn, 5)
        // Table 1 in the HTML is the JSON's.
        let table1 = try XCTUnwrap(json["table1"] as? [String: Any])
        let demo = try XCTUnwrap((table1["sources"] as? [[String: Any]])?.first)
        let total = try XCTUnwrap((demo["columns"] as? [[String: Any]])?.last)
        XCTAssertTrue(html.contains("<td>\(Self.text(total["lostPercent"]))</td>"))
    }

    /// A headless Chromium opens index.html: every chart has a box, the console logged no error
    /// (Tests/Browser/report_check.py, selenium + Debian chromium-driver).
    func testReportInAHeadlessBrowser() throws {
        let script = CLI.packageRoot.appendingPathComponent("Tests/Browser/report_check.py")
        let python = try BrowserTools.seleniumPython()
        let dir = try makeDemo()
        _ = try run(dir)
        let r = try CLI.runTool(python, [script.path, dir.appendingPathComponent("report/index.html").path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let drawn = try XCTUnwrap(try reportJSON(dir)["charts"] as? [[String: Any]]).filter { $0["missing"] == nil }.count
        XCTAssertGreaterThanOrEqual(drawn, 5)
        XCTAssertTrue(r.stdout.contains("charts with a box: \(drawn)"), r.stdout)
    }
}

/// Sums the `data-value` of the bars of an SVG per `data-category`.
final class BarCollector: NSObject, XMLParserDelegate {
    var sums: [String: Int] = [:]
    var bars = 0, titles = 0
    private var inBar = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "rect", attributes["class"] == "bar" {
            bars += 1
            inBar = true
            sums[attributes["data-category"] ?? "", default: 0] += Int(attributes["data-value"] ?? "") ?? 0
        } else if name == "title", inBar {
            titles += 1
        }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "rect" { inBar = false }
    }
}
