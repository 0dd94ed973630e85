import ArgumentParser
import Classification
import Foundation
import Study

/// `lostdata rules`: the classification rules file.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Copy the shipped classification rules for editing, or check a rules file.",
        subcommands: [RulesInitCommand.self, RulesCheckCommand.self]
    )
}

struct RulesInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Copy the shipped rules into the study (rules.yaml) to edit them.",
        discussion: """
        Writes the shipped rules file — the paper's taxonomy with its phrases, weights and \
        thresholds, commented — to FILE (default: rules.yaml in the study directory, which \
        `lostdata classify` then uses). Never overwrites without --force.
        """
    )

    @OptionGroup var studyOptions: StudyOptions

    @Argument(help: ArgumentHelp("Where to write (default: DIR/rules.yaml).", valueName: "FILE"))
    var file: String?

    @Flag(name: .long, help: "Replace FILE if it exists.")
    var force = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let url = file.map { URL(fileURLWithPath: $0) } ?? studyOptions.url.appendingPathComponent(ShippedRules.fileName)
        if FileManager.default.fileExists(atPath: url.path) && !force {
            throw CommandFailure(message: "\(url.path) exists; pass --force to replace it")
        }
        let text = try ShippedRules.text()
        do { try text.write(to: url, atomically: true, encoding: .utf8) } catch {
            throw CommandFailure(message: "cannot write \(url.path): \(error.localizedDescription)")
        }
        Diagnostics.info("wrote \(url.path); edit it, then `lostdata rules check` and `lostdata classify`")
    }
}

struct RulesCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a rules file and say what it defines.",
        discussion: "Without FILE, checks the rules the study would use."
    )

    @OptionGroup var studyOptions: StudyOptions

    @Argument(help: ArgumentHelp("The rules file (default: the study's rules).", valueName: "FILE"))
    var file: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let rules: RuleSet
        let name: String
        if let file {
            rules = try RuleSet.load(contentsOf: URL(fileURLWithPath: file))
            name = file
        } else {
            (rules, name) = try studyOptions.open().classificationRules()
        }
        for w in rules.warnings { Diagnostics.warning(w) }
        _ = try Classifier(rules)
        print("\(name): \(rules.taxonomy.categories.count) categories, \(rules.rules.count) rules, ambiguity margin \(rules.ambiguityMargin)")
    }
}
