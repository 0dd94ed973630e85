import Bibliography
import Core
import Foundation

/// What the declared searches (`literature.queries`) did in one go: `lostdata run`'s literature
/// stage. The per-query reports are `literature search`'s own; this sums them the way the run
/// summary counts every stage (read, kept, merged, rejected) and keeps what failed.
public struct LiteratureStageSummary: Sendable {
    public var reports: [LiteratureSearchReport]
    /// Records the services sent.
    public var read: Int { reports.reduce(0) { $0 + $1.found } }
    /// Articles that were not in the list before.
    public var new: Int { reports.reduce(0) { $0 + $1.new } }
    public var merged: Int { reports.reduce(0) { $0 + $1.merged } }
    /// Records stored by this walk (pages whose bytes were stored before add none).
    public var stored: Int { reports.reduce(0) { $0 + $1.stored } }
    public var excluded: Int { reports.reduce(0) { $0 + $1.excluded } }
    /// Records a page carried that could not be read, each with its page URL and reason.
    public var rejections: [String] { reports.flatMap { r in r.rejections.map { "\(r.name): \($0)" } } }
    /// Warnings that are not rejections (a changed hit count, --max reached, a repeated page).
    public var warnings: [String] {
        reports.flatMap { r in r.warnings.filter { !r.rejections.contains($0) }.map { "\(r.name): \($0)" } }
    }

    /// The queries that failed, one line each with the URL and what to do; nil when none did.
    public var failure: String? {
        let failed = reports.compactMap { r in r.error.map { "\(r.name): \($0)" } }
        return failed.isEmpty ? nil : failed.joined(separator: "\n")
    }
}

extension Study {
    /// The fingerprint of the declared searches: every query (its key, name, limit and
    /// baseline), the endpoints they go to, and the tool's version. Nil when none is declared.
    /// Responses are not part of it: a complete query is repeated only when this changes or the
    /// stage is forced (`--force literature`, like `literature search --refresh`).
    public func literatureFingerprint() -> StageFingerprint? {
        let settings = file.literature
        guard !settings.queries.isEmpty else { return nil }
        var parts = settings.queries.map { q in
            "query \(q.key) name=\(q.name) max=\(q.max.map(String.init) ?? "-") baseline=\(q.baseline ?? "-")"
        }
        parts += LiteratureAPI.allCases.map { "endpoint \($0.rawValue)=\(settings.endpoint($0))" }
        parts.append("version \(LostData.version)")
        return StageFingerprint(stage: "literature", parts: parts)
    }

    /// Walks every query declared under `literature.queries` — the same walk, storage and
    /// article-list rebuild as `literature search` without `--source` — with endpoints from
    /// study.yaml only. Queries that failed are in the summary's `failure`; what the others
    /// stored stays (each page is its own transaction).
    public func searchDeclaredLiterature(options: LiteratureOptions = .init(),
                                         progress: any ProgressReporter = SilentProgress()) throws -> LiteratureStageSummary {
        LiteratureStageSummary(reports: try searchLiterature(file.literature.queries, options: options, progress: progress))
    }
}
