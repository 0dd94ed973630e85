import ArgumentParser
import Core
import Figures
import Foundation

/// `lostdata figures show FILE`: the reasoning behind the counts, figure by figure.
struct FiguresShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one article figure by figure and panel by panel, with the words that decided.",
        discussion: """
        For each <fig>: its label, whether it is counted (main text, figure \
        supplement) or not (scheme, peer-review figure), its caption, and each panel \
        with its kind — SEM, TEM, STEM, "not an image" (spectrum, map, pattern, \
        histogram, plot, schematic), "other image" (optical, fluorescence, AFM, \
        photograph) or "undecided" — the vocabulary words that decided it and where \
        they stand. Then the supplementary items and whether they were counted. Use \
        it to check a count before you rely on it.
        """
    )

    @Argument(help: ArgumentHelp("A JATS file.", valueName: "FILE"))
    var file: String

    @OptionGroup var read: FiguresReadOptions

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let reader = JATSReader(maxBytes: read.maxFileMb * 1024 * 1024)
        let (supplements, errors) = FiguresInput.supplements(read.supplement, reader: reader)
        for e in errors { Diagnostics.error(e.description) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped) } catch {
            throw InputError("cannot read the file: \(error.localizedDescription)", file: file)
        }
        let articles = try FigureCounter.count(data, file: file, reader: reader, supplements: supplements, detail: true)
        var out = ""
        for a in articles { out += Self.render(a) }
        FileHandle.standardOutput.write(Data(out.utf8))
        if !errors.isEmpty { throw PartialSuccess(message: "\(errors.count) supplement file(s) rejected") }
    }

    static func kindName(_ kind: PanelKind?) -> String {
        switch kind {
        case .electron(let t, let implied)?: return implied ? "\(t.rawValue) (implied)" : t.rawValue
        case .notImage?: return "not an image"
        case .otherImage?: return "other image"
        case nil: return "undecided"
        }
    }

    static func render(_ a: ArticleFigures) -> String {
        var s = "\(a.file)\n"
        s += "DOI: \(a.doi?.value ?? a.rawDOI ?? "none")   type: \(a.articleType ?? "—")\n"
        s += "Main figures: \(a.mainFigures.count), with EM: \(a.emFigures); EM images: SEM \(a.main.sem), TEM \(a.main.tem), STEM \(a.main.stem)"
        s += a.lowerBound ? " (lower bound)\n" : "\n"
        s += "Supplement: \(a.supplementary.total) EM images counted, \(a.uncountedSupplements) of \(a.supplements.count) items uncounted\n"
        if !a.flags.isEmpty { s += "Flags: \(a.flags.joined(separator: ", "))\n" }
        for fig in a.figures {
            let name = fig.label.isEmpty ? (fig.id ?? "(no label)") : fig.label
            s += "\n\(name)  [\(fig.role.rawValue)\(fig.counted ? "" : ", not counted")]  id \(fig.id ?? "—"), line \(fig.line), \(fig.graphics) graphic(s)\n"
            let caption = CaptionText.display(fig.caption)
            s += "  caption: \(caption.isEmpty ? "(empty)" : String(caption.prefix(300)) + (caption.count > 300 ? "…" : ""))\n"
            for p in fig.reading.panels {
                let label = p.label.isEmpty ? "(unlabelled)" : "(\(p.label))"
                var line = "  \(label.padding(toLength: 13, withPad: " ", startingAt: 0)) \(kindName(p.kind).padding(toLength: 14, withPad: " ", startingAt: 0))"
                if let words = p.decidedBy, let place = p.place { line += " \"\(words)\" in \(place.rawValue)" }
                if !p.scaleBarsNm.isEmpty { line += "; scale bar " + p.scaleBarsNm.map { "\(String(format: "%g", $0)) nm" }.joined(separator: ", ") }
                if p.reused { line += "; reused" }
                s += line + "\n      «\(CaptionText.display(p.evidence))»\n"
            }
            if !fig.reading.figureScaleBarsNm.isEmpty {
                s += "  scale bars (figure): " + fig.reading.figureScaleBarsNm.map { "\(String(format: "%g", $0)) nm" }.joined(separator: ", ") + "\n"
            }
            if fig.reading.unlabelled { s += "  unlabelled: the caption names EM images without panel labels; counted as at least 1\n" }
            if fig.reading.standardErrorsRemoved > 0 { s += "  \(fig.reading.standardErrorsRemoved) \"SEM\" read as standard error and ignored\n" }
        }
        if !a.supplements.isEmpty { s += "\nSupplementary items:\n" }
        for item in a.supplements {
            s += "  \(item.label.isEmpty ? "(no label)" : item.label)  \(item.mediaType ?? "?")  \(item.href ?? "—")  "
            s += item.counted ? "counted" : "uncounted"
            if let t = item.mentions { s += " (caption names \(t.rawValue))" }
            s += "\n"
        }
        return s + "\n"
    }
}
