/// Web of Science RIS: `AN  - WOS:…` carries the UT; `C6` the early-access date.
enum WoSRIS {
    static let aliases: [String: Field] = RISReader.commonAliases.merging([
        "AN": .ut, "C7": .articleNumber, "C6": .date,
    ]) { _, new in new }

    static let reader = RISReader(format: .wosRIS, aliases: aliases)
}
