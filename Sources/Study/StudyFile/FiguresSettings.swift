import Core
import StrictYAML
import Yams

/// The `figures:` section of `study.yaml`. Keys are documented in docs/study-file.md.
public struct FiguresSettings: Hashable, Sendable {
    /// Articles with more EM images than this are reported as outliers by `figures import`.
    public var outlierThreshold: Int
    /// A directory (relative to the study) holding the JATS of supplementary files; used by
    /// `figures import` when --supplement is not given.
    public var supplements: String?

    public static let defaultOutlierThreshold = 50

    public init(outlierThreshold: Int = FiguresSettings.defaultOutlierThreshold, supplements: String? = nil) {
        self.outlierThreshold = outlierThreshold
        self.supplements = supplements
    }

    static let keys: Set<String> = ["outlierThreshold", "supplements"]

    init(_ node: Node, file: String) throws {
        let map = try YAMLMapping(node, file: file, allowed: Self.keys, context: "the figures section")
        outlierThreshold = try map.int("outlierThreshold") ?? Self.defaultOutlierThreshold
        if outlierThreshold < 0 {
            throw map.error("'outlierThreshold' must be a whole number ≥ 0 (EM images per article)", at: "outlierThreshold")
        }
        supplements = try map.string("supplements")
    }
}
