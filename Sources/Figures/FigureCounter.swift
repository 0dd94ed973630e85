import Core
import Foundation

/// The Figures stage: JATS bytes in, per-article EM image counts out.
///
/// It never reads files or prints: the caller hands it bytes (and the supplement documents it
/// found), and gets plain values back.
public enum FigureCounter {
    /// How a scheme tagged as `<fig>` shows itself.
    static let schemeLabelPrefixes = ["scheme", "chart"]
    static let schemeIDPrefixes = ["sch"]
    static let schemeFigTypes: Set<String> = ["scheme", "chart"]
    static let supplementSpecificUses: Set<String> = ["child-fig"]

    /// Counts every article in one JATS file.
    /// - Parameter supplements: figures of supplement files given by the user, keyed by the file
    ///   name without extension, lower-cased (`SupplementKey.of`).
    /// - Parameter detail: read every caption, also those that cannot name EM (for `figures
    ///   show`, which lists non-EM panels too). Counting skips them: the counts are the same.
    public static func count(_ data: Data, file: String, reader: JATSReader = JATSReader(),
                             supplements: [String: [JATSFigure]] = [:], detail: Bool = false) throws -> [ArticleFigures] {
        try reader.read(data, file: file).map { analyse($0, file: file, supplements: supplements, detail: detail) }
    }

    static func reading(_ caption: String, creditsReference: Bool, detail: Bool) -> CaptionReading {
        if !detail && !CaptionAnalysis.mayNameEM(caption) {
            return CaptionReading(panels: [], unlabelled: false, implied: false, figureScaleBarsNm: [], standardErrorsRemoved: 0)
        }
        return CaptionAnalysis.read(caption, creditsReference: creditsReference)
    }

    public static func role(of fig: JATSFigure) -> FigureRole {
        if fig.inSubArticle { return .subArticle }
        let label = fig.label.lowercased()
        if let t = fig.figType?.lowercased(), schemeFigTypes.contains(t) { return .scheme }
        if schemeLabelPrefixes.contains(where: { label.hasPrefix($0) }) { return .scheme }
        if let id = fig.id?.lowercased(), schemeIDPrefixes.contains(where: { id.hasPrefix($0) }),
           id.dropFirst(3).first?.isNumber == true || label.isEmpty || label.hasPrefix("sch") {
            return .scheme
        }
        if let use = fig.specificUse, supplementSpecificUses.contains(use) { return .supplement }
        return .main
    }

    public static func analyse(_ article: JATSArticle, file: String, supplements: [String: [JATSFigure]] = [:],
                               detail: Bool = false) -> ArticleFigures {
        let review = article.articleType?.lowercased().contains("review") == true
        var figures = article.figures.map { fig -> FigureReport in
            let role = role(of: fig)
            // Schemes and peer-review figures are never counted: counting need not read them.
            let reading = (detail || role == .main || role == .supplement)
                ? reading(fig.caption, creditsReference: review && fig.endsWithCitation, detail: detail)
                : CaptionReading(panels: [], unlabelled: false, implied: false, figureScaleBarsNm: [], standardErrorsRemoved: 0)
            return FigureReport(id: fig.id, label: fig.label, role: role, caption: fig.caption,
                                graphics: fig.graphics, reading: reading, line: fig.line)
        }
        var items: [SupplementItem] = []
        for s in article.supplements where !s.inSubArticle {
            let key = s.href.map(SupplementKey.of)
            let given = key.flatMap { supplements[$0] }
            let mention = reading(s.label + ". " + s.caption, creditsReference: false, detail: detail).panels.compactMap(\.technique).first
            items.append(SupplementItem(label: s.label, caption: s.caption, href: s.href, mediaType: s.mediaType,
                                        counted: given != nil, mentions: mention))
            for fig in given ?? [] {
                figures.append(FigureReport(id: fig.id, label: fig.label, role: .supplementFile, caption: fig.caption,
                                            graphics: fig.graphics, reading: reading(fig.caption, creditsReference: false, detail: detail),
                                            line: fig.line))
            }
        }
        return ArticleFigures(file: file, doi: article.doi.flatMap(DOI.init),
                              rawDOI: article.doi, articleType: article.articleType, figures: figures,
                              supplements: items, graphicCount: article.graphicCount, mediaCount: article.mediaCount)
    }
}

/// How a supplementary item's `xlink:href` is matched with a supplement file the user gave:
/// by file name without directories and extension, case-insensitively ("pone.0184936.s003.tif"
/// ↔ "pone.0184936.s003.xml").
public enum SupplementKey {
    public static func of(_ name: String) -> String {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { return base[..<dot].lowercased() }
        return base.lowercased()
    }
}
