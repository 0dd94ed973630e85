import ArgumentParser
import Core

/// `lostdata`: the root command. Each subcommand is a small type in Commands/.
struct LostDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lostdata",
        abstract: "Measure how much electron-microscopy data never reaches the scientific record.",
        discussion: """
        lostdata cross-references a facility's image archive with the publications that used it, \
        and reports per technique, year and topic what was acquired, what was published and what \
        was lost (the paper "Lost Data in Electron Microscopy", Table 1).

        A study is a directory with study.yaml (what you declare) and study.sqlite (what lostdata \
        computed and what you decided). Start with `lostdata init DIR`; every command that works \
        on a study takes --study DIR (default: the current directory).

        Exit codes: 0 ok, 1 failure, 2 usage error, 3 done but some input was rejected. \
        Documentation: docs/ (cli.md, study-file.md, reports.md).
        """,
        version: LostData.version,
        subcommands: [
            InitCommand.self,
            ArchiveCommand.self,
            BibCommand.self,
            FiguresCommand.self,
            ClassifyCommand.self,
            ReviewCommand.self,
            RulesCommand.self,
            Table1Command.self,
            RunCommand.self,
            ReportCommand.self,
            LiteratureCommand.self,
            CatalogueCommand.self,
        ]
    )
}
