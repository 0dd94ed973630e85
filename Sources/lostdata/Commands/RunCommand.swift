import Archive
import ArgumentParser
import Core
import Foundation
import Study

/// `lostdata run`: every declared stage in order, each skipped when what it would read has not
/// changed since its last successful run (docs/cli.md#run).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every declared stage in order (archive scan → literature search → bib import → figures import → classify → report).",
        discussion: """
        Inputs come from study.yaml: archive.roots, literature.queries, inputs.exports, \
        inputs.articles, inputs.baselines, figures.supplements and classification.rules (docs/study-file.md). A \
        stage whose input files (size, modification time, and content hash for files up to 4 MB, \
        remembered while size, times and inode are unchanged), \
        settings and upstream stages are unchanged since its last successful run is skipped; \
        --force STAGE runs it anyway (archive, literature, bibliography, figures, classification, \
        report, or all); --force literature walks complete queries again, through the cache. \
        The literature stage asks only the endpoints of study.yaml; --offline answers it from the \
        study's response cache alone. \
        A stage that fails stops the run; what earlier stages stored stays. Exits with 3 when any \
        input was rejected, each rejection listed on stderr.
        """
    )

    enum Stage: String, CaseIterable, ExpressibleByArgument {
        case archive, literature, bibliography, figures, classification, report, all
        init?(argument: String) {
            switch argument.lowercased() {
            case "bib": self = .bibliography
            case "classify": self = .classification
            default: self.init(rawValue: argument.lowercased())
            }
        }
    }

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Run these stages even if nothing changed.", valueName: "STAGE"))
    var force: [Stage] = []

    @Flag(name: .long, help: "Open the report in the default browser when done (xdg-open).")
    var open = false

    @Flag(name: .long, help: "Answer the literature stage from the study's response cache only (.cache/http); say what it lacks.")
    var offline = false

    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    /// One line of the summary.
    struct Outcome {
        var stage: String
        var status: String
        var read = 0, kept = 0, merged = 0, rejected = 0
        var seconds = 0.0
        /// Shown after the counts (the literature stage's excluded articles).
        var note: String?
    }

    func run() async throws {
        let study = try studyOptions.open()
        var outcomes: [Outcome] = []
        var rejections: [String] = []
        let forced = Set(force)
        func isForced(_ s: Stage) -> Bool { forced.contains(s) || forced.contains(.all) }
        /// Runs `body` unless the fingerprint matches the last run; records it after success.
        /// A stage whose inputs study.yaml no longer declares at all (`fp` nil) but which an
        /// earlier `run` ran runs `emptying` once: what it stored leaves the study, as when
        /// some of its inputs are dropped — before, the last declared item kept its rows, counted.
        func stage(_ s: Stage, _ fp: StageFingerprint?, alsoForce: Bool = false,
                   emptying: ((StageProgress) async throws -> Outcome)? = nil,
                   _ body: (StageProgress) async throws -> Outcome) async throws {
            let name = s.rawValue
            guard let fp else {
                let nothing = StageFingerprint(stage: name, parts: ["nothing declared"])
                guard let emptying, let last = try study.lastFingerprintOfRun(of: name), last != nothing.value else {
                    outcomes.append(Outcome(stage: name, status: "not declared")); return
                }
                try await perform(name, nothing, emptying)
                return
            }
            if !isForced(s), !alsoForce, let last = try study.lastFingerprint(of: name), last.fingerprint == fp.value {
                outcomes.append(Outcome(stage: name, status: "unchanged, skipped"))
                rejections += last.rejections.map { $0 + " (rejected by an earlier run; unchanged since)" }
                return
            }
            try await perform(name, fp, body)
        }
        func perform(_ name: String, _ fp: StageFingerprint, _ body: (StageProgress) async throws -> Outcome) async throws {
            let progress = StageProgress(stage: name)
            if !Diagnostics.stderrIsTerminal { Diagnostics.info("\(name): running") }
            let started = Date()
            let before = rejections.count
            var outcome: Outcome
            do {
                outcome = try await body(progress)
            } catch {
                progress.finish()
                printSummary(outcomes + [Outcome(stage: name, status: "FAILED")])
                Diagnostics.error("\(name) failed; the stages before it are stored and stay valid")
                throw error
            }
            outcome.seconds = Date().timeIntervalSince(started)
            progress.done("\(outcome.read) read, \(outcome.kept) kept, \(outcome.merged) merged, \(outcome.rejected) rejected"
                          + (outcome.note.map { ", " + $0 } ?? ""))
            try study.recordFingerprint(fp, of: name, startedAt: started, summary: nil, rejections: Array(rejections[before...]))
            outcomes.append(outcome)
        }

        // 1. Archive.
        let roots = study.file.archive.roots.isEmpty ? [] : try study.archiveRoots([])
        let options = study.archiveScanOptions()
        let archiveFP = roots.isEmpty ? nil : StageFingerprint.archive(roots: roots, settings: String(options.fingerprint))
        func forgetArchiveRoots(except roots: [String]) async throws {
            for f in try await study.forgetArchiveRoots(except: roots) {
                Diagnostics.warning("archive index: \(f.images) image(s) in \(f.directories) folder(s) under \(f.root), which archive.roots in study.yaml does not name (a moved study or a changed root), are forgotten and not counted")
            }
        }
        try await stage(.archive, archiveFP, emptying: { _ in
            try await forgetArchiveRoots(except: [])
            return Outcome(stage: "archive", status: "emptied")
        }) { progress in
            try await forgetArchiveRoots(except: roots)
            let s = try await study.scanArchive(roots: roots, options: options, progress: progress)
            let bad: Set<String> = [ArchiveFinding.Kind.unreadable.rawValue, ArchiveFinding.Kind.unparseable.rawValue, ArchiveFinding.Kind.truncated.rawValue]
            let problems = s.findings.filter { bad.contains($0.key) }.values.reduce(0, +)
            if problems > 0 {
                for f in try study.archiveFindings(kinds: bad.compactMap(ArchiveFinding.Kind.init(rawValue:))) {
                    rejections.append(ArchiveFileName.readable("\(f.path)\(f.line.map { ":\($0)" } ?? ""): \(f.message)"))
                }
            }
            return Outcome(stage: "archive", status: "ran", read: s.imagesRead, kept: s.imagesIndexed, rejected: problems)
        }

        // 2. Literature: the searches declared in study.yaml, through the same Study code as
        // `literature search` (its pages and the article-list rebuild). Endpoints come from
        // study.yaml only; complete queries are not asked again unless forced.
        let literatureFP = study.literatureFingerprint()
        // Records a walk stored change the article list even when the fingerprint (what was
        // asked) did not — a forced re-walk of a live index — so what reads the list runs again.
        var literatureStored = 0
        try await stage(.literature, literatureFP) { progress in
            var options = LiteratureOptions()
            options.offline = offline
            options.refresh = isForced(.literature)
            let s = try study.searchDeclaredLiterature(options: options, progress: progress)
            for w in s.warnings { Diagnostics.warning(w) }
            // Failed queries stop the run; the pages they and the others stored stay.
            if let failure = s.failure { throw CommandFailure(message: failure) }
            rejections += s.rejections
            literatureStored = s.stored
            return Outcome(stage: "literature", status: "ran", read: s.read, kept: s.new, merged: s.merged,
                           rejected: s.rejections.count, note: "\(s.excluded) excluded")
        }
        // What reads the article list reads the literature stage too.
        let literatureUpstream = literatureFP.map { [$0] } ?? []

        // 3. Bibliography. Content hashes of unchanged input files come from the last run.
        let hashes = try study.fileHashCache()
        let (exports, exportErrors) = study.inputFiles(study.file.inputs.exports)
        rejections += exportErrors.map(\.description)
        let bibFP = exports.isEmpty ? nil
            : StageFingerprint(stage: "bibliography", files: exports, settings: "\(study.file.bibliography) \(String(describing: study.file.period))",
                               upstream: literatureUpstream, hashes: hashes)
        func importExports(_ progress: StageProgress) throws -> Outcome {
            let r = try study.importBibliography(exports, replacingEarlierVersions: true, forgettingUndeclared: true, progress: progress)
            for f in r.forgottenFiles {
                Diagnostics.warning("bibliography: \(f.path) (\(f.records) record(s)), which inputs.exports in study.yaml no longer names, is forgotten: its records left the article list")
            }
            var o = Outcome(stage: "bibliography", status: exports.isEmpty ? "emptied" : "ran")
            for f in r.files {
                o.read += f.records; o.kept += f.kept; o.merged += f.merged; o.rejected += f.rejected.count
                rejections += f.rejected.map(\.description)
                if let u = f.unreadable { o.rejected += 1; rejections.append(u.description) }
            }
            return o
        }
        // With no export declared, the same import of none forgets every stored export.
        try await stage(.bibliography, bibFP, emptying: importExports, importExports)

        // 4. Figures: the study's own articles, then each baseline source.
        let inputs = study.file.inputs
        let jats: Set<String> = ["xml", "nxml"]
        let (own, ownErrors) = study.inputFiles(inputs.articles, extensions: jats)
        rejections += ownErrors.map(\.description)
        var baselines: [(String, [String])] = []
        for b in inputs.baselines {
            let (files, errors) = study.inputFiles(b.jats, extensions: jats)
            rejections += errors.map(\.description)
            baselines.append((b.source, files))
        }
        let supplementDir = study.file.figures.supplements.map { study.resolve($0).standardizedFileURL.path }
        let supplementFiles = supplementDir.map { study.inputFiles([$0], extensions: jats).files } ?? []
        let allJATS = own + baselines.flatMap(\.1) + supplementFiles
        let figuresFP = allJATS.isEmpty ? nil
            : StageFingerprint(stage: "figures", files: allJATS,
                               settings: "\(study.file.figures) " + baselines.map { "\($0.0)=\($0.1.count)" }.joined(separator: ";"),
                               upstream: literatureUpstream + (bibFP.map { [$0] } ?? []), hashes: hashes)
        func forgetFigureFiles(except declared: [(baseline: String?, files: [String])]) throws {
            let forgotten = try study.forgetFigureFiles(except: declared)
            if let first = forgotten.first {
                Diagnostics.warning("figures: the counts of \(forgotten.count) article file(s) that study.yaml's inputs no longer name (a moved study or a changed input) are forgotten and not counted, e.g. \(first)")
            }
        }
        try await stage(.figures, figuresFP, alsoForce: literatureStored > 0, emptying: { _ in
            try forgetFigureFiles(except: [])
            return Outcome(stage: "figures", status: "emptied")
        }) { progress in
            var o = Outcome(stage: "figures", status: "ran")
            try forgetFigureFiles(except: [(nil, own)] + baselines.map { (Optional($0.0), $0.1) })
            for (baseline, files) in [(String?.none, own)] + baselines.map({ (Optional($0.0), $0.1) }) where !files.isEmpty {
                let (summary, errors) = try FiguresImportCommand.perform(study, paths: files, baseline: baseline,
                                                                         supplementDir: supplementDir, maxFileMb: 64, progress: progress)
                o.read += summary.stored + errors.count; o.kept += summary.stored; o.rejected += errors.count
                rejections += errors.map(\.description)
            }
            return o
        }

        // 5. Classification (of the article list: exports and literature searches).
        let rulesFile = study.file.classification.rules.map { study.resolve($0).path }
            ?? [study.directory.appendingPathComponent("rules.yaml").path].filter { FileManager.default.fileExists(atPath: $0) }.first
        let articleListUpstream = literatureUpstream + (bibFP.map { [$0] } ?? [])
        let classifyFP = articleListUpstream.isEmpty ? nil
            : StageFingerprint(stage: "classification", files: rulesFile.map { [$0] } ?? [],
                               settings: "\(study.file.classification) \(LostData.version)", upstream: articleListUpstream, hashes: hashes)
        try study.saveFileHashes(hashes)
        // With neither exports nor queries declared, the list is classified once more as it now
        // is (empty, or what `bib import` added by hand), so no category outlives its article.
        func classify(_ progress: StageProgress) throws -> Outcome {
            let c = try study.classify(progress: progress)
            for w in c.warnings { Diagnostics.warning(w) }
            return Outcome(stage: "classification", status: classifyFP == nil ? "emptied" : "ran",
                           read: c.results.count + c.excludedCount, kept: c.results.count)
        }
        try await stage(.classification, classifyFP, alsoForce: literatureStored > 0, emptying: classify, classify)

        // 6. Report: rendered from everything above and people's decisions.
        let out = study.reportDirectory()
        let yaml = (try? String(contentsOf: study.directory.appendingPathComponent(StudyFile.fileName), encoding: .utf8)) ?? ""
        let reportFP = StageFingerprint(stage: "report", parts: [
            archiveFP?.value ?? "-", bibFP?.value ?? "-", figuresFP?.value ?? "-", classifyFP?.value ?? "-",
            try study.decisionsFingerprint(), yaml, LostData.version,
        ] + (literatureFP.map { [$0.value] } ?? []))
        // A report that is gone is written again whatever the fingerprint says.
        let reportGone = !FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path)
        try await stage(.report, reportFP, alsoForce: reportGone || literatureStored > 0) { _ in try writeReport(study, out, &rejections) }

        printSummary(outcomes)
        Diagnostics.info("report: \(out.appendingPathComponent("index.html").path)")
        if open {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["xdg-open", out.appendingPathComponent("index.html").path]
            try? p.run()
        }
        if !rejections.isEmpty {
            Diagnostics.write("Rejected inputs (\(rejections.count)):")
            for r in rejections { Diagnostics.error(r) }
            throw PartialSuccess(message: "\(rejections.count) input(s) rejected; the rest was used")
        }
    }

    func writeReport(_ study: Study, _ out: URL, _ rejections: inout [String]) throws -> Outcome {
        let (result, written) = try study.writeReport(to: out)
        for w in result.warnings { Diagnostics.warning(w) }
        rejections += result.rejected.map(\.description)
        return Outcome(stage: "report", status: "ran", read: result.report.figures.count, kept: written.count, rejected: result.rejected.count)
    }

    func printSummary(_ outcomes: [Outcome]) {
        guard !Diagnostics.quiet else { return }
        func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return right ? fill + s : s + fill
        }
        func line(_ c: [String]) -> String {
            pad(c[0], 15) + " " + pad(c[1], 20) + c[2...].map { " " + pad($0, 8, right: true) }.joined()
        }
        Diagnostics.write(line(["stage", "status", "read", "kept", "merged", "rejected", "seconds"]))
        for o in outcomes {
            let ran = o.status == "ran" || o.status == "emptied"
            let n = { (v: Int) in ran ? String(v) : "-" }
            Diagnostics.write(line([o.stage, o.status, n(o.read), n(o.kept), n(o.merged), n(o.rejected),
                                    ran ? String(format: "%.2f", o.seconds) : "-"]) + (ran ? o.note.map { "  " + $0 } ?? "" : ""))
        }
    }
}
