import Archive
import ArgumentParser
import Core
import Reports
import Study

/// Filters shared by `count` and `group-by`: the paper's sequential filtering (Figure 1B).
struct ArchiveFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only images acquired in year Y (metadata date, else file time).", valueName: "Y"))
    var year: Int?

    @Option(help: ArgumentHelp("Only images from instrument I (as named by metadata or the folder map).", valueName: "I"))
    var instrument: String?

    @Option(help: ArgumentHelp("Only SEM, STEM or TEM images.", valueName: "T"))
    var technique: String?

    @Option(help: ArgumentHelp("Only images of detector class D (SE, LA-BSE, HA-BSE, PDBSE, TE, BF-STEM, DF-STEM, BSE) or raw name (SE(U)).", valueName: "D"))
    var detector: String?

    @Option(help: ArgumentHelp("Only images whose scale-bar decade starts at NM nanometres (1, 10, 100, 1000, …).", valueName: "NM"))
    var decade: Double?

    func validate() throws {
        if let t = technique, Technique(name: t) == nil { throw ValidationError("--technique is SEM, STEM or TEM") }
        if let d = decade, !(d > 0) { throw ValidationError("--decade takes a positive number of nanometres") }
    }

    var filter: ArchiveFilter {
        ArchiveFilter(year: year, instrument: instrument, technique: technique.flatMap(Technique.init(name:)),
                      detector: detector, decadeNm: decade)
    }
}

/// `lostdata archive count`: how many images pass every filter.
struct ArchiveCountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Count indexed images passing every given filter (Figure 1B, sequential filtering).",
        discussion: "Example: lostdata archive count --year 2019 --technique SEM --detector SE --json → {\"images\":8123}"
    )

    @OptionGroup var filters: ArchiveFilterOptions
    @Flag(name: .long, help: "Print {\"images\": n} on stdout.")
    var json = false
    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let n = try studyOptions.open().archiveCount(filters.filter)
        try Output.write(json ? JSONValue.object([("images", .int(n))]).rendered() + "\n" : "\(n)\n", to: nil)
    }
}
