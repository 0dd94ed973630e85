import Classification
import Core
import Foundation
import Hummingbird
import Study

extension Handlers {
    /// One article: the record, the proposal and its evidence, the figures, the decision forms.
    func article(_ request: Request) throws -> Response {
        let fields = FormFields(query: request.uri.query ?? "")
        let id = try Self.articleID(fields.first("id"))
        guard let article = try study.reviewArticle(id) else {
            throw PageError(.notFound, "There is no article with this id in the study.")
        }
        let item = article.item
        // Previous and next in the queue as filtered on the page the reviewer came from.
        let query = QueueQuery(fields)
        let snapshot = try server.cache.current(study, taxonomy: taxonomy)
        let (rows, _) = query.apply(snapshot, counting: false)
        let link = query.linkFields
        func articleHref(_ other: String) -> String { "/article?" + FormFields.encode([("id", other)] + link) }
        var previous: Any = false, next: Any = false
        if let at = snapshot.position[id], let i = rows.firstIndex(of: at) {
            if i > 0 { previous = articleHref(snapshot.rows[rows[i - 1]].item.articleID) }
            if i + 1 < rows.count { next = articleHref(snapshot.rows[rows[i + 1]].item.articleID) }
        }

        // Mark, in each field, the words of each rule that counted there, as the classifier's
        // own matcher finds them (phrases and regular expressions alike).
        var rulesByField: [ArticleField: Set<String>] = [:]
        for e in article.evidence where e.points != 0 { rulesByField[e.field, default: []].insert(e.rule) }
        func marked(_ text: String?, _ field: ArticleField) -> Any {
            guard let text, !text.isEmpty else { return false }
            let ranges = (rulesByField[field] ?? []).flatMap { server.classifier.matchedRanges(ofRule: $0, in: text) }
            return HTMLText.highlight(text, ranges: ranges)
        }
        let evidence = article.evidence.sorted { abs($0.points) > abs($1.points) }.map { e -> [String: Any] in
            ["category": categoryName(e.category), "field": e.field.rawValue, "rule": e.rule,
             "text": HTMLText.highlight(e.text, ranges: server.classifier.matchedRanges(ofRule: e.rule, in: e.text)),
             "points": String(format: "%+.1f", e.points), "negative": e.points < 0]
        }
        let scores = article.scores.sorted { taxonomy.order(of: $0.key) < taxonomy.order(of: $1.key) }.map {
            ["name": categoryName($0.key), "score": String(format: "%.1f", $0.value)] as [String: Any]
        }
        let figures = article.figures.map { f -> [String: Any] in
            ["label": f.label, "supplementary": f.supplementary,
             "panels": f.panels.map { p -> [String: Any] in
                 ["label": p.label.isEmpty ? "(whole figure)" : p.label, "technique": p.technique.isEmpty ? "?" : p.technique,
                  "reused": p.reused, "words": p.words ?? "",
                  "caption": HTMLText.highlight(p.evidence, phrases: [p.label.isEmpty ? "" : "(\(p.label))"] + [p.words ?? ""])]
             }]
        }
        let chosen = Set(item.effectiveCategories)
        let categories = taxonomy.categories.map { c -> [String: Any] in
            ["id": c.id, "name": c.name, "sub": !c.isTopLevel, "checked": chosen.contains(c.id), "primary": c.id == item.effectivePrimary]
        }
        let counts = item.images ?? [:]
        let history = article.history.reversed().map { h -> [String: Any] in
            ["id": String(h.id), "kind": h.kind, "value": h.value.isEmpty ? "(withdrawn)" : h.value,
             "previous": h.previousValue.map { $0.isEmpty ? "(none)" : $0 } ?? "(none)", "author": h.author,
             "when": ISO8601DateFormatter().string(from: h.decidedAt), "note": h.note ?? ""]
        }
        var values = common(title: item.title)
        values.merge(itemValues(item)) { _, new in new }
        values["doiHref"] = item.doi.map { "https://doi.org/" + $0 } ?? false
        values.merge(Self.authorsWithAffiliations(item.authors, article.affiliations)) { _, new in new }
        values["documentType"] = article.documentType ?? false
        values["titleHTML"] = marked(item.title, .title)
        values["journalHTML"] = marked(item.journal, .sourceTitle)
        values["abstractHTML"] = marked(article.abstract, .abstract)
        values["authorKeywordsHTML"] = marked(article.authorKeywords, .authorKeywords)
        values["indexKeywordsHTML"] = marked(article.indexKeywords, .indexKeywords)
        values["evidence"] = evidence
        values["scores"] = scores
        values["machineExclusion"] = item.machineExclusion ?? false
        values["exclusionReasons"] = article.exclusionReasons ?? false
        values["reasons"] = Study.exclusionReasons.map { ["code": $0, "selected": $0 == item.exclusion] }
        values["figures"] = figures
        values["noFigures"] = figures.isEmpty
        values["figureFile"] = article.figureFile ?? false
        values["figureFlags"] = article.flags.isEmpty ? false : article.flags.joined(separator: ", ")
        values["scaleBars"] = article.scaleBarsNm.isEmpty ? false : article.scaleBarsNm.joined(separator: ", ") + " nm"
        values["figureCounts"] = item.figureImages.map { c in Technique.allCases.map { "\($0.rawValue) \(c[$0] ?? 0)" }.joined(separator: " · ") } ?? false
        values["counts"] = Technique.allCases.map { ["technique": $0.rawValue, "value": counts[$0] ?? 0] }
        values["categories"] = categories
        values["history"] = history
        values["csrf"] = server.secrets.csrf
        values["back"] = articleHref(id)
        values["queueHref"] = "/?" + FormFields.encode(link + [("sel", id)])
        values["previous"] = previous
        values["next"] = next
        values["isArticle"] = true
        return pages.render("article", values)
    }
}
