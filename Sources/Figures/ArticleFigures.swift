import Core

/// Why a `<fig>` is or is not counted.
public enum FigureRole: String, Hashable, Sendable, Codable {
    /// A figure of the article's main text (body, floats group, appendix).
    case main
    /// A figure supplement (eLife `specific-use="child-fig"`): supplementary information.
    case supplement
    /// A figure from a supplement file given with `--supplement`.
    case supplementFile = "supplement file"
    /// A scheme tagged as `<fig>` (label "Scheme", id `sch…`, `fig-type="scheme"`): not counted.
    case scheme
    /// Inside `<sub-article>` (peer review, author response): not counted.
    case subArticle = "sub-article"
}

/// One figure with its role and what its caption says.
public struct FigureReport: Hashable, Sendable {
    public var id: String?
    public var label: String
    public var role: FigureRole
    public var caption: String
    public var graphics: Int
    public var reading: CaptionReading
    public var line: Int

    public var counted: Bool { role == .main || role == .supplement || role == .supplementFile }
    public var emPanels: [Panel] { counted ? reading.emPanels : [] }
}

/// One `<supplementary-material>` item and whether its images could be counted.
public struct SupplementItem: Hashable, Sendable {
    public var label: String
    public var caption: String
    public var href: String?
    public var mediaType: String?
    /// Its own JATS/XML was given (`--supplement`) and its figures are counted.
    public var counted: Bool
    /// An EM technique its caption names ("S3 Fig. TEM images"): EM that the XML cannot count.
    public var mentions: Technique?
}

/// EM images per technique.
public struct TechniqueCounts: Hashable, Sendable {
    public var sem = 0, stem = 0, tem = 0

    public init(sem: Int = 0, stem: Int = 0, tem: Int = 0) {
        self.sem = sem
        self.stem = stem
        self.tem = tem
    }

    public subscript(t: Technique) -> Int {
        get { switch t { case .sem: sem; case .stem: stem; case .tem: tem } }
        set { switch t { case .sem: sem = newValue; case .stem: stem = newValue; case .tem: tem = newValue } }
    }

    public var total: Int { sem + stem + tem }
    public static func + (a: TechniqueCounts, b: TechniqueCounts) -> TechniqueCounts {
        TechniqueCounts(sem: a.sem + b.sem, stem: a.stem + b.stem, tem: a.tem + b.tem)
    }
    public var dictionary: [Technique: Int] { [.sem: sem, .stem: stem, .tem: tem] }
}

/// Everything counted for one article.
public struct ArticleFigures: Hashable, Sendable {
    public var file: String
    public var doi: DOI?
    /// The DOI as written, when it is not a valid DOI.
    public var rawDOI: String?
    public var articleType: String?
    public var figures: [FigureReport]
    public var supplements: [SupplementItem]
    public var graphicCount: Int
    public var mediaCount: Int

    /// Main figures: not schemes, not figure supplements, not in peer review.
    public var mainFigures: [FigureReport] { figures.filter { $0.role == .main } }
    public var emFigures: Int { mainFigures.filter { !$0.reading.emPanels.isEmpty }.count }
    public var main: TechniqueCounts { Self.count(figures.filter { $0.role == .main }) }
    public var supplementary: TechniqueCounts { Self.count(figures.filter { $0.role == .supplement || $0.role == .supplementFile }) }
    /// EM images in the main text and the supplement: what Table 1 counts.
    public var total: TechniqueCounts { main + supplementary }
    public var uncountedSupplements: Int { supplements.filter { !$0.counted }.count }
    public var lowerBound: Bool { !lowerBoundTechniques.isEmpty }
    /// The techniques whose count is only a lower bound (unlabelled or implied EM images).
    public var lowerBoundTechniques: Set<Technique> {
        Set(figures.filter { $0.counted && $0.reading.lowerBound }.flatMap { $0.emPanels.compactMap(\.technique) })
    }
    public var reusedPanels: Int { figures.flatMap(\.emPanels).filter(\.reused).count }
    public var scaleBarsNm: [Double] {
        figures.filter { !$0.emPanels.isEmpty }.flatMap { $0.reading.emPanels.flatMap(\.scaleBarsNm) + $0.reading.figureScaleBarsNm }
    }

    /// Short words a person can filter on.
    public var flags: [String] {
        var f: [String] = []
        let counted = figures.filter(\.counted)
        if counted.contains(where: { $0.reading.unlabelled && !$0.reading.emPanels.isEmpty }) { f.append("unlabelled") }
        if counted.contains(where: { $0.reading.implied && !$0.reading.emPanels.isEmpty }) { f.append("implied") }
        if reusedPanels > 0 { f.append("reused") }
        if supplements.contains(where: { !$0.counted && $0.mentions != nil }) { f.append("em-in-uncounted-supplement") }
        if figures.contains(where: { $0.role == .main && $0.caption.isEmpty }) { f.append("empty-caption") }
        if figures.contains(where: { $0.role == .scheme }) { f.append("schemes-excluded") }
        if figures.contains(where: { $0.role == .subArticle }) { f.append("peer-review-figures-excluded") }
        if counted.contains(where: { $0.reading.standardErrorsRemoved > 0 }) { f.append("standard-error-sem-ignored") }
        return f
    }

    static func count(_ figures: [FigureReport]) -> TechniqueCounts {
        var c = TechniqueCounts()
        for p in figures.flatMap(\.emPanels) { if let t = p.technique { c[t] += 1 } }
        return c
    }
}
