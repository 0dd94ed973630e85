import ArgumentParser

/// `lostdata figures`: electron micrographs counted from JATS full text.
struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Count the electron micrographs (SEM, TEM, STEM) in articles from their JATS full text.",
        discussion: """
        lostdata reads each figure caption of a JATS article (PMC, Europe PMC, \
        publisher APIs), finds its panel labels — (a), (a,b), (a–c), a–d, "from a to \
        h" … — and decides for each panel whether it is an SEM, TEM or STEM image, \
        or not an electron micrograph at all (EDS spectra and maps, SAED/FFT \
        patterns, histograms, schematics, plots, optical images). "SEM" meaning the \
        standard error of the mean is recognised and ignored.

        Counts are of the main text and of figure supplements. Supplementary files \
        (pdf, tif, docx) are listed as uncounted unless their own JATS is given with \
        --supplement. A caption naming EM images without labels gives a lower bound \
        of 1 and the flag 'unlabelled'. See docs/figures.md.
        """,
        subcommands: [FiguresCountCommand.self, FiguresShowCommand.self, FiguresImportCommand.self]
    )
}

/// Options `count` and `import` share.
struct FiguresReadOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A directory with the JATS/XML of supplementary files; a supplement whose file name (without extension) matches is counted.",
        valueName: "DIR"))
    var supplement: String?

    @Option(name: .long, help: ArgumentHelp("Refuse XML files larger than this many megabytes.", valueName: "MB"))
    var maxFileMb: Int = 64

    func validate() throws {
        // Bounded: the limit is taken in bytes (MB × 1,048,576), which overflowed an Int and trapped.
        if !(1...1_048_576).contains(maxFileMb) { throw ValidationError("--max-file-mb takes 1 to 1048576 (a terabyte)") }
    }
}
