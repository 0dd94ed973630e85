import ArgumentParser
import Core
import Figures
import Foundation
import Reports

/// `lostdata figures count PATH...`: per-article EM image counts, no study needed.
struct FiguresCountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Count EM images per article in JATS files or directories of them.",
        discussion: """
        PATH may be a JATS file (.xml, .nxml; a bare <article>, a <pmc-articleset>, \
        or a publisher wrapper such as the Springer API's <response>) or a \
        directory, searched for *.xml and *.nxml. One line per article: file, DOI, \
        main figures, EM figures and EM images per technique, supplementary items, \
        and flags. Files that cannot be read are reported on stderr; the others are \
        still counted (exit status 3).

        --trim-outliers [N] also lists the articles with more than N EM images \
        (default 50) and the totals before and after leaving them out.
        """
    )

    @Argument(help: ArgumentHelp("JATS files or directories.", valueName: "PATH"))
    var paths: [String]

    @OptionGroup var read: FiguresReadOptions

    @Flag(name: .long, help: "One JSON object per article, one per line (keys in docs/figures.md).")
    var json = false

    @Flag(name: .long, help: "With --json: add each counted panel with the caption words that decided it.")
    var evidence = false

    @Option(name: .long, help: ArgumentHelp("List articles with more than N EM images and the totals without them (N defaults to 50).", valueName: "N"))
    var trimOutliers: Int?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let n = trimOutliers, n < 0 { throw ValidationError("--trim-outliers takes a number ≥ 0") }
    }

    func run() throws {
        let reader = JATSReader(maxBytes: read.maxFileMb * 1024 * 1024)
        let (found, pathErrors) = FiguresInput.files(paths)
        let files = FiguresInput.excludingSupplements(found, directory: read.supplement)
        let (supplements, supplementErrors) = FiguresInput.supplements(read.supplement, reader: reader)
        var errors = pathErrors + supplementErrors
        var articles: [ArticleFigures] = []
        var out = ""
        var readFiles = 0
        // JSON lines without --trim-outliers need nothing after rendering: articles are not kept.
        var articleCount = 0
        let evidence = self.evidence
        var render: (@Sendable ([ArticleFigures]) -> String)?
        if json {
            render = { @Sendable (found: [ArticleFigures]) -> String in
                var lines = ""
                for a in found { lines += FiguresJSON.article(a, evidence: evidence).rendered() + "\n" }
                return lines
            }
        }
        for result in FiguresInput.counted(files, reader: reader, supplements: supplements,
                                           progress: TerminalProgress.make(), render: render,
                                           keepArticles: !json || trimOutliers != nil) {
            switch result {
            case .success(let found):
                readFiles += 1
                articleCount += found.articleCount
                articles += found.articles
                out += found.rendered
            case .failure(let e):
                errors.append(e)
            }
        }
        let trim = trimOutliers.map { OutlierTrim(articles, threshold: $0) }
        if json {
            if let trim { out += FiguresJSON.outliers(trim).rendered() + "\n" }
        } else {
            if !articles.isEmpty { out += FiguresTable.render(articles) }
            if let trim { out += FiguresTable.render(trim) }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        for e in errors { Diagnostics.error(e.description) }
        Diagnostics.info("\(articleCount) article(s) from \(readFiles) file(s)")
        if !errors.isEmpty {
            throw PartialSuccess(message: "\(errors.count) input(s) rejected; the others were counted")
        }
    }
}

/// The human table of `figures count`.
enum FiguresTable {
    static func render(_ articles: [ArticleFigures]) -> String {
        var rows: [[String]] = [["file", "doi", "figs", "EM figs", "SEM", "TEM", "STEM", "supp EM", "uncounted", "flags"]]
        for a in articles {
            let name = (a.file as NSString).lastPathComponent
            let bounded = a.lowerBoundTechniques
            func cell(_ t: Technique) -> String { (bounded.contains(t) ? "≥" : "") + "\(a.main[t])" }
            rows.append([name, a.doi?.value ?? "—", "\(a.mainFigures.count)", "\(a.emFigures)",
                         cell(.sem), cell(.tem), cell(.stem),
                         "\(a.supplementary.total)", "\(a.uncountedSupplements)", a.flags.joined(separator: ", ")])
        }
        return table(rows)
    }

    static func render(_ trim: OutlierTrim) -> String {
        var s = "\nOutliers (more than \(trim.threshold) EM images): \(trim.trimmed.count)\n"
        for a in trim.trimmed { s += "  \(a.file)  \(a.total.total) images\n" }
        s += "Before: \(trim.before.articles) articles, \(trim.before.images.total) EM images "
            + "(SEM \(trim.before.images.sem), TEM \(trim.before.images.tem), STEM \(trim.before.images.stem))\n"
        s += "After:  \(trim.after.articles) articles, \(trim.after.images.total) EM images "
            + "(SEM \(trim.after.images.sem), TEM \(trim.after.images.tem), STEM \(trim.after.images.stem))\n"
        return s
    }

    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
