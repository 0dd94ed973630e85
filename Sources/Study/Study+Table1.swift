import Core
import Foundation
import Ledger

/// Table 1 for a study: the declared sources, their inputs gathered from where `study.yaml`
/// says, joined by the Ledger.
public struct Table1Result: Sendable {
    public var table: Table1
    /// Input rows that could not be used (a bad line in a counts CSV, …), each with its place.
    public var rejected: [InputError]
    /// Things a person should know (an empty archive index, a stage that has not run, …).
    public var warnings: [String]
}

/// The Ledger's inputs for every declared source, gathered as `table1` does (the catalogue pushes
/// them, so that its Table 1 and the study's are computed from the same values).
public struct Table1Inputs: Sendable {
    public var sources: [SourceInput]
    public var rejected: [InputError]
    public var warnings: [String]
}

extension Study {
    public func table1(trimOutliers: Int? = nil) throws -> Table1Result {
        let inputs = try table1Inputs()
        return Table1Result(table: Ledger.table1(inputs.sources, trimOutliers: trimOutliers),
                            rejected: inputs.rejected, warnings: inputs.warnings)
    }

    public func table1Inputs() throws -> Table1Inputs {
        guard !file.sources.isEmpty else {
            throw InputError("the study declares no sources; add one under 'sources:'", file: directory.appendingPathComponent(StudyFile.fileName).path)
        }
        var rejected: [InputError] = []
        var warnings: [String] = []
        var inputs: [SourceInput] = []
        for source in file.sources {
            let acquired: [Technique: Int]?
            switch source.acquired {
            case .none: acquired = nil
            case .counts(let c): acquired = c
            case .archive:
                let counts = try acquiredFromArchive(fold: source.fold)
                if counts.values.reduce(0, +) == 0 {
                    warnings.append("\(source.name): the archive index is empty; run `lostdata archive scan` first")
                }
                acquired = counts
            }
            let published: PublishedInput
            switch source.published {
            case .aggregates(let a): published = .aggregates(a)
            case .articlesCSV(let path):
                let url = resolve(path)
                let data: Data
                do { data = try Data(contentsOf: url) } catch {
                    throw InputError("cannot read the article counts of source '\(source.name)': \(error.localizedDescription)", file: url.path)
                }
                let parsed = try DeclaredArticleCounts.parse(data, file: url.path)
                rejected += parsed.rejected
                published = .articles(parsed.articles)
            case .figures:
                let (articles, excluded) = try publishedFromFigures(source: source.name)
                if !excluded.isEmpty {
                    warnings.append("\(source.name): \(excluded.count) article(s) with figure counts are excluded in the bibliography and left out: "
                                    + excluded.prefix(5).joined(separator: ", ") + (excluded.count > 5 ? ", …" : ""))
                }
                if articles.isEmpty {
                    warnings.append("\(source.name): no figure counts stored; run `lostdata figures import` first")
                }
                published = .articles(articles)
            }
            inputs.append(SourceInput(name: source.name, techniques: source.techniques, fold: source.fold,
                                      acquired: acquired, published: published))
        }
        return Table1Inputs(sources: inputs, rejected: rejected, warnings: warnings)
    }
}
