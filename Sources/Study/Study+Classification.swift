import Classification
import Core
import Foundation
import GRDB

/// What `lostdata classify` did.
public struct ClassifyOutcome: Sendable {
    /// Every proposal, in article order.
    public var results: [ArticleClassification]
    /// The rules used, for rendering (taxonomy order, names).
    public var ruleSet: RuleSet
    /// Where the rules came from ("(shipped) rules.yaml" or a path).
    public var rulesFile: String
    /// Articles whose recorded decision differs from the new proposal — listed, never overwritten.
    public var disagreements: [ReviewItem]
    public var warnings: [String]
    /// Articles of the study left out because the bibliography excluded them.
    public var excludedCount: Int

    public var unclassifiedCount: Int { results.filter { $0.primary == Taxonomy.unclassified }.count }
    public var ambiguousCount: Int { results.filter(\.ambiguous).count }
}

extension Study {
    /// The rules this study classifies with: `classification.rules` from study.yaml, else
    /// `rules.yaml` in the study directory, else the shipped rules. `ambiguityMargin` in study.yaml
    /// overrides the file's.
    public func classificationRules(checkingPatterns: Bool = true) throws -> (rules: RuleSet, file: String) {
        var rules: RuleSet
        var path: String
        if let given = file.classification.rules {
            let url = resolve(given)
            rules = try RuleSet.load(contentsOf: url, checkingPatterns: checkingPatterns)
            path = url.path
        } else {
            let local = directory.appendingPathComponent(ShippedRules.fileName)
            if FileManager.default.fileExists(atPath: local.path) {
                rules = try RuleSet.load(contentsOf: local, checkingPatterns: checkingPatterns)
                path = local.path
            } else {
                rules = try ShippedRules.load(checkingPatterns: checkingPatterns)
                path = "(shipped) " + ShippedRules.fileName
            }
        }
        if let margin = file.classification.ambiguityMargin { rules.ambiguityMargin = margin }
        return (rules, path)
    }

    /// The categories of the study's rules, without compiling the rules' patterns (a report, the
    /// review pages and summaries need names and order, not matching).
    public func classificationTaxonomy() throws -> Taxonomy {
        try classificationRules(checkingPatterns: false).rules.taxonomy
    }

    /// The study's included articles (the Bibliography stage's `article` table, excluded ones
    /// left out), ready for the classifier. Empty when the bibliography has not been imported.
    public func classifiableArticles() throws -> [ClassifiableArticle] {
        try database.read { db in try Self.classifiableArticles(db) }
    }

    static func classifiableArticles(_ db: Database) throws -> [ClassifiableArticle] {
        guard try db.tableExists("article") else { return [] }
        let columns = Set(try db.columns(in: "article").map(\.name))
        let wanted = ["doi", "title", "year", "sourceTitle", "abstract", "authorKeywords", "indexKeywords"]
        let select = (["id"] + wanted.map { columns.contains($0) ? $0 : "NULL AS \($0)" }).joined(separator: ", ")
        let filter = columns.contains("exclusion") ? " WHERE exclusion IS NULL" : ""
        let rows = try Row.fetchAll(db, sql: "SELECT \(select) FROM article\(filter) ORDER BY id")
        func list(_ s: String?) -> [String] {
            (s ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return rows.compactMap { row in
            guard let id = row["id"] as String? else { return nil }
            return ClassifiableArticle(id: id, doi: row["doi"], title: row["title"] ?? "", year: row["year"],
                                       abstract: row["abstract"] ?? "", authorKeywords: list(row["authorKeywords"]),
                                       indexKeywords: list(row["indexKeywords"]), sourceTitle: row["sourceTitle"] ?? "")
        }
    }

    /// Classifies `articles` (default: the study's included articles) and stores the proposals,
    /// replacing the previous ones in one transaction. Decisions are never touched; those that
    /// now disagree with the proposal are returned.
    public func classify(articles given: [ClassifiableArticle]? = nil,
                         progress: any ProgressReporter = SilentProgress()) throws -> ClassifyOutcome {
        let (rules, rulesFile) = try classificationRules()
        let classifier = try Classifier(rules)
        let articles = try given ?? classifiableArticles()
        var warnings = rules.warnings
        var excluded = 0
        if given == nil {
            let (withoutID, excludedRows) = try database.read { db -> (Int, Int) in
                guard try db.tableExists("article") else { return (0, 0) }
                let hasExclusion = try db.columns(in: "article").contains { $0.name == "exclusion" }
                return (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article WHERE id IS NULL") ?? 0,
                        hasExclusion ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article WHERE exclusion IS NOT NULL AND id IS NOT NULL") ?? 0 : 0)
            }
            excluded = excludedRows
            if withoutID > 0 {
                warnings.append("\(withoutID) article row(s) have no id and cannot be classified (a decision needs a stable id); re-import the bibliography")
            }
            if articles.isEmpty && excluded == 0 {
                warnings.append("the study has no articles to classify; import the bibliography first")
            }
        }
        let results = classifier.classify(articles, progress: progress)
        let summary = "{\"articles\":\(results.count),\"rules\":\(ClassificationJSONText.string(rulesFile))}"
        try runStage("classification") { db in
            try db.execute(sql: "DELETE FROM classification")
            try db.execute(sql: "DELETE FROM articleCategory")
            let now = Date()
            for r in results {
                try db.execute(sql: """
                    INSERT INTO classification (articleId, doi, title, year, primaryCategory, categories, scores,
                                                ambiguous, evidence, rulesFile, classifiedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [r.articleID, r.doi, r.title, r.year, r.primary,
                                     ClassificationJSONText.array(r.categories),
                                     ClassificationJSONText.scores(r.scores, taxonomy: rules.taxonomy),
                                     r.ambiguous, ClassificationJSONText.evidence(r.evidence), rulesFile, now])
                for c in r.categories where c != Taxonomy.unclassified {
                    try db.execute(sql: "INSERT INTO articleCategory (articleId, category, score) VALUES (?, ?, ?)",
                                   arguments: [r.articleID, c, r.scores[c] ?? 0])
                }
            }
            return ((), summary)
        }
        // Only articles with a decision can disagree: compare those, without re-reading every row.
        let decisions = try database.read { db in try Self.latestCategoryDecisions(db) }
        let disagreements = results.compactMap { r -> ReviewItem? in
            guard let decision = decisions[r.articleID] else { return nil }
            let item = ReviewItem(articleID: r.articleID, doi: r.doi, title: r.title, year: r.year, suggested: r.categories,
                                  suggestedPrimary: r.primary, ambiguous: r.ambiguous, evidence: r.evidence, decision: decision)
            return item.status == .disagreeing ? item : nil
        }
        return ClassifyOutcome(results: results, ruleSet: rules, rulesFile: rulesFile,
                               disagreements: disagreements, warnings: warnings, excludedCount: excluded)
    }
}

/// JSON text for the list columns of `classification` — small, ordered, and readable by SQLite's
/// json functions and by a review page.
enum ClassificationJSONText {
    static func string(_ s: String) -> String {
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func array(_ items: [String]) -> String {
        "[" + items.map(string).joined(separator: ",") + "]"
    }

    static func scores(_ scores: [String: Double], taxonomy: Taxonomy) -> String {
        "{" + taxonomy.sorted(scores.keys).map { string($0) + ":" + String(((scores[$0] ?? 0) * 100).rounded() / 100) }
            .joined(separator: ",") + "}"
    }

    static func evidence(_ evidence: [Evidence]) -> String {
        let data = (try? JSONEncoder().encode(evidence)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeArray(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8),
              let items = try? JSONDecoder().decode([String].self, from: data) else { return [] }
        return items
    }

    static func decodeEvidence(_ text: String?) -> [Evidence] {
        guard let text, let data = text.data(using: .utf8),
              let items = try? JSONDecoder().decode([Evidence].self, from: data) else { return [] }
        return items
    }

    static func decodeScores(_ text: String?) -> [String: Double] {
        guard let text, let data = text.data(using: .utf8),
              let items = try? JSONDecoder().decode([String: Double].self, from: data) else { return [:] }
        return items
    }
}

/// Figure 3 of the paper from a study: articles per category (3A) and published images per
/// topic and year (3B). People's decisions count where they exist; proposals elsewhere.
public struct ClassificationSummary: Hashable, Sendable {
    public struct CategoryCount: Hashable, Sendable {
        public var id: String
        public var name: String
        public var parent: String?
        /// Articles in the category (an article in several categories counts in each).
        public var articles: Int
        /// Share of all classified articles, in percent.
        public var percent: Double
        /// Of those, how many carry a person's decision.
        public var reviewed: Int
    }

    public struct ImageCount: Hashable, Sendable {
        /// The top-level category of the article's primary category.
        public var category: String
        public var year: Int?
        public var articles: Int
        public var sem: Int
        public var stem: Int
        public var tem: Int
        public var images: Int { sem + stem + tem }
    }

    public var articles: Int
    public var reviewed: Int
    public var categories: [CategoryCount]
    /// nil when the study has no figure counts (the Figures stage has not run).
    public var imagesByCategoryAndYear: [ImageCount]?
}

extension Study {
    public func classificationSummary() throws -> ClassificationSummary {
        let taxonomy = try classificationTaxonomy()
        return try database.read { db in
            let items = try Self.reviewItems(db)
            var counts: [String: (Int, Int)] = [:]
            for item in items {
                for c in Set(item.effectiveCategories) {
                    counts[c, default: (0, 0)].0 += 1
                    if item.decision != nil { counts[c, default: (0, 0)].1 += 1 }
                }
            }
            let total = items.count
            // Categories a decision uses that the current rules no longer define are still counted.
            let ids = taxonomy.categories.map(\.id) + taxonomy.sorted(counts.keys.filter { !taxonomy.contains($0) })
            let categories = ids.map { id in
                let (n, reviewed) = counts[id] ?? (0, 0)
                return ClassificationSummary.CategoryCount(
                    id: id, name: taxonomy[id]?.name ?? id, parent: taxonomy[id]?.parentID,
                    articles: n, percent: total == 0 ? 0 : Double(n) * 100 / Double(total), reviewed: reviewed)
            }
            var images: [ClassificationSummary.ImageCount]? = nil
            if try db.tableExists("figureCount") {
                let primaryTop = Dictionary(items.map { item -> (String, String) in
                    let p = item.effectivePrimary
                    return (item.articleID, p.split(separator: "/").first.map(String.init) ?? p)
                }, uniquingKeysWith: { a, _ in a })
                let years = Dictionary(items.map { ($0.articleID, $0.year) }, uniquingKeysWith: { a, _ in a })
                // The articles and counts Table 1 uses (`countedArticles`: exclusions, one file per
                // article, people's image counts), each under its classification.
                var cells: [String: ClassificationSummary.ImageCount] = [:]
                for article in try Self.countedArticles(db, baseline: nil).articles {
                    guard let id = article.articleID, let category = primaryTop[id] else { continue }
                    let year = years[id] ?? nil
                    let key = category + "|" + (year.map(String.init) ?? "")
                    var cell = cells[key] ?? .init(category: category, year: year, articles: 0, sem: 0, stem: 0, tem: 0)
                    cell.articles += 1
                    cell.sem += article.images[.sem] ?? 0
                    cell.stem += article.images[.stem] ?? 0
                    cell.tem += article.images[.tem] ?? 0
                    cells[key] = cell
                }
                images = cells.values.sorted {
                    (taxonomy.order(of: $0.category), $0.year ?? 0) < (taxonomy.order(of: $1.category), $1.year ?? 0)
                }
            }
            return ClassificationSummary(articles: total, reviewed: items.filter { $0.decision != nil }.count,
                                         categories: categories, imagesByCategoryAndYear: images)
        }
    }
}
