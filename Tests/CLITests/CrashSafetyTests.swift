import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16, point 6: a study survives `kill -9` of any command at any moment, a full disk, and
/// two commands at once. Each killed command is then finished by running it again, and the study
/// must end exactly as an uninterrupted run leaves it. Runs the built executable and `sqlite3`.
final class CrashSafetyTests: XCTestCase {
    static let root = ClassificationCLITests.root
    static let kills = Int(ProcessInfo.processInfo.environment["LOSTDATA_CRASH_KILLS"] ?? "") ?? 20
    /// For working on one command: `LOSTDATA_CRASH_ONLY="classify"` kills only that one.
    static let only = ProcessInfo.processInfo.environment["LOSTDATA_CRASH_ONLY"]
    /// Columns that hold the wall clock of a run: the only ones allowed to differ between runs.
    static let clocks: Set<String> = ["importedAt", "classifiedAt", "decidedAt", "scannedAt", "startedAt", "finishedAt"]

    struct Outcome { var status: Int32; var out: String; var err: String; var seconds: Double }

    /// Runs `lostdata` with extra environment; when `killAfter` is given, SIGKILLs it then.
    @discardableResult
    static func lostdata(_ args: [String], env: [String: String] = [:], killAfter: Double? = nil, killOnStderr marker: String? = nil) throws -> Outcome {
        let p = Process()
        p.executableURL = try CLI.executable
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err; p.standardInput = FileHandle.nullDevice
        let start = Date()
        try p.run()
        if let delay = killAfter {
            usleep(UInt32(delay * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
        }
        var early = Data()
        if let marker {
            // Read stderr as it comes; kill as soon as the marker shows (or give up at its end).
            while true {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                early += chunk
                if String(decoding: early, as: UTF8.self).contains(marker) { kill(p.processIdentifier, SIGKILL); break }
            }
        }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = early + err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self),
                       seconds: Date().timeIntervalSince(start))
    }

    static func sqlite(_ db: URL, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [db.path]
        let input = Pipe(), out = Pipe()
        p.standardInput = input; p.standardOutput = out; p.standardError = out
        try p.run()
        input.fileHandleForWriting.write(Data(sql.utf8))
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Every table of the study but the run log, every column but the clocks and the integer
    /// keys of the archive index (assigned in insertion order: a scan finished in two runs numbers
    /// its folders differently), rows sorted: table → rows. JSON blobs are compared by content
    /// (key order is not stable from one process to the next). One `sqlite3` call per study.
    nonisolated(unsafe) static var dumpScript: String?

    static func dump(_ study: URL) throws -> [String: [String]] {
        let db = study.appendingPathComponent("study.sqlite")
        let script = try dumpScript ?? makeDumpScript(db)
        dumpScript = script
        return try rows(db, script)
    }

    /// The SELECTs of `dump`, made once: every copy of the study has the same schema.
    static func makeDumpScript(_ db: URL) throws -> String {
        let tables = try sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sqlite_sequence', 'grdb_migrations', 'stageRun', 'archiveImage', 'archiveDirectory', 'archiveFinding') ORDER BY name;")
            .split(separator: "\n").map(String.init)
        let separator = "\u{1F}"
        func select(_ columns: [String], from: String) -> String {
            "SELECT " + columns.map { "quote(\($0))" }.joined(separator: " || char(31) || ") + " FROM " + from + ";\n"
        }
        var script = ""
        for t in tables {
            let columns = try sqlite(db, "SELECT name FROM pragma_table_info('\(t)');").split(separator: "\n").map(String.init)
                .filter { !clocks.contains($0) && !($0 == "id" && t == "decision") }
            script += "SELECT '## \(t)';\n" + select(columns.map { "\"\($0)\"" }, from: "\"\(t)\"")
        }
        let imageColumns = try sqlite(db, "SELECT name FROM pragma_table_info('archiveImage');").split(separator: "\n").map(String.init)
            .filter { !["id", "directory"].contains($0) }
        script += "SELECT '## archiveImage';\n" + select(["path"] + imageColumns, from: "archiveImageFile")
        script += "SELECT '## archiveDirectory';\n" + select(["path", "root", "digest", "settings", "unreadable", "fileCount"], from: "archiveDirectory")
        script += "SELECT '## archiveFinding';\n" + select(["d.path", "CASE WHEN i.id IS NULL THEN NULL ELSE d2.path || '/' || i.name END", "f.kind", "f.path", "f.line", "f.message"],
            from: "archiveFinding f JOIN archiveDirectory d ON d.id = f.directory LEFT JOIN archiveImage i ON i.id = f.image LEFT JOIN archiveDirectory d2 ON d2.id = i.directory")
        return script
    }

    static func rows(_ db: URL, _ script: String) throws -> [String: [String]] {
        let separator = "\u{1F}"
        var result: [String: [String]] = [:]
        var current = ""
        for line in try sqlite(db, script).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { current = String(line.dropFirst(3)); result[current] = []; continue }
            if line.isEmpty { continue }
            let fields = line.split(separator: Character(separator), omittingEmptySubsequences: false).map { canonical(String($0)) }
            result[current, default: []].append(fields.joined(separator: "|"))
        }
        return result.mapValues { $0.sorted() }
    }

    /// A quoted blob `X'…'` holding JSON → the JSON with sorted keys; anything else as it is.
    static func canonical(_ field: String) -> String {
        if field.hasPrefix("'{") && field.hasSuffix("}'") || field.hasPrefix("'[") && field.hasSuffix("]'") {
            let text = String(field.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
                  let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return field }
            return "json:" + String(decoding: sorted, as: UTF8.self)
        }
        guard field.hasPrefix("X'"), field.hasSuffix("'") else { return field }
        let hex = Array(field.utf8.dropFirst(2).dropLast())
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10 }
        var i = 0
        while i + 1 < hex.count { bytes.append(nibble(hex[i]) << 4 | nibble(hex[i + 1])); i += 2 }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]),
              let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]) else { return field }
        return "json:" + String(decoding: sorted, as: UTF8.self)
    }

    static func copy(_ study: URL) throws -> URL {
        let to = study.deletingLastPathComponent().appendingPathComponent("copy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: study, to: to)
        return to
    }

    /// The study every killed command starts from: articles, a classification, one review
    /// decision (the "decision made before"), and unclassified articles imported after it.
    func baseStudy(in dir: URL) throws -> URL {
        let study = dir.appendingPathComponent("base")
        let s = ["--study", study.path]
        XCTAssertEqual(try Self.lostdata(["init", study.path, "-q"]).status, 0)
        XCTAssertEqual(try Self.lostdata(["bib", "import", "-q"] + s + [Self.root.appendingPathComponent("Fixtures/classification/demo-articles.ris").path]).status, 0)
        _ = try Self.sqlite(study.appendingPathComponent("study.sqlite"), try String(contentsOf: Self.root.appendingPathComponent("Fixtures/classification/demo-articles.sql"), encoding: .utf8))
        XCTAssertEqual(try Self.lostdata(["classify", "-q"] + s).status, 0)
        let sheet = dir.appendingPathComponent("review.csv")
        XCTAssertEqual(try Self.lostdata(["review", "export", sheet.path] + s).status, 0)
        let decided = try ReviewCLITests.fill(sheet, ["doi:10.1000/cat1": ["catalysis/heterogeneous", "", "Ada", "decided before the crash"]])
        let imported = try Self.lostdata(["review", "import", decided.path] + s)
        XCTAssertEqual(imported.status, 0, imported.err)
        let more = try Self.lostdata(["bib", "import", "-q"] + s + [Self.root.appendingPathComponent("Fixtures/bibliography/scopus_2019.csv").path])
        XCTAssertNotEqual(more.status, 1, more.err)
        return study
    }

    func testKilledCommandsLeaveTheStudyAsBeforeOrWholeAndFinishingGivesTheUninterruptedResult() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("/usr/bin/sqlite3 is absent") }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = try baseStudy(in: dir)
        let before = try Self.dump(base)
        let earlierDecisions = try XCTUnwrap(before["decision"])
        XCTAssertEqual(earlierDecisions.count, 1, "the decision made before")

        let archive = dir.appendingPathComponent("archive").path
        XCTAssertEqual(try Self.lostdata(["archive", "synth", archive, "--images", "1200", "--seed", "6", "-q"]).status, 0)
        let sheet = dir.appendingPathComponent("review.csv")
        let secondDecision = try ReviewCLITests.fill(sheet, ["doi:10.1000/il1": ["accept", "", "Bob", ""]])
        let fixtures = Self.root.appendingPathComponent("Fixtures")
        let commands: [(name: String, args: [String], atomic: Bool, seconds: Double)] = [
            ("bib import", ["bib", "import", "-q", fixtures.appendingPathComponent("bibliography/scopus.ris").path,
                            fixtures.appendingPathComponent("bibliography/wos_two_blocks.txt").path,
                            fixtures.appendingPathComponent("bibliography/scopus_2025.csv").path], true, 0),
            ("archive scan", ["archive", "scan", archive, "-q"], false, 0),
            ("figures import", ["figures", "import", fixtures.appendingPathComponent("jats/articleset.xml").path,
                                fixtures.appendingPathComponent("jats/structure.xml").path], true, 0),
            ("classify", ["classify", "-q"], true, 2),
            ("review import", ["review", "import", secondDecision.path], true, 2),
        ]
        var rng = SystemRandomNumberGenerator()
        var report: [String] = []
        for command in commands {
            // The uninterrupted run: what every killed-then-finished run must end as.
            let clean = try Self.copy(base)
            let run = try Self.lostdata(command.args + ["--study", clean.path])
            XCTAssertNotEqual(run.status, 1, "\(command.name): \(run.err)")
            let whole = try Self.dump(clean)
            XCTAssertNotEqual(whole, before, "\(command.name) changes the study")
            var asBefore = 0, asWhole = 0, partialArchive = 0
            for kill in 0..<Self.kills where Self.only == nil || command.name == Self.only {
                let study = try Self.copy(base)
                defer { try? FileManager.default.removeItem(at: study) }
                // Half the kills anywhere in the run, half in its last quarter, where the stage
                // writes (reading and computing come first): most of those land mid-transaction.
                let delay = kill % 2 == 0 ? Double.random(in: 0...(run.seconds * 1.1), using: &rng)
                                          : Double.random(in: (run.seconds * 0.75)...(run.seconds * 1.05), using: &rng)
                try Self.lostdata(command.args + ["--study", study.path], killAfter: delay)
                let db = study.appendingPathComponent("study.sqlite")
                let what = "\(command.name) killed after \(Int(delay * 1000)) ms"
                XCTAssertEqual(try Self.sqlite(db, "PRAGMA integrity_check;"), "ok\n", what)
                let opened = try Self.lostdata(["bib", "list", "--study", study.path])
                XCTAssertEqual(opened.status, 0, "\(what): the study opens: \(opened.err)")
                let after = try Self.dump(study)
                XCTAssertTrue(Set(earlierDecisions).isSubset(of: after["decision"] ?? []), "\(what): the earlier decision is kept")
                if after == before { asBefore += 1 } else if after == whole { asWhole += 1 } else if command.atomic {
                    let differing = after.keys.filter { after[$0] != before[$0] && after[$0] != whole[$0] }.sorted()
                    XCTFail("\(what): neither as before nor whole (tables \(differing))")
                } else {
                    // The archive index commits folder by folder: every other table as before,
                    // each indexed image exactly as the whole scan indexes it.
                    partialArchive += 1
                    for (t, rows) in after where !t.hasPrefix("archive") { XCTAssertEqual(rows, before[t], "\(what): \(t)") }
                    XCTAssertTrue(Set(after["archiveImage"] ?? []).isSubset(of: whole["archiveImage"] ?? []), "\(what): images as the whole scan has them")
                }
                // Finishing the work: the same command again, to the end (for the two slow
                // commands, after every fourth kill: keeps the test near a minute).
                guard command.seconds < 1 || kill % 4 == 0 else { continue }
                let finish = try Self.lostdata(command.args + ["--study", study.path])
                XCTAssertNotEqual(finish.status, 1, "\(what), then finished: \(finish.err)")
                let finished = try Self.dump(study)
                let differing = Set(finished.keys).union(whole.keys).filter { finished[$0] != whole[$0] }.sorted()
                XCTAssertEqual(differing, [], "\(what), then finished: as an uninterrupted run; first difference: \(differing.first.map { "\(Set(finished[$0] ?? []).symmetricDifference(whole[$0] ?? []).sorted().prefix(2))" } ?? "")")
            }
            // Killed after all its writes, before its commit (fault injection): as before, always.
            if command.atomic && (Self.only == nil || command.name == Self.only) {
                for _ in 0..<2 {
                    let study = try Self.copy(base)
                    defer { try? FileManager.default.removeItem(at: study) }
                    let paused = try Self.lostdata(command.args + ["--study", study.path], env: ["LOSTDATA_FAULT_PAUSE_BEFORE_COMMIT_MS": "20000"],
                                                   killOnStderr: "paused before its commit")
                    XCTAssertLessThan(paused.seconds, run.seconds * 3 + 15, "\(command.name): killed in the pause, not after it")
                    XCTAssertTrue(paused.err.contains("paused before its commit"), "\(command.name): the kill came in the pause: \(paused.err)")
                    XCTAssertEqual(try Self.sqlite(study.appendingPathComponent("study.sqlite"), "PRAGMA integrity_check;"), "ok\n")
                    let after = try Self.dump(study)
                    let differing = Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }.sorted()
                    XCTAssertEqual(differing, [], "\(command.name) killed before its commit: nothing of it may remain")
                    if after == before { asBefore += 1 }
                }
            }
            report.append("\(command.name): \(Self.kills) kills (+2 before the commit) within \(Int(run.seconds * 1100)) ms — \(asBefore) as before, \(asWhole) whole, \(partialArchive) part-indexed")
            try? FileManager.default.removeItem(at: clean)
        }
        print(report.joined(separator: "\n"))
    }

    /// An RIS export of `records` distinct articles: big enough that importing it must grow the
    /// study file (a small fixture can fit in the free pages a migration left, and then the
    /// file-size limit is never reached).
    static func largeRIS(in dir: URL, records: Int) throws -> String {
        var text = ""
        for i in 0..<records {
            text += "TY  - JOUR\nTI  - Synthetic article \(i) on electron microscopy of porous carbon\nAU  - Author, A.\n"
            text += "PY  - 2019\nJO  - Journal of Tests\nDO  - 10.9999/full-disk.\(i)\nAB  - An abstract long enough to take room in the study: \(String(repeating: "text ", count: 40))\nER  - \n\n"
        }
        let url = dir.appendingPathComponent("large.ris")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A full disk: the file-size limit of a subshell (`ulimit -f`, in KiB) stops the writes.
    /// lostdata ignores SIGXFSZ, so the write fails, SQLite rolls back, the user reads why, and the
    /// study is as it was.
    func testFullDiskGivesAClearErrorAndAnIntactStudy() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("/usr/bin/sqlite3 is absent") }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let study = try baseStudy(in: dir)
        let before = try Self.dump(study)
        let archive = dir.appendingPathComponent("archive").path
        XCTAssertEqual(try Self.lostdata(["archive", "synth", archive, "--images", "1500", "--seed", "7", "-q"]).status, 0)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: study.appendingPathComponent("study.sqlite").path)[.size] as? Int)
        let ris = try Self.largeRIS(in: dir, records: 3000)
        let limitKiB = size / 1024 + 64   // room for a little more, not for the index of 1,500 images
        for args in [["archive", "scan", archive, "-q"],
                     ["bib", "import", "-q", ris]] {
            let command = ([try CLI.executable.path] + args + ["--study", study.path]).map { "'\($0)'" }.joined(separator: " ")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "ulimit -f \(args[0] == "bib" ? size / 1024 : limitKiB); exec \(command)"]
            let err = Pipe()
            p.standardError = err; p.standardOutput = FileHandle.nullDevice
            try p.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .exit, "\(args[0]): not killed by SIGXFSZ")
            XCTAssertEqual(p.terminationStatus, 1, "\(args[0]): \(message)")
            XCTAssertTrue(message.contains("could not be written") && message.contains("run it again"), "\(args[0]): \(message)")
            XCTAssertEqual(try Self.sqlite(study.appendingPathComponent("study.sqlite"), "PRAGMA integrity_check;"), "ok\n")
            let after = try Self.dump(study)
            if args[0] == "bib" {
                XCTAssertEqual(after, before, "bib import is one transaction: nothing of it was kept")
            } else {
                for (t, rows) in after where !t.hasPrefix("archive") { XCTAssertEqual(rows, before[t], t) }
            }
        }
        // With room again, the work finishes.
        XCTAssertNotEqual(try Self.lostdata(["archive", "scan", archive, "-q", "--study", study.path]).status, 1)
        XCTAssertEqual(try Self.dump(study)["archiveImage"]?.count, 1500)
    }

    /// Two commands on one study: the second waits for the first's write (busy timeout), or,
    /// when the wait runs out, refuses with a plain message and changes nothing.
    func testTwoCommandsOnOneStudyWaitOrRefuseClearly() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("/usr/bin/sqlite3 is absent") }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let study = try baseStudy(in: dir)
        let db = study.appendingPathComponent("study.sqlite")
        let before = try Self.dump(study)
        let ris = Self.root.appendingPathComponent("Fixtures/bibliography/scopus.ris").path

        /// Another writer holding the study for `seconds` (an exclusive transaction in sqlite3).
        func holdLock(_ seconds: Int) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            p.arguments = [db.path, "BEGIN EXCLUSIVE;", ".shell sleep \(seconds)", "COMMIT;"]
            p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(300_000)
            return p
        }

        // A short wait runs out: a clear refusal, nothing changed.
        var holder = try holdLock(3)
        let refused = try Self.lostdata(["bib", "import", "-q", ris, "--study", study.path], env: ["LOSTDATA_BUSY_TIMEOUT": "0.5"])
        holder.waitUntilExit()
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("in use by another lostdata command") && refused.err.contains("nothing was changed"), refused.err)
        XCTAssertEqual(try Self.dump(study), before)

        // The default wait outlasts the other writer: the command waits, then does its work.
        holder = try holdLock(2)
        let waited = try Self.lostdata(["bib", "import", "-q", ris, "--study", study.path])
        holder.waitUntilExit()
        XCTAssertNotEqual(waited.status, 1, waited.err)
        XCTAssertGreaterThan(waited.seconds, 1.2, "it waited for the other writer")

        // A wait no SQLite call can take ("inf" trapped converting to milliseconds): the default.
        holder = try holdLock(2)
        let infinite = try Self.lostdata(["bib", "import", "-q", ris, "--study", study.path], env: ["LOSTDATA_BUSY_TIMEOUT": "inf"])
        holder.waitUntilExit()
        XCTAssertNotEqual(infinite.status, 1, infinite.err)
        XCTAssertTrue([0, 3].contains(infinite.status), "no trap: \(infinite.status) \(infinite.err)")
        XCTAssertGreaterThan(infinite.seconds, 1.2, "it waited for the other writer")

        // Two lostdata commands at once: both finish, the study has both results.
        let archive = dir.appendingPathComponent("archive").path
        XCTAssertEqual(try Self.lostdata(["archive", "synth", archive, "--images", "1500", "--seed", "8", "-q"]).status, 0)
        let group = DispatchGroup()
        nonisolated(unsafe) var outcomes: [Outcome?] = [nil, nil]
        for (i, args) in [["archive", "scan", archive, "-q"], ["classify", "-q"]].enumerated() {
            group.enter()
            DispatchQueue.global().async {
                outcomes[i] = try? Self.lostdata(args + ["--study", study.path])
                group.leave()
            }
        }
        group.wait()
        XCTAssertNotEqual(outcomes[0]?.status, 1, outcomes[0]?.err ?? "")
        XCTAssertEqual(outcomes[1]?.status, 0, outcomes[1]?.err ?? "")
        XCTAssertEqual(try Self.sqlite(db, "PRAGMA integrity_check;"), "ok\n")
        let after = try Self.dump(study)
        XCTAssertEqual(after["archiveImage"]?.count, 1500)
        // The classification made beside the scan is whole: classifying again changes nothing.
        XCTAssertEqual(try Self.lostdata(["classify", "-q", "--study", study.path]).status, 0)
        XCTAssertEqual(try Self.dump(study)["classification"], after["classification"])
    }
}
