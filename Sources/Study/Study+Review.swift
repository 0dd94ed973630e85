import Classification
import Core
import Foundation
import GRDB

/// A person's category decision for one article: the categories, primary first.
public struct CategoryDecision: Hashable, Codable, Sendable {
    public var categories: [String]
    public var author: String
    public var decidedAt: Date
    public var note: String?

    public var primary: String? { categories.first }
}

/// One article as a reviewer sees it: the machine's proposal next to the person's decision.
/// This is the unit a review page would show and post back (see `recordCategoryDecision`).
public struct ReviewItem: Hashable, Sendable {
    public enum Status: String, Sendable, Codable {
        /// No decision yet.
        case pending
        /// Decided, and the decision agrees with the current proposal (same category set).
        case reviewed
        /// Decided, but the current proposal differs (rules changed, or the person corrected it).
        case disagreeing
    }

    public var articleID: String
    public var doi: String?
    public var title: String
    public var year: Int?
    public var suggested: [String]
    public var suggestedPrimary: String
    public var ambiguous: Bool
    public var evidence: [Evidence]
    public var decision: CategoryDecision?

    public var status: Status {
        guard let decision else { return .pending }
        return Set(decision.categories) == Set(suggested) && decision.primary == suggestedPrimary ? .reviewed : .disagreeing
    }

    /// What reports count: the decision when there is one, else the proposal.
    public var effectiveCategories: [String] { decision?.categories ?? suggested }
    public var effectivePrimary: String { decision?.primary ?? suggestedPrimary }
}

public struct ReviewStatus: Hashable, Sendable {
    public var articles: Int
    public var reviewed: Int
    public var pending: Int
    public var disagreeing: Int
    /// Pending articles the classifier flagged as ambiguous — the ones to look at first.
    public var pendingAmbiguous: Int
    /// Exclusion decisions in force, per article: a reason code, or "include" (kept although the
    /// rules set it aside). Table 1 leaves the excluded articles' figures out.
    public var exclusionDecisions: [String: String] = [:]
    /// Image counts entered or corrected by a person, per article (what Table 1 counts).
    public var imageDecisions: [String: [Technique: Int]] = [:]
    /// People against rules, per category (Cohen's κ over the articles with a category decision).
    public var agreement: [CategoryAgreement] = []
}

/// Every problem found in a review file; nothing was applied.
public struct ReviewImportErrors: Error, Sendable {
    public var errors: [InputError]
}

public struct ReviewImportResult: Sendable {
    /// Decisions written.
    public var applied: Int
    /// Rows with empty decision columns.
    public var skipped: Int
    /// Rows whose decision equals the one already recorded (nothing written).
    public var unchanged: Int
}

extension Study {
    /// The decision kind for categories in the `decision` table.
    static let categoryDecisionKind = "category"
    static func subject(_ articleID: String) -> String { "article:" + articleID }

    /// Every classified article with its proposal and newest category decision, in article order.
    public func reviewItems() throws -> [ReviewItem] {
        try database.read { db in try Self.reviewItems(db) }
    }

    static func reviewItems(_ db: Database) throws -> [ReviewItem] {
        let decisions = try latestCategoryDecisions(db)
        // Classification rows carry the id of the last `classify` run; decisions are keyed by the
        // current id, so both sides are resolved to the current article.
        let aliases = try ArticleAliases(db)
        let rows = try Row.fetchAll(db, sql: """
            SELECT articleId, doi, title, year, primaryCategory, categories, ambiguous, evidence
            FROM classification ORDER BY articleId
            """)
        return rows.map { row in
            let id: String = row["articleId"]
            return ReviewItem(articleID: id, doi: row["doi"], title: row["title"] ?? "", year: row["year"],
                              suggested: ClassificationJSONText.decodeArray(row["categories"]),
                              suggestedPrimary: row["primaryCategory"], ambiguous: row["ambiguous"],
                              evidence: ClassificationJSONText.decodeEvidence(row["evidence"]),
                              decision: decisions[aliases.resolve(id) ?? id])
        }
    }

    /// The newest category decision per current article ("newest per subject+kind wins"; a
    /// decision made under an id the article has since lost follows it, see `ArticleAliases`).
    static func latestCategoryDecisions(_ db: Database) throws -> [String: CategoryDecision] {
        let aliases = try ArticleAliases(db)
        let rows = try Row.fetchAll(db, sql: """
            SELECT subject, value, author, decidedAt, note FROM decision
            WHERE kind = ? AND subject LIKE 'article:%' ORDER BY decidedAt, id
            """, arguments: [categoryDecisionKind])
        var out: [String: CategoryDecision] = [:]
        for row in rows {
            let subject: String = row["subject"]
            let value: String = row["value"]
            let categories = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let id = String(subject.dropFirst("article:".count))
            // An empty value withdraws the decision (an undo on the review page).
            out[aliases.resolve(id) ?? id] = categories.isEmpty ? nil : CategoryDecision(
                categories: categories, author: row["author"], decidedAt: row["decidedAt"], note: row["note"])
        }
        return out
    }

    public func reviewStatus() throws -> ReviewStatus {
        let items = try reviewItems()
        var status = ReviewStatus(articles: items.count,
                                  reviewed: items.filter { $0.status == .reviewed }.count,
                                  pending: items.filter { $0.status == .pending }.count,
                                  disagreeing: items.filter { $0.status == .disagreeing }.count,
                                  pendingAmbiguous: items.filter { $0.status == .pending && $0.ambiguous }.count)
        // The review page's decisions, from the same queue the page shows.
        let queue = try reviewQueue()
        for item in queue {
            if let e = item.exclusionDecision { status.exclusionDecisions[item.articleID] = e }
            if let i = item.decidedImages { status.imageDecisions[item.articleID] = i }
        }
        status.agreement = Self.categoryAgreement(queue, taxonomy: try classificationTaxonomy())
        return status
    }

    /// Records one person's decision for one article (what a review page would call). The
    /// categories must be known to the study's rules; the first is the primary.
    public func recordCategoryDecision(articleID: String, categories: [String], author: String,
                                       note: String? = nil, at date: Date = Date()) throws {
        let taxonomy = try classificationTaxonomy()
        for c in categories where !taxonomy.contains(c) {
            throw InputError("unknown category '\(c)'", file: "decision", record: articleID)
        }
        guard !categories.isEmpty, !author.isEmpty else {
            throw InputError("a decision needs at least one category and an author", file: "decision", record: articleID)
        }
        if categories.contains(Taxonomy.unclassified) && Set(categories).count > 1 {
            throw InputError("'unclassified' cannot be combined with other categories", file: "decision", record: articleID)
        }
        let stored = taxonomy.normalisedDecision(categories, primary: categories.first)
        try database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM classification WHERE articleId = ?", arguments: [articleID]) != nil else {
                throw InputError("unknown article id '\(articleID)'", file: "decision", record: articleID)
            }
            try Self.insertDecision(db, articleID: articleID, categories: stored, author: author, note: note, at: date)
        }
    }

    static func insertDecision(_ db: Database, articleID: String, categories: [String], author: String,
                               note: String?, at date: Date) throws {
        // Through the review page's writer, so the row records the value it replaces.
        _ = try appendDecision(db, articleID: articleID, kind: categoryDecisionKind, value: categories.joined(separator: "; "),
                               author: author, note: note, at: date, undoes: nil)
    }
}

extension Study {
    /// Writes the review sheet for every classified article; returns the number of rows.
    @discardableResult
    public func exportReview(to url: URL) throws -> Int {
        let items = try reviewItems()
        guard !items.isEmpty else {
            throw InputError("nothing to review: no classified articles; run `lostdata classify` first", file: url.path)
        }
        let rows = items.map {
            ReviewSheet.Row(id: $0.articleID, doi: $0.doi, title: $0.title, year: $0.year, suggested: $0.suggested,
                            suggestedPrimary: $0.suggestedPrimary, ambiguous: $0.ambiguous, evidence: $0.evidence,
                            currentDecision: $0.decision?.categories)
        }
        do { try ReviewSheet.render(rows).write(to: url, atomically: true, encoding: .utf8) } catch {
            throw InputError("cannot write the review file: \(error.localizedDescription)", file: url.path)
        }
        return rows.count
    }

    /// Reads a filled-in review sheet and records its decisions — all of them, or (when any row
    /// is wrong) none, with every problem reported by line. `reviewer` is used for rows whose
    /// `reviewer` cell is empty.
    public func importReview(from url: URL, reviewer: String?, at date: Date = Date()) throws -> ReviewImportResult {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError("cannot read the review file: \(error.localizedDescription)", file: url.path)
        }
        let taxonomy = try classificationTaxonomy()
        let items = try reviewItems()
        var suggestions: [String: (categories: [String], primary: String)] = [:]
        var current: [String: CategoryDecision] = [:]
        for item in items {
            suggestions[item.articleID] = (item.suggested, item.suggestedPrimary)
            current[item.articleID] = item.decision
        }
        // A sheet exported before an import changed some articles' ids names them by their former
        // ids: those are accepted too, and the decision is recorded under the current one.
        let aliases = try database.read { db in try ArticleAliases(db) }
        var currentID: [String: String] = [:]
        for (alias, article) in aliases.formerIDs {
            guard let known = suggestions[article], suggestions[alias] == nil else { continue }
            suggestions[alias] = known
            current[alias] = current[article]
            currentID[alias] = article
        }
        let parsed = ReviewSheet.parse(data, file: url.path, taxonomy: taxonomy, suggestions: suggestions)
        var errors = parsed.errors
        for e in parsed.entries where e.reviewer == nil && (reviewer ?? "").isEmpty {
            errors.append(InputError("no reviewer: fill the 'reviewer' column or pass --reviewer NAME", file: url.path, line: e.line, record: e.id))
        }
        guard errors.isEmpty else { throw ReviewImportErrors(errors: errors) }
        var applied = 0, unchanged = 0
        try database.write { db in
            for e in parsed.entries {
                if let c = current[e.id], c.categories == e.categories, c.note == e.note { unchanged += 1; continue }
                try Self.insertDecision(db, articleID: currentID[e.id] ?? e.id, categories: e.categories, author: e.reviewer ?? reviewer ?? "",
                                        note: e.note, at: date)
                applied += 1
            }
            // One transaction for the whole sheet: every decision of it, or none.
            Self.pauseBeforeCommitForCrashTests("review import")
        }
        return ReviewImportResult(applied: applied, skipped: parsed.skipped, unchanged: unchanged)
    }
}
