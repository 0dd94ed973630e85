import Bibliography
import Classification
import Core
import Foundation
import GRDB

/// Everything the review page shows about one article: the record, the proposal with its
/// evidence, the figures behind the counts, and the decision history.
public struct ReviewArticle: Sendable {
    public struct Panel: Hashable, Sendable {
        public var label: String
        public var technique: String
        public var reused: Bool
        /// The words that decided the technique.
        public var words: String?
        /// The caption text behind the panel.
        public var evidence: String
    }

    public struct Figure: Hashable, Sendable {
        public var label: String
        public var supplementary: Bool
        public var panels: [Panel]
    }

    /// An address of the article's authors and the authors the record places there.
    public struct Affiliation: Hashable, Sendable {
        /// Empty when the record does not say who is at this address.
        public var authors: [String]
        public var address: String
    }

    public var item: ReviewQueueItem
    /// Deduplicated, in the record's order (`article.affiliations`).
    public var affiliations: [Affiliation]
    public var abstract: String?
    public var authorKeywords: String?
    public var indexKeywords: String?
    public var documentType: String?
    public var exclusionReasons: String?
    public var scores: [String: Double]
    public var evidence: [Evidence]
    /// The JATS file the figures were counted from (nil: no full text).
    public var figureFile: String?
    public var figures: [Figure]
    public var flags: [String]
    public var scaleBarsNm: [String]
    public var history: [DecisionRecord]
}

extension Study {
    /// One article for the review page, or nil when the study has no article with this id.
    public func reviewArticle(_ articleID: String) throws -> ReviewArticle? {
        // The queue row (decisions, counts, flags) is computed the same way as in the list.
        guard let item = try reviewQueueItem(articleID) else { return nil }
        return try database.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT a.abstract, a.affiliations, a.authorKeywords, a.indexKeywords, a.documentType, a.exclusionReasons, c.scores, c.evidence
                FROM article a LEFT JOIN classification c ON c.articleId = a.id WHERE a.id = ?
                """, arguments: [articleID]) else { return nil }
            var scores: [String: Double] = [:]
            if let text: String = row["scores"], let data = text.data(using: .utf8),
               let decoded = try? JSONDecoder().decode([String: Double].self, from: data) { scores = decoded }
            var figureFile: String?, flags: [String] = [], scaleBars: [String] = []
            var figures: [ReviewArticle.Figure] = []
            let figureRow = try Row.fetchOne(db, sql: """
                SELECT file, flags, scaleBarsNm FROM figureCount WHERE baseline IS NULL AND (articleId = ? OR (doi IS NOT NULL AND doi = ?))
                ORDER BY file, position LIMIT 1
                """, arguments: [articleID, item.doi])
            if let figureRow {
                let file: String = figureRow["file"]
                figureFile = file
                flags = Self.listCell(figureRow["flags"])
                scaleBars = Self.listCell(figureRow["scaleBarsNm"])
                for p in try Row.fetchAll(db, sql: """
                    SELECT figure, panel, technique, supplementary, reused, words, evidence FROM figurePanel
                    WHERE baseline IS NULL AND file = ? ORDER BY rowid
                    """, arguments: [file]) {
                    let label: String = p["figure"], supplementary: Bool = p["supplementary"]
                    let panel = ReviewArticle.Panel(label: p["panel"], technique: p["technique"], reused: p["reused"],
                                                    words: p["words"], evidence: p["evidence"])
                    if let last = figures.indices.last, figures[last].label == label, figures[last].supplementary == supplementary {
                        figures[last].panels.append(panel)
                    } else {
                        figures.append(.init(label: label, supplementary: supplementary, panels: [panel]))
                    }
                }
            }
            // The cell holds `Affiliation.line`s, which `Affiliation.list` reads back as they were.
            let affiliations = Affiliation.list(from: [row["affiliations"] ?? ""])
                .map { ReviewArticle.Affiliation(authors: $0.authors, address: $0.address) }
            return ReviewArticle(item: item, affiliations: affiliations, abstract: row["abstract"], authorKeywords: row["authorKeywords"],
                                 indexKeywords: row["indexKeywords"], documentType: row["documentType"],
                                 exclusionReasons: row["exclusionReasons"], scores: scores,
                                 evidence: ClassificationJSONText.decodeEvidence(row["evidence"]),
                                 figureFile: figureFile, figures: figures, flags: flags, scaleBarsNm: scaleBars,
                                 history: try Self.decisionRows(db, articleID: articleID))
        }
    }

    /// Flags and scale bars are stored as "a,b" (or, by older fixtures, as JSON "[…]").
    static func listCell(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",")
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }.filter { !$0.isEmpty }
    }
}
