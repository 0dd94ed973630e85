import Core
import Foundation
import StrictYAML
import Yams

/// `study.yaml`: what a person declares about a study. Hand-edited, so it is read strictly —
/// an unknown key or a value of the wrong kind is an error naming the line (docs/study-file.md).
public struct StudyFile: Hashable, Sendable {
    public static let fileName = "study.yaml"

    /// A human title for reports.
    public var name: String
    /// The publication years the study covers (the paper: 2011–2023), inclusive.
    public var period: ClosedRange<Int>?
    /// Table 1's data sources, in print order.
    public var sources: [SourceDeclaration]
    public var bibliography: BibliographySettings
    public var archive: ArchiveSettings
    public var figures: FiguresSettings
    public var classification: ClassificationSettings
    /// The inputs `lostdata run` feeds to the stages.
    public var inputs: InputsSettings
    /// Where and how `lostdata literature` asks the open scholarly APIs.
    public var literature: LiteratureSettings

    public init(name: String, period: ClosedRange<Int>? = nil, sources: [SourceDeclaration] = [],
                bibliography: BibliographySettings = .init(), archive: ArchiveSettings = .init(),
                figures: FiguresSettings = .init(), classification: ClassificationSettings = .init(),
                inputs: InputsSettings = .init(), literature: LiteratureSettings = .init()) {
        self.name = name
        self.period = period
        self.sources = sources
        self.bibliography = bibliography
        self.archive = archive
        self.figures = figures
        self.classification = classification
        self.inputs = inputs
        self.literature = literature
    }

    static let keys: Set<String> = ["name", "period", "sources", "bibliography", "archive", "figures", "classification", "inputs", "literature"]

    /// Parses the text of a study file; `file` names it in errors.
    public init(yaml text: String, file: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw InputError("not valid YAML: \(e)", file: file, line: Self.line(of: e))
        }
        guard let root else { throw InputError("the study file is empty; it needs at least 'name'", file: file, line: 1) }
        let map = try YAMLMapping(root, file: file, allowed: Self.keys, context: "the study file")
        name = try map.requiredString("name", context: "the study file")
        if let p = map["period"] {
            let pm = try YAMLMapping(p, file: file, allowed: ["from", "to"], context: "period")
            guard let from = try pm.int("from"), let to = try pm.int("to") else {
                throw pm.error("period needs both 'from' and 'to' (years)", at: "from")
            }
            guard from <= to else { throw pm.error("period: 'from' (\(from)) is after 'to' (\(to))", at: "from") }
            period = from...to
        } else {
            period = nil
        }
        sources = []
        if let s = map["sources"] {
            guard case .sequence(let seq) = s else { throw map.error("'sources' must be a list", at: "sources") }
            sources = try seq.map { try SourceDeclaration($0, file: file) }
            var seen = Set<String>()
            for (node, src) in zip(seq, sources) where !seen.insert(src.name).inserted {
                throw InputError("two sources are named '\(src.name)'", file: file, line: node.mark?.line)
            }
        }
        bibliography = try map["bibliography"].map { try BibliographySettings($0, file: file) } ?? .init()
        archive = try map["archive"].map { try ArchiveSettings($0, file: file) } ?? .init()
        figures = try map["figures"].map { try FiguresSettings($0, file: file) } ?? .init()
        classification = try map["classification"].map { try ClassificationSettings($0, file: file) } ?? .init()
        inputs = try map["inputs"].map { try InputsSettings($0, file: file) } ?? .init()
        // A baseline's JATS must belong to a declared source, or its counts would reach no column.
        if let node = map["inputs"], !sources.isEmpty {
            let names = Set(sources.map(\.name))
            for b in inputs.baselines where !names.contains(b.source) {
                throw InputError("inputs: baseline '\(b.source)' is not a source under 'sources:'", file: file, line: node.mark?.line)
            }
        }
        literature = try map["literature"].map { try LiteratureSettings($0, file: file) } ?? .init()
    }

    /// Reads and parses `DIR/study.yaml`.
    public static func load(from directory: URL) throws -> StudyFile {
        let url = directory.appendingPathComponent(fileName)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError("cannot read the study file (\(error.localizedDescription)); is this a study? `lostdata init DIR` makes one", file: url.path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("the study file is not UTF-8 text", file: url.path)
        }
        return try StudyFile(yaml: text, file: url.path)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): return mark.line
        default: return nil
        }
    }
}
