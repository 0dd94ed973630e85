import Core
import Yams

/// The `archive:` section of `study.yaml`. Keys are documented in docs/study-file.md.
public struct ArchiveSettings: Hashable, Sendable {
    public init() {}

    static let keys: Set<String> = []

    init(_ node: Node, file: String) throws {
        _ = try YAMLMap(node, file: file, allowed: Self.keys, context: "the archive section")
    }
}
