import Bibliography
import Classification
import Core

/// What `lostdata classify FILE…` produced: one classification per record read, in input order.
public struct ExportClassification: Sendable {
    public var results: [ArticleClassification]
    public var ruleSet: RuleSet
    /// Records rejected by the readers and files that could not be read, each with its place.
    public var errors: [InputError]
}

extension Study {
    /// Classifies records straight from export files — no study, nothing stored. Each record is
    /// read by the Bibliography stage (full detail: abstracts and keywords are what the rules look
    /// at) and handed to the classifier as it is, one result per record: duplicates across files
    /// are classified each time, which is what someone checking an export expects to see.
    public static func classifyExports(_ paths: [String], format: ExportFormat? = nil, rules: RuleSet,
                                       progress: any ProgressReporter = SilentProgress()) throws -> ExportClassification {
        var articles: [ClassifiableArticle] = []
        var errors: [InputError] = []
        for path in paths {
            switch readExport(path, format: format, detail: .full) {
            case .failure(let e): errors.append(e)
            case .success(let read):
                errors += read.rejected
                articles += read.records.map(classifiable)
            }
        }
        let results = try Classifier(rules).classify(articles, progress: progress)
        return ExportClassification(results: results, ruleSet: rules, errors: errors)
    }

    /// The classifier's view of a bibliographic record: the fields the rules can look at.
    static func classifiable(_ r: BibRecord) -> ClassifiableArticle {
        ClassifiableArticle(id: r.stableID, doi: r.doi?.value, title: r.title ?? "", year: r.year,
                            abstract: r.abstract ?? "", authorKeywords: r.authorKeywords,
                            indexKeywords: r.indexKeywords, sourceTitle: r.sourceTitle ?? "")
    }
}
