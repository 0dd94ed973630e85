import Classification
import Core
import Foundation
import GRDB

/// Where an article's review stands, as the review page shows it.
public enum ReviewState: String, CaseIterable, Codable, Sendable {
    /// No category decision yet.
    case pending
    /// A person's categories equal the proposal.
    case confirmed
    /// A person chose other categories than the proposal they saw (decided after the proposal).
    case changed
    /// Decided, and the rules proposed something else since (classified again after the decision).
    case disagreeing
}

/// One article of the review queue: the proposal, the person's decisions and the figure counts.
public struct ReviewQueueItem: Hashable, Sendable {
    public var articleID: String
    public var doi: String?
    public var title: String
    public var year: Int?
    public var authors: String?
    public var journal: String?
    /// The proposal (nil when the article was never classified, e.g. excluded before `classify`).
    public var proposed: [String]?
    public var proposedPrimary: String?
    /// The primary category's score (how strongly the rules claimed it).
    public var score: Double?
    public var ambiguous: Bool
    public var classifiedAt: Date?
    /// The person's categories, primary first.
    public var decided: CategoryDecision?
    /// Effective exclusion reason (rules, then people); nil when included.
    public var exclusion: String?
    /// What the rules said before people's decisions.
    public var machineExclusion: String?
    /// The newest exclusion decision's value ("include" or a reason), if a person decided.
    public var exclusionDecision: String?
    /// EM images from the Figures stage (nil: no full text was counted).
    public var figureImages: [Technique: Int]?
    /// EM images a person entered (nil: none).
    public var decidedImages: [Technique: Int]?
    public var lowerBound: Bool
    public var reusedImages: Int
    public var note: String?
    /// The newest decision row's id (0 when none): what a page posts back.
    public var version: Int64
    /// Set by the queue from `figures.outlierThreshold`.
    public var outlier: Bool

    /// What Table 1 counts: the person's counts, else the Figures stage's.
    public var images: [Technique: Int]? { decidedImages ?? figureImages }
    public var totalImages: Int? { images.map { $0.values.reduce(0, +) } }
    public var noFullText: Bool { figureImages == nil }
    public var effectiveCategories: [String] { decided?.categories ?? proposed ?? [] }
    public var effectivePrimary: String? { decided?.primary ?? proposedPrimary }

    public var state: ReviewState {
        guard let decided else { return .pending }
        guard let proposed, let proposedPrimary else { return .changed }
        if Set(decided.categories) == Set(proposed) && decided.primary == proposedPrimary { return .confirmed }
        if let classifiedAt, classifiedAt > decided.decidedAt { return .disagreeing }
        return .changed
    }

    /// Reviewed: a person decided its categories or its exclusion.
    public var reviewed: Bool { decided != nil || exclusionDecision != nil }
}

/// Agreement between people and rules on one category (over articles with a category decision).
public struct CategoryAgreement: Hashable, Sendable {
    public var category: String
    /// Articles with a category decision (the same for every category).
    public var decided: Int
    /// Decided articles a person put in this category.
    public var byPeople: Int
    /// Decided articles the rules put in this category.
    public var byRules: Int
    /// Cohen's κ of people against rules (nil when undefined: both always or never chose it).
    public var kappa: Double?
}

extension Study {
    /// Every article of the study with its proposal, decisions and figure counts, in id order
    /// (one pass over each table; the review page filters and sorts in memory).
    public func reviewQueue() throws -> [ReviewQueueItem] {
        try database.read { db in try Self.reviewQueue(db, only: nil, outlierThreshold: file.figures.outlierThreshold) }
    }

    /// The queue row of one article (nil when the study has no article with this id).
    public func reviewQueueItem(_ articleID: String) throws -> ReviewQueueItem? {
        try database.read { db in try Self.reviewQueue(db, only: articleID, outlierThreshold: file.figures.outlierThreshold).first }
    }

    /// A person's newest decisions about one article, folded from its decision rows (id order;
    /// an empty value withdraws a decision).
    struct DecisionSummary {
        var categories: CategoryDecision?
        var exclusion: String?
        var images: [Technique: Int]?
        var note: String?
        var version: Int64 = 0

        mutating func add(_ r: DecisionRecord) {
            version = max(version, r.id)
            switch r.kind {
            case Study.categoryDecisionKind:
                let list = r.value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                categories = list.isEmpty ? nil : CategoryDecision(categories: list, author: r.author, decidedAt: r.decidedAt, note: r.note)
            case "exclusion": exclusion = r.value.isEmpty ? nil : r.value
            case Study.imagesDecisionKind: images = Study.parseImagesValue(r.value)
            case Study.noteDecisionKind: note = r.value.isEmpty ? nil : r.value
            default: break
            }
        }
    }

    static func reviewQueue(_ db: Database, only: String?, outlierThreshold: Int) throws -> [ReviewQueueItem] {
        guard try db.tableExists("article") else { return [] }
        var summaries: [String: DecisionSummary] = [:]
        if let only {
            var s = DecisionSummary()
            for r in try decisionRows(db, articleID: only) { s.add(r) }
            summaries[only] = s
        } else {
            let aliases = try ArticleAliases(db)
            for row in try Row.fetchAll(db, sql: """
                SELECT id, subject, kind, value, author, decidedAt, note FROM decision WHERE subject LIKE 'article:%' ORDER BY id
                """) {
                let subject: String = row["subject"]
                guard let id = aliases.resolve(String(subject.dropFirst("article:".count))) else { continue }
                summaries[id, default: DecisionSummary()].add(DecisionRecord(
                    id: row["id"], subject: subject, kind: row["kind"], value: row["value"], previousValue: nil,
                    author: row["author"], decidedAt: row["decidedAt"], note: row["note"], undoes: nil))
            }
        }
        // The study's own figure counts (not a baseline's), by article id, else by DOI.
        var figuresByID: [String: Row] = [:], figuresByDOI: [String: Row] = [:]
        let figureFilter = only == nil ? "" : "AND (articleId = ? OR doi = (SELECT doi FROM article WHERE id = ?))"
        for row in try Row.fetchAll(db, sql: """
            SELECT articleId, doi, semImages, stemImages, temImages, lowerBound, reusedImages FROM figureCount
            WHERE baseline IS NULL \(figureFilter) ORDER BY file, position
            """, arguments: only.map { [$0, $0] } ?? []) {
            if let id: String = row["articleId"], figuresByID[id] == nil { figuresByID[id] = row }
            if let doi: String = row["doi"], figuresByDOI[doi] == nil { figuresByDOI[doi] = row }
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, a.doi, a.title, a.year, a.authors, a.sourceTitle, a.exclusion, a.machineExclusion,
                   c.primaryCategory, c.categories, c.ambiguous, c.classifiedAt, ac.score
            FROM article a
            LEFT JOIN classification c ON c.articleId = a.id
            LEFT JOIN articleCategory ac ON ac.articleId = a.id AND ac.category = c.primaryCategory
            \(only == nil ? "" : "WHERE a.id = ?") ORDER BY a.id
            """, arguments: only.map { [$0] } ?? [])
        return rows.map { row in
            let id: String = row["id"], doi: String? = row["doi"]
            let figures = figuresByID[id] ?? doi.flatMap { figuresByDOI[$0] }
            let primary: String? = row["primaryCategory"]
            let s = summaries[id] ?? DecisionSummary()
            var item = ReviewQueueItem(
                articleID: id, doi: doi, title: row["title"] ?? "", year: row["year"], authors: row["authors"],
                journal: row["sourceTitle"],
                proposed: primary == nil ? nil : Self.categoryList(row["categories"]),
                proposedPrimary: primary, score: row["score"], ambiguous: row["ambiguous"] ?? false,
                classifiedAt: row["classifiedAt"], decided: s.categories, exclusion: row["exclusion"],
                machineExclusion: row["machineExclusion"], exclusionDecision: s.exclusion,
                figureImages: figures.map { [.sem: $0["semImages"], .stem: $0["stemImages"], .tem: $0["temImages"]] },
                decidedImages: s.images, lowerBound: figures?["lowerBound"] ?? false,
                reusedImages: figures?["reusedImages"] ?? 0, note: s.note, version: s.version, outlier: false)
            item.outlier = (item.totalImages ?? 0) > outlierThreshold
            return item
        }
    }

    /// A token that changes whenever the study's data may have changed: SQLite's
    /// `data_version` (commits by other connections — another server, a `lostdata` command)
    /// and this connection's own change count. The review page re-reads its queue when it differs.
    public func changeToken() throws -> String {
        try database.read { db in
            "\(try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0)-\(db.totalChangesCount)"
        }
    }

    /// The `categories` JSON array of a classification row. Category ids are plain words
    /// (`[a-z0-9-/]`), so the text is split directly; anything with an escape goes to the JSON
    /// decoder. (10,000 rows: the decoder was most of the queue's read time.)
    static func categoryList(_ text: String?) -> [String] {
        guard let text else { return [] }
        guard !text.contains("\\") else { return ClassificationJSONText.decodeArray(text) }
        return text.utf8.split(whereSeparator: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") })
            .compactMap { part -> String? in
                let s = String(decoding: part, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                guard s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") else { return nil }
                return String(s.dropFirst().dropLast())
            }
    }

    /// Cohen's κ per category between people's category decisions and the rules' proposals,
    /// over the articles that have both (taxonomy order).
    public static func categoryAgreement(_ items: [ReviewQueueItem], taxonomy: Taxonomy) -> [CategoryAgreement] {
        let pairs = items.compactMap { item -> (Set<String>, Set<String>)? in
            guard let decided = item.decided, let proposed = item.proposed else { return nil }
            return (Set(decided.categories), Set(proposed))
        }
        return taxonomy.categories.map { category in
            let c = category.id
            var both = 0, peopleOnly = 0, rulesOnly = 0, neither = 0
            for (people, rules) in pairs {
                switch (people.contains(c), rules.contains(c)) {
                case (true, true): both += 1
                case (true, false): peopleOnly += 1
                case (false, true): rulesOnly += 1
                case (false, false): neither += 1
                }
            }
            let n = Double(pairs.count)
            var kappa: Double?
            if n > 0 {
                let observed = Double(both + neither) / n
                let pPeople = Double(both + peopleOnly) / n, pRules = Double(both + rulesOnly) / n
                let expected = pPeople * pRules + (1 - pPeople) * (1 - pRules)
                if expected < 1 { kappa = (observed - expected) / (1 - expected) }
            }
            return CategoryAgreement(category: c, decided: pairs.count, byPeople: both + peopleOnly, byRules: both + rulesOnly, kappa: kappa)
        }
    }
}
