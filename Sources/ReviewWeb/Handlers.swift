import Classification
import Core
import Foundation
import Hummingbird
import Study

/// The pages and the one form target, each a function of the request and the Study.
struct Handlers: Sendable {
    let server: ReviewServer
    var pages: Pages { server.pages }
    var study: Study { server.study }
    var taxonomy: Taxonomy { server.taxonomy }

    /// An article id from a request: ids are printable text of modest length; anything else,
    /// like an id the study does not hold, gets the 404 page.
    static func articleID(_ raw: String?) throws -> String {
        guard let raw, !raw.isEmpty, raw.count <= 500, !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw PageError(.notFound, "There is no article with this id in the study.")
        }
        return raw
    }

    func categoryName(_ id: String) -> String { taxonomy[id]?.name ?? id }

    /// The top-level categories in taxonomy order: keys 1–5 choose among them.
    var keyedCategories: [Category] { Array(taxonomy.topLevel.filter { $0.id != Taxonomy.unclassified }.prefix(9)) }

    // MARK: Queue

    func queue(_ request: Request) throws -> Response {
        let fields = FormFields(query: request.uri.query ?? "")
        let query = QueueQuery(fields)
        let snapshot = try server.cache.current(study, taxonomy: taxonomy)
        let (rows, counts) = query.apply(snapshot)
        let pageCount = max(1, (rows.count + QueueQuery.pageSize - 1) / QueueQuery.pageSize)
        var page = min(query.page, pageCount)
        // The page holding the selected article, when one is named.
        if let sel = query.selected, fields.first("page") == nil, let at = snapshot.position[sel], let i = rows.firstIndex(of: at) {
            page = i / QueueQuery.pageSize + 1
        }
        let shown = rows.dropFirst((page - 1) * QueueQuery.pageSize).prefix(QueueQuery.pageSize).map { snapshot.rows[$0].item }
        // The queue opens with its first pending article selected.
        let selected = query.selected.flatMap { s in shown.contains { $0.articleID == s } ? s : nil }
            ?? shown.first { $0.state == .pending }?.articleID ?? shown.first?.articleID
        let link = query.linkFields
        // A link to the queue with some fields changed (an empty value drops the field).
        func href(_ extra: [(String, String)]) -> String {
            "/?" + FormFields.encode(link.filter { f in !extra.contains { $0.0 == f.0 } } + extra.filter { !$0.1.isEmpty })
        }

        let reviewed = snapshot.reviewed
        let perCategory = snapshot.progress.map {
            ["name": $0.category.name, "sub": !$0.category.isTopLevel, "total": $0.total, "reviewed": $0.reviewed] as [String: Any]
        }
        let agreement = snapshot.agreement.filter { $0.decided > 0 && ($0.byPeople + $0.byRules) > 0 }.map {
            ["name": categoryName($0.category), "kappa": $0.kappa.map { String(format: "%.2f", $0) } ?? "–",
             "people": $0.byPeople, "rules": $0.byRules, "decided": $0.decided] as [String: Any]
        }
        func facet(_ d: Int, _ name: String, _ values: [(String, String)]) -> [String: Any] {
            let current = [query.state, query.category, query.exclusion, query.flag][d]
            let options = ([("", "all")] + values).map { value, label -> [String: Any] in
                ["label": label, "count": counts[d][value, default: 0], "href": href([(name, value)]),
                 "current": current == value]
            }
            return ["name": name, "options": options]
        }
        let facets = [
            facet(0, "state", ReviewState.allCases.map { ($0.rawValue, $0.rawValue) }),
            facet(1, "category", taxonomy.categories.filter { counts[1][$0.id, default: 0] > 0 || $0.id == query.category }.map { ($0.id, $0.name) }),
            facet(2, "exclusion", QueueQuery.exclusions.map { ($0, $0) }),
            facet(3, "flag", QueueQuery.flags.map { ($0, $0) }),
        ]
        let sorts = QueueQuery.sorts.map { s -> [String: Any] in
            ["label": s, "current": s == query.sort,
             "href": href([("sort", s), ("dir", s == query.sort && !query.descending ? "desc" : "")])]
        }
        let rowValues = shown.map { item -> [String: Any] in
            var v = itemValues(item)
            v["selected"] = item.articleID == selected
            v["href"] = "/article?" + FormFields.encode([("id", item.articleID)] + link)
            return v
        }
        var values = common(title: "Review queue")
        values["rows"] = rowValues
        values["empty"] = rowValues.isEmpty
        values["facets"] = facets
        values["sorts"] = sorts
        values["search"] = query.search
        values["hidden"] = link.filter { $0.0 != "q" }.map { ["name": $0.0, "value": $0.1] }
        values["matching"] = rows.count
        values["total"] = snapshot.rows.count
        values["reviewed"] = reviewed
        values["percent"] = snapshot.rows.isEmpty ? "0" : String(format: "%.0f", 100 * Double(reviewed) / Double(snapshot.rows.count))
        values["perCategory"] = perCategory
        values["agreement"] = agreement
        values["page"] = page
        values["pageCount"] = pageCount
        values["prevPage"] = page > 1 ? href([("page", String(page - 1))]) : false
        values["nextPage"] = page < pageCount ? href([("page", String(page + 1))]) : false
        values["back"] = href([("page", String(page))])
        values["csrf"] = server.secrets.csrf
        values["reasons"] = Study.exclusionReasons.map { ["code": $0] }
        return pages.render("queue", values)
    }

    /// What a queue row and an article page both show about an article.
    func itemValues(_ item: ReviewQueueItem) -> [String: Any] {
        let images = item.images.map { counts in Technique.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: " · ") }
        return [
            "id": item.articleID, "title": item.title.isEmpty ? "(no title)" : item.title, "year": item.year.map(String.init) ?? "",
            "doi": item.doi ?? false, "authors": shortAuthors(item.authors), "journal": item.journal ?? "",
            "proposed": (item.proposed ?? []).map { ["name": categoryName($0), "id": $0, "primary": $0 == item.proposedPrimary] },
            "unclassifiedYet": item.proposed == nil,
            "decided": item.decided.map { d in d.categories.map { ["name": categoryName($0), "id": $0, "primary": $0 == d.primary] } } ?? false,
            "decidedBy": item.decided?.author ?? false,
            "score": item.score.map { String(format: "%.1f", $0) } ?? "–",
            "ambiguous": item.ambiguous,
            "state": item.state.rawValue,
            "excluded": item.exclusion ?? false,
            "exclusionByPerson": item.exclusionDecision != nil,
            "images": images ?? false,
            "countedByHand": item.decidedImages != nil,
            "flags": QueueQuery.flags(of: item).filter { $0 != "ambiguous" },
            "version": String(item.version),
            "note": item.note ?? false,
        ]
    }

    func shortAuthors(_ authors: String?) -> String {
        let list = (authors ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = list.first else { return "" }
        return list.count > 2 ? "\(first) et al." : list.joined(separator: "; ")
    }

    /// Values every page has: its title, the reviewer, the keyed categories for the help.
    func common(title: String) -> [String: Any] {
        ["pageTitle": title, "reviewer": server.options.reviewer, "studyName": study.file.name,
         "keyed": keyedCategories.enumerated().map { ["key": $0.offset + 1, "id": $0.element.id, "name": $0.element.name] }]
    }

    func help() -> Response {
        var values = common(title: "Keys")
        values["standalone"] = true
        return pages.render("help", values)
    }
}
