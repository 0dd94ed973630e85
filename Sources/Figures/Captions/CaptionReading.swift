import Core

/// Where the words that decided a panel's kind stand, relative to its label.
public enum EvidencePlace: String, Hashable, Sendable, Codable {
    /// After the label, up to the next label: "(a) FESEM micrograph of …".
    case ownText = "own text"
    /// Before the label, since the previous one: "TEM images of GO (c)".
    case precedingText = "preceding text"
    /// The start of the clause the label stands in: "FESEM images of the (a) …, (b) …".
    case clauseStart = "clause start"
    /// A caption-wide heading before any label: "TEM images; (a) …".
    case captionHeading = "caption heading"
    /// A grid labelled by sample: "photos, SEM images and contact angles: (a,d,g) LC; …".
    case grid = "grid heading"
    /// A caption without panel labels.
    case unlabelled = "whole caption"
}

/// One panel a caption names (or, for an unlabelled caption, the images it implies).
public struct Panel: Hashable, Sendable {
    /// "a", "B"; empty for images of an unlabelled caption.
    public var label: String
    /// What the panel is; nil when no words decide it (counted as not EM).
    public var kind: PanelKind?
    /// The vocabulary words that decided ("FESEM", "selected area", "ultrastructure").
    public var decidedBy: String?
    public var place: EvidencePlace?
    /// The caption words around the decision, for a person to check.
    public var evidence: String
    /// Scale bars the caption states for this panel, in nanometres.
    public var scaleBarsNm: [Double]
    /// "Reproduced/adapted/reprinted from …", or a review crediting the figure to a reference.
    public var reused: Bool

    public var technique: Technique? { kind?.technique }
}

/// What one caption says about its panels.
public struct CaptionReading: Hashable, Sendable {
    /// Every labelled panel, EM or not, in order of first mention; for an unlabelled caption that
    /// names EM, one panel per technique with an empty label.
    public var panels: [Panel]
    /// The caption names EM images without labels ("Representative TEM images"): the count is a
    /// lower bound.
    public var unlabelled: Bool
    /// The technique is only implied ("ultrastructure", "tomogram"): flagged for a person.
    public var implied: Bool
    /// Scale bars stated but not tied to a panel, in nanometres.
    public var figureScaleBarsNm: [Double]
    /// "SEM" uses read as the standard error of the mean and removed.
    public var standardErrorsRemoved: Int

    public var emPanels: [Panel] { panels.filter { $0.technique != nil } }
    public var lowerBound: Bool { unlabelled || implied }
}
