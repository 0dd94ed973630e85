import Core

/// What a stretch of caption says a panel *is*.
public enum PanelKind: Hashable, Sendable {
    /// An electron micrograph. `implied` when only the subject says so ("ultrastructure",
    /// "tomogram", a bare "electron micrograph").
    case electron(Technique, implied: Bool)
    /// Not an image at all: a spectrum, map, diffraction pattern, histogram, plot, schematic.
    case notImage
    /// An image, but not an electron micrograph: optical, fluorescence, AFM, a photograph.
    case otherImage

    var technique: Technique? {
        if case .electron(let t, _) = self { return t }
        return nil
    }
}

/// The words that decide a panel's kind, as data. Three tables:
/// - `acronyms`: matched case-sensitively and as whole tokens (or hyphen parts of a token, so
///   "cryo-TEM", "HAADF-STEM", "SEM-EDX" work) — "stem cell" is never STEM, "TEM-1" never TEM;
/// - `phrases`: lower-case word sequences ("scanning electron", "selected area");
/// - `imageNouns`: what makes a caption talk about images ("images", "micrographs").
/// The earliest match in a stretch wins; among matches at one place, the longest.
enum TechniqueVocabulary {
    static let acronyms: [String: PanelKind] = {
        var t: [String: PanelKind] = [:]
        for a in ["SEM", "FESEM", "FE-SEM", "ESEM", "HRSEM", "HR-SEM", "cryo-SEM", "Cryo-SEM", "FIB-SEM", "FIBSEM"] {
            t[a] = .electron(.sem, implied: false)
        }
        for a in ["TEM", "HRTEM", "HR-TEM", "FETEM", "FE-TEM", "CTEM", "cryo-TEM", "Cryo-TEM", "cryoTEM", "BF-TEM",
                  "cryo-ET", "Cryo-ET", "cryoET", "cryo-EM", "Cryo-EM", "cryoEM"] {
            t[a] = .electron(.tem, implied: false)
        }
        for a in ["EM", "immuno-EM"] { t[a] = .electron(.tem, implied: true) }
        for a in ["STEM", "HAADF", "HAADF-STEM", "BF-STEM", "DF-STEM", "ADF-STEM", "ABF-STEM", "ADF", "ABF"] {
            t[a] = .electron(.stem, implied: false)
        }
        for a in ["EDS", "EDX", "EDXS", "EDAX", "SAED", "FFT", "XRD", "XPS", "FTIR", "FT-IR", "IR", "EELS", "EBSD",
                  "UV-Vis", "UV-vis", "NMR", "TGA", "DSC", "BET", "PL", "CV", "EIS", "DLS", "SAXS", "WAXS"] {
            t[a] = .notImage
        }
        for a in ["AFM", "FM", "cryo-FM", "Cryo-FM", "CLSM", "STM", "OM", "POM", "DIC", "SIM", "PALM", "STORM"] {
            t[a] = .otherImage
        }
        return t
    }()

    static let phrases: [(words: [String], kind: PanelKind)] = [
        (["scanning", "transmission", "electron"], .electron(.stem, implied: false)),
        (["high", "angle", "annular", "dark", "field"], .electron(.stem, implied: false)),
        (["annular", "dark", "field"], .electron(.stem, implied: false)),
        (["scanning", "electron"], .electron(.sem, implied: false)),
        (["scanning", "electronic"], .electron(.sem, implied: false)),
        (["focused", "ion", "beam"], .electron(.sem, implied: false)),
        (["transmission", "electron"], .electron(.tem, implied: false)),
        (["electron", "tomography"], .electron(.tem, implied: false)),
        (["electron", "cryotomography"], .electron(.tem, implied: false)),
        (["electron", "micrograph"], .electron(.tem, implied: true)),
        (["electron", "micrographs"], .electron(.tem, implied: true)),
        (["electron", "microscopy"], .electron(.tem, implied: true)),
        (["electron", "microscope"], .electron(.tem, implied: true)),
        (["electron", "microscopic"], .electron(.tem, implied: true)),
        (["ultrastructure"], .electron(.tem, implied: true)),
        (["ultrastructures"], .electron(.tem, implied: true)),
        (["ultrastructural"], .electron(.tem, implied: true)),
        (["tomogram"], .electron(.tem, implied: true)),
        (["tomograms"], .electron(.tem, implied: true)),
        (["ultrathin", "section"], .electron(.tem, implied: true)),
        (["ultrathin", "sections"], .electron(.tem, implied: true)),
        (["energy", "dispersive"], .notImage),
        (["elemental"], .notImage), (["mapping"], .notImage), (["map"], .notImage), (["maps"], .notImage),
        (["selected", "area"], .notImage), (["diffraction"], .notImage), (["fourier"], .notImage),
        (["histogram"], .notImage), (["histograms"], .notImage),
        (["distribution"], .notImage), (["distributions"], .notImage),
        (["spectrum"], .notImage), (["spectra"], .notImage), (["spectroscopy"], .notImage),
        (["raman"], .notImage), (["schematic"], .notImage), (["scheme"], .notImage),
        (["illustration"], .notImage), (["diagram"], .notImage), (["cartoon"], .notImage),
        (["curve"], .notImage), (["curves"], .notImage), (["plot"], .notImage), (["plots"], .notImage),
        (["isotherm"], .notImage), (["isotherms"], .notImage), (["profile"], .notImage), (["profiles"], .notImage),
        (["graph"], .notImage), (["graphs"], .notImage), (["chart"], .notImage), (["pattern"], .notImage),
        (["patterns"], .notImage), (["rendering"], .notImage), (["renderings"], .notImage),
        (["segmentation"], .notImage), (["model"], .notImage), (["quantification"], .notImage),
        (["atomic", "force"], .otherImage), (["optical"], .otherImage), (["photo"], .otherImage),
        (["photos"], .otherImage), (["photograph"], .otherImage), (["photographs"], .otherImage),
        (["digital"], .otherImage), (["confocal"], .otherImage), (["fluorescence"], .otherImage),
        (["fluorescent"], .otherImage), (["epifluorescence"], .otherImage), (["immunofluorescence"], .otherImage),
        (["light", "microscopy"], .otherImage), (["light", "micrograph"], .otherImage),
        (["light", "micrographs"], .otherImage), (["phase", "contrast"], .otherImage),
        (["contact", "angle"], .otherImage), (["contact", "angles"], .otherImage), (["camera"], .otherImage),
        (["stereomicroscope"], .otherImage), (["live", "imaging"], .otherImage), (["time-lapse"], .otherImage),
    ]

    /// Shortest first word of a phrase: shorter words ("of", "a") need no look-up.
    static let shortestFirstWord = phrases.map { $0.words[0].utf8.count }.min() ?? 1

    /// Longest phrase length, to bound the look-ahead.
    static let longestPhrase = phrases.map(\.words.count).max() ?? 1

    static let phrasesByFirstWord: [String: [(words: [String], kind: PanelKind)]] = {
        var d: [String: [(words: [String], kind: PanelKind)]] = [:]
        for p in phrases { d[p.words[0], default: []].append(p) }
        for k in d.keys { d[k]!.sort { $0.words.count > $1.words.count } }
        return d
    }()

    static let singularImageNouns: Set<String> = ["image", "micrograph", "tomogram", "slice", "view", "photograph"]
    static let pluralImageNouns: Set<String> = ["images", "micrographs", "tomograms", "slices", "views", "photographs"]

    /// Words after which STEM is biology, not microscopy.
    /// Pre-filters for the look-ups above (see `WordFilter`).
    static let phraseStarts = WordFilter(phrasesByFirstWord.keys)
    static let acronymFilter = WordFilter(acronyms.keys)
    static let insetFilter = WordFilter(insetWords)

    static let stemCellWords: Set<String> = ["cell", "cells", "cell-like", "cell-derived"]

    /// Words that start an inset's description: what follows (to the next comma or clause end)
    /// describes the inset, which is not counted.
    static let insetWords: Set<String> = ["inset", "insets"]
}
