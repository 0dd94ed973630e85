import ArgumentParser
import Core
import Foundation
import Study

/// `lostdata review`: a person confirms or corrects the proposed categories.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Confirm or correct the proposed categories in a spreadsheet; see what is left.",
        discussion: """
        1. lostdata review export review.csv   (a row per article)
        2. fill in decision_categories (or "accept"), decision_primary,
           reviewer and note in a spreadsheet; save as CSV
        3. lostdata review import review.csv   (all rows or none)
        4. lostdata review status              (reviewed, pending, disagreeing)

        Decisions are kept in study.sqlite with who, when and the note; classifying again never \
        changes them. See docs/review.md.
        """,
        subcommands: [ReviewExportCommand.self, ReviewImportCommand.self, ReviewStatusCommand.self, ReviewServeCommand.self]
    )
}

struct ReviewExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the review spreadsheet (CSV), one row per classified article.")

    @OptionGroup var studyOptions: StudyOptions

    @Argument(help: ArgumentHelp("The CSV file to write.", valueName: "FILE.csv"))
    var file: String

    @Flag(name: .long, help: "Replace FILE if it exists.")
    var force = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let study = try studyOptions.open()
        let url = URL(fileURLWithPath: file)
        if FileManager.default.fileExists(atPath: url.path) && !force {
            throw CommandFailure(message: "\(file) exists; pass --force to replace it (decisions already imported are safe in the study)")
        }
        let n = try study.exportReview(to: url)
        Diagnostics.info("wrote \(n) article(s) to \(file); fill in decision_categories (or \"accept\") and run `lostdata review import \(file)`")
    }
}

struct ReviewImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Record the decisions of a filled-in review spreadsheet (all rows or none).")

    @OptionGroup var studyOptions: StudyOptions

    @Argument(help: ArgumentHelp("The filled-in CSV file.", valueName: "FILE.csv"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("Reviewer name for rows whose 'reviewer' cell is empty (default: $USER).", valueName: "NAME"))
    var reviewer: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let study = try studyOptions.open()
        let name = reviewer ?? ProcessInfo.processInfo.environment["USER"]
        do {
            let r = try study.importReview(from: URL(fileURLWithPath: file), reviewer: name)
            Diagnostics.info("recorded \(r.applied) decision(s); \(r.unchanged) unchanged, \(r.skipped) row(s) without a decision")
        } catch let e as ReviewImportErrors {
            for error in e.errors { Diagnostics.error(error.description) }
            throw CommandFailure(message: "\(e.errors.count) problem(s) in \(file); nothing was recorded")
        }
    }
}

struct ReviewStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Count reviewed, pending and disagreeing articles; list the disagreements.")

    @OptionGroup var studyOptions: StudyOptions

    @Flag(name: .long, help: "Print JSON: the counts and the disagreeing articles.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let study = try studyOptions.open()
        let status = try study.reviewStatus()
        let disagreeing = try study.reviewItems().filter { $0.status == .disagreeing }
        if json {
            let root: [String: Any] = [
                "articles": status.articles, "reviewed": status.reviewed, "pending": status.pending,
                "disagreeing": status.disagreeing, "pendingAmbiguous": status.pendingAmbiguous,
                "disagreements": disagreeing.map { d -> [String: Any] in
                    ["id": d.articleID, "decision": d.decision?.categories ?? [], "proposal": d.suggested,
                     "author": d.decision?.author ?? "", "note": d.decision?.note ?? NSNull()]
                },
                "exclusions": status.exclusionDecisions.sorted { $0.key < $1.key }.map { ["id": $0.key, "decision": $0.value] },
                "imageCounts": status.imageDecisions.sorted { $0.key < $1.key }.map { entry -> [String: Any] in
                    var o: [String: Any] = ["id": entry.key]
                    for t in Technique.allCases { o[t.rawValue] = entry.value[t] ?? 0 }
                    return o
                },
                "agreement": status.agreement.filter { $0.decided > 0 }.map {
                    ["category": $0.category, "decided": $0.decided, "byPeople": $0.byPeople, "byRules": $0.byRules,
                     "kappa": $0.kappa.map { ($0 * 100).rounded() / 100 } as Any? ?? NSNull()] as [String: Any]
                },
            ]
            let data = (try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])) ?? Data("{}".utf8)
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("articles     \(status.articles)")
        print("reviewed     \(status.reviewed)")
        print("pending      \(status.pending) (\(status.pendingAmbiguous) flagged ambiguous)")
        print("disagreeing  \(status.disagreeing)")
        print("excluded     \(status.exclusionDecisions.values.filter { $0 != "include" }.count) by people (\(status.exclusionDecisions.values.filter { $0 == "include" }.count) kept against the rules)")
        print("image counts \(status.imageDecisions.count) article(s) counted or corrected by hand")
        for d in disagreeing {
            print("  \(d.articleID): decided \(d.decision?.categories.joined(separator: "; ") ?? "") by \(d.decision?.author ?? "?"); proposed \(d.suggested.joined(separator: "; "))")
        }
    }
}
