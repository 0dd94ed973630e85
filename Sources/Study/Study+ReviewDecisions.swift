import Bibliography
import Classification
import Core
import Foundation
import GRDB

/// One change a reviewer makes to one article (what the review page posts).
public enum ReviewAction: Hashable, Sendable {
    /// The proposal's categories become the person's decision.
    case confirm
    /// Categories chosen by the person; `primary` first (added when not listed).
    case categories([String], primary: String)
    /// Set the article aside, with a reason code (`ExclusionReason`).
    case exclude(reason: String)
    /// Keep the article although the rules set it aside (undoes an exclusion).
    case include
    /// EM image counts per technique, corrected or counted by hand (no readable full text).
    case images([Technique: Int])
    /// A free-text note on the article.
    case note(String)
}

/// A write refused because the article changed since the page showing it was loaded (another
/// tab, another reviewer, another server on the same study). Nothing was written.
public struct StaleReviewVersion: Error, CustomStringConvertible, Sendable {
    public var articleID: String
    public var expected: Int64
    public var current: Int64
    /// Who made the change the page did not see, and when.
    public var changedBy: String?
    public var changedAt: Date?

    public var description: String {
        var who = ""
        if let changedBy { who = " by \(changedBy)" }
        if let changedAt { who += " at \(ISO8601DateFormatter().string(from: changedAt))" }
        return "article \(articleID) was changed\(who) after this page was loaded (another tab or window); "
            + "your change was not saved. Reload the page to see the current state, then decide again."
    }
}

/// What a review write did: the article's new version, and the study's change token (see
/// `Study.changeToken`) just before and just after it — a page that cached the study at
/// `changeTokenBefore` may patch its cache and treat it as current at `changeTokenAfter`.
public struct ReviewWrite: Hashable, Sendable {
    public var version: Int64
    public var changeTokenBefore: String
    public var changeTokenAfter: String
}

/// One row of the `decision` table, as the review page lists an article's history.
public struct DecisionRecord: Hashable, Sendable {
    public var id: Int64
    public var subject: String
    public var kind: String
    /// Empty: the decision was withdrawn (the machine's value holds again).
    public var value: String
    public var previousValue: String?
    public var author: String
    public var decidedAt: Date
    public var note: String?
    /// The decision this row undoes, when it is an undo.
    public var undoes: Int64?
}

extension Study {
    /// Decision kinds the review page writes besides `category` and `exclusion`.
    static let imagesDecisionKind = "images"
    static let noteDecisionKind = "note"
    /// The exclusion reason codes a person may choose.
    public static var exclusionReasons: [String] { ExclusionReason.allCases.map(\.rawValue) }

    /// Encodes image counts for the `decision` table: "SEM=3; STEM=0; TEM=5" (Table 1 order).
    static func imagesValue(_ counts: [Technique: Int]) -> String {
        Technique.allCases.map { "\($0.rawValue)=\(counts[$0] ?? 0)" }.joined(separator: "; ")
    }

    static func parseImagesValue(_ value: String) -> [Technique: Int]? {
        guard !value.isEmpty else { return nil }
        var out: [Technique: Int] = [:]
        for part in value.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let t = Technique(name: kv[0]), let n = Int(kv[1]), n >= 0 else { return nil }
            out[t] = n
        }
        return out
    }

    /// The newest image-count decision per current article (withdrawn ones left out).
    static func latestImageDecisions(_ db: Database, aliases: ArticleAliases) throws -> [String: [Technique: Int]] {
        var out: [String: [Technique: Int]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT subject, value FROM decision WHERE kind = ? AND subject LIKE 'article:%' ORDER BY decidedAt, id
            """, arguments: [imagesDecisionKind]) {
            let subject: String = row["subject"]
            let id = String(subject.dropFirst("article:".count))
            guard let article = aliases.resolve(id) else { continue }
            out[article] = parseImagesValue(row["value"])
        }
        return out
    }

    /// The version of an article's decisions: the id of the newest decision row about it (under
    /// any id it has had), 0 when there is none. A page posts the version it showed; a write
    /// whose version is no longer current is refused (`StaleReviewVersion`).
    public func reviewVersion(of articleID: String) throws -> Int64 {
        try database.read { db in try Self.decisionRows(db, articleID: articleID).last?.id ?? 0 }
    }

    /// Every decision row about the article (under any id it has had), oldest first. The former
    /// ids are found with the rule of `ArticleAliases` (an alias held by one article only), by
    /// index, so a save does not read the whole article list.
    static func decisionRows(_ db: Database, articleID: String) throws -> [DecisionRecord] {
        var subjects = ["article:" + articleID]
        if try db.tableExists("articleAlias") {
            subjects += try String.fetchAll(db, sql: """
                SELECT a.alias FROM articleAlias a WHERE a.articleId = ? AND a.alias <> a.articleId
                  AND NOT EXISTS (SELECT 1 FROM articleAlias b WHERE b.alias = a.alias AND b.articleId <> a.articleId)
                  AND NOT EXISTS (SELECT 1 FROM article WHERE id = a.alias)
                """, arguments: [articleID]).map { "article:" + $0 }
        }
        let marks = subjects.map { _ in "?" }.joined(separator: ",")
        return try Row.fetchAll(db, sql: """
            SELECT id, subject, kind, value, previousValue, author, decidedAt, note, undoes FROM decision
            WHERE subject IN (\(marks)) ORDER BY id
            """, arguments: StatementArguments(subjects)).map {
            DecisionRecord(id: $0["id"], subject: $0["subject"], kind: $0["kind"], value: $0["value"],
                           previousValue: $0["previousValue"], author: $0["author"], decidedAt: $0["decidedAt"],
                           note: $0["note"], undoes: $0["undoes"])
        }
    }

    /// The decision history of one article, oldest first.
    public func decisionHistory(of articleID: String) throws -> [DecisionRecord] {
        try database.read { db in try Self.decisionRows(db, articleID: articleID) }
    }

    /// Records one review decision, if the article's decisions are still at `expectedVersion`
    /// (checked and written in one immediate transaction, so two tabs or two servers cannot both
    /// pass the check). Returns the new version.
    @discardableResult
    ///
    /// `taxonomy`: the study's, when the caller holds it already (reading the rules file takes
    /// longer than the write; the review page reads it once at start).
    public func recordReview(_ action: ReviewAction, articleID: String, expectedVersion: Int64, author: String,
                             note: String? = nil, at date: Date = Date(), taxonomy: Taxonomy? = nil) throws -> ReviewWrite {
        guard !author.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InputError("a decision needs a reviewer name", file: "decision", record: articleID)
        }
        let taxonomy = try taxonomy ?? classificationTaxonomy()
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        let (version, before, after) = try writeImmediately { db -> Int64 in
            guard let article = try Row.fetchOne(db, sql: "SELECT id, machineExclusion FROM article WHERE id = ?", arguments: [articleID]) else {
                throw InputError("unknown article id '\(articleID)'", file: "decision", record: articleID)
            }
            try Self.checkVersion(db, articleID: articleID, expected: expectedVersion)
            let kind: String, value: String
            switch action {
            case .confirm:
                guard let row = try Row.fetchOne(db, sql: "SELECT primaryCategory, categories FROM classification WHERE articleId = ?", arguments: [articleID]) else {
                    throw InputError("article '\(articleID)' has no proposal to confirm; run `lostdata classify` or choose categories", file: "decision", record: articleID)
                }
                let proposed = ClassificationJSONText.decodeArray(row["categories"])
                kind = Self.categoryDecisionKind
                value = taxonomy.normalisedDecision(proposed, primary: row["primaryCategory"]).joined(separator: "; ")
            case .categories(let categories, let primary):
                let all = categories.contains(primary) ? categories : [primary] + categories
                for c in all where !taxonomy.contains(c) {
                    throw InputError("unknown category '\(c)'", file: "decision", record: articleID)
                }
                if all.contains(Taxonomy.unclassified) && Set(all).count > 1 {
                    throw InputError("'unclassified' cannot be combined with other categories", file: "decision", record: articleID)
                }
                kind = Self.categoryDecisionKind
                value = taxonomy.normalisedDecision(all, primary: primary).joined(separator: "; ")
            case .exclude(let reason):
                guard ExclusionReason(rawValue: reason) != nil else {
                    throw InputError("unknown exclusion reason '\(reason)' (known: \(Self.exclusionReasons.joined(separator: ", ")))", file: "decision", record: articleID)
                }
                kind = "exclusion"; value = reason
            case .include:
                kind = "exclusion"; value = "include"
            case .images(let counts):
                guard counts.values.allSatisfy({ $0 >= 0 && $0 <= 1_000_000 }) else {
                    throw InputError("image counts must be whole numbers from 0 to 1000000", file: "decision", record: articleID)
                }
                kind = Self.imagesDecisionKind; value = Self.imagesValue(counts)
            case .note(let text):
                kind = Self.noteDecisionKind; value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let id = try Self.appendDecision(db, articleID: articleID, kind: kind, value: value, author: author, note: note, at: date, undoes: nil)
            if kind == "exclusion" { try Self.applyExclusion(db, articleID: articleID, machine: article["machineExclusion"]) }
            return id
        }
        return ReviewWrite(version: version, changeTokenBefore: before, changeTokenAfter: after)
    }

    /// Undoes the newest decision about the article that is not itself an undo and not yet
    /// undone, by appending a decision that restores the value before it. Returns the new version
    /// and the undone row, or nil when there is nothing to undo.
    @discardableResult
    public func undoLastReview(articleID: String, expectedVersion: Int64, author: String,
                               at date: Date = Date()) throws -> (write: ReviewWrite, undone: DecisionRecord)? {
        let (result, before, after) = try writeImmediately { db -> (Int64, DecisionRecord)? in
            guard let article = try Row.fetchOne(db, sql: "SELECT id, machineExclusion FROM article WHERE id = ?", arguments: [articleID]) else {
                throw InputError("unknown article id '\(articleID)'", file: "decision", record: articleID)
            }
            try Self.checkVersion(db, articleID: articleID, expected: expectedVersion)
            let rows = try Self.decisionRows(db, articleID: articleID)
            let undone = Set(rows.compactMap(\.undoes))
            guard let target = rows.last(where: { $0.undoes == nil && !undone.contains($0.id) }) else { return nil }
            // The value before the target: the newest row of the same kind written before it.
            let before = rows.last { $0.kind == target.kind && $0.id < target.id }?.value ?? ""
            let id = try Self.appendDecision(db, articleID: articleID, kind: target.kind, value: before, author: author,
                                             note: "undo of decision #\(target.id)", at: date, undoes: target.id)
            if target.kind == "exclusion" { try Self.applyExclusion(db, articleID: articleID, machine: article["machineExclusion"]) }
            return (id, target)
        }
        return result.map { (ReviewWrite(version: $0.0, changeTokenBefore: before, changeTokenAfter: after), $0.1) }
    }

    static func checkVersion(_ db: Database, articleID: String, expected: Int64) throws {
        let rows = try decisionRows(db, articleID: articleID)
        let current = rows.last?.id ?? 0
        guard current == expected else {
            throw StaleReviewVersion(articleID: articleID, expected: expected, current: current,
                                     changedBy: rows.last?.author, changedAt: rows.last?.decidedAt)
        }
    }

    /// Appends a decision row with the value it replaces; returns its id (the new version).
    static func appendDecision(_ db: Database, articleID: String, kind: String, value: String, author: String,
                               note: String?, at date: Date, undoes: Int64?) throws -> Int64 {
        let previous = try decisionRows(db, articleID: articleID).last { $0.kind == kind }?.value
        try db.execute(sql: """
            INSERT INTO decision (subject, kind, value, author, decidedAt, note, previousValue, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [subject(articleID), kind, value, author, date, note, previous, undoes])
        return db.lastInsertedRowID
    }

    /// Re-derives `article.exclusion` from the rules' verdict and the newest exclusion decision.
    static func applyExclusion(_ db: Database, articleID: String, machine: String?) throws {
        let decision = try decisionRows(db, articleID: articleID).last { $0.kind == "exclusion" }.flatMap { $0.value.isEmpty ? nil : $0.value }
        try db.execute(sql: "UPDATE article SET exclusion = ? WHERE id = ?",
                       arguments: [effectiveExclusion(machine: machine, decision: decision), articleID])
    }

    /// A write transaction that takes the write lock at its start, so a check made inside it
    /// still holds when it commits, also against another process. Also returns the change
    /// tokens before and after: no other connection can commit while the lock is held, and
    /// `data_version` only moves for other connections' commits.
    func writeImmediately<T>(_ body: (Database) throws -> T) throws -> (T, before: String, after: String) {
        try database.writeWithoutTransaction { db in
            var result: T?
            var dataVersion: Int64 = 0
            var before = ""
            try db.inTransaction(.immediate) {
                dataVersion = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
                before = "\(dataVersion)-\(db.totalChangesCount)"
                result = try body(db)
                return .commit
            }
            return (result!, before, "\(dataVersion)-\(db.totalChangesCount)")
        }
    }
}
