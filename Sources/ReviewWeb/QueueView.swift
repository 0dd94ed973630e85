import Classification
import Core
import Foundation
import Study

/// What the queue shows: the filters of the request applied to the study's queue, sorted, one
/// page of rows, and the counts beside every filter (each counted with the other filters on).
struct QueueQuery: Sendable {
    var state = ""
    var category = ""
    var exclusion = ""
    var flag = ""
    var search = ""
    var sort = "id"
    var descending = false
    var page = 1
    var selected: String?

    static let pageSize = 50
    static let sorts = ["id", "title", "year", "score", "images", "state"]
    static let exclusions = ["included", "excluded", "decided"]
    static let flags = ["ambiguous", "outlier", "lower-bound", "reused", "no-full-text", "counted-by-hand"]

    init(_ fields: FormFields) {
        state = fields.first("state").flatMap { ReviewState(rawValue: $0)?.rawValue } ?? ""
        category = String((fields.first("category") ?? "").prefix(100))
        exclusion = fields.first("exclusion").flatMap { Self.exclusions.contains($0) ? $0 : nil } ?? ""
        flag = fields.first("flag").flatMap { Self.flags.contains($0) ? $0 : nil } ?? ""
        search = String((fields.first("q") ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
        sort = fields.first("sort").flatMap { Self.sorts.contains($0) ? $0 : nil } ?? "id"
        descending = fields.first("dir") == "desc"
        page = max(1, min(100_000, Int(fields.first("page") ?? "") ?? 1))
        selected = fields.first("sel")
    }

    /// The filter and sort fields, to carry along in links (not the page or selection).
    var linkFields: [(String, String)] {
        var f: [(String, String)] = []
        if !state.isEmpty { f.append(("state", state)) }
        if !category.isEmpty { f.append(("category", category)) }
        if !exclusion.isEmpty { f.append(("exclusion", exclusion)) }
        if !flag.isEmpty { f.append(("flag", flag)) }
        if !search.isEmpty { f.append(("q", search)) }
        if sort != "id" { f.append(("sort", sort)) }
        if descending { f.append(("dir", "desc")) }
        return f
    }

    static func flags(of item: ReviewQueueItem) -> [String] {
        var out: [String] = []
        if item.ambiguous { out.append("ambiguous") }
        if item.outlier { out.append("outlier") }
        if item.lowerBound { out.append("lower-bound") }
        if item.reusedImages > 0 { out.append("reused") }
        if item.noFullText { out.append("no-full-text") }
        if item.decidedImages != nil { out.append("counted-by-hand") }
        return out
    }

    static func exclusionKeys(of item: ReviewQueueItem) -> [String] {
        var out = [item.exclusion == nil ? "included" : "excluded"]
        if item.exclusionDecision != nil { out.append("decided") }
        return out
    }

    func matchesSearch(_ item: ReviewQueueItem) -> Bool {
        guard !search.isEmpty else { return true }
        for field in [item.title, item.doi ?? "", item.authors ?? "", item.articleID] where field.range(of: search, options: [.caseInsensitive, .diacriticInsensitive]) != nil {
            return true
        }
        return false
    }

    /// The four filter dimensions an item matches (state, category, exclusion, flag).
    func matches(_ item: ReviewQueueItem) -> [Bool] {
        [state.isEmpty || item.state.rawValue == state,
         category.isEmpty || item.effectiveCategories.contains(category),
         exclusion.isEmpty || Self.exclusionKeys(of: item).contains(exclusion),
         flag.isEmpty || Self.flags(of: item).contains(flag)]
    }

    /// The filtered, sorted list, and the counts per filter value.
    func apply(_ items: [ReviewQueueItem]) -> (rows: [ReviewQueueItem], counts: [[String: Int]]) {
        var counts: [[String: Int]] = [[:], [:], [:], [:]]
        var rows: [ReviewQueueItem] = []
        for item in items where matchesSearch(item) {
            let m = matches(item)
            let keys: [[String]] = [[item.state.rawValue], item.effectiveCategories, Self.exclusionKeys(of: item), Self.flags(of: item)]
            for d in 0..<4 where (0..<4).allSatisfy({ $0 == d || m[$0] }) {
                counts[d]["", default: 0] += 1
                for k in keys[d] { counts[d][k, default: 0] += 1 }
            }
            if m.allSatisfy({ $0 }) { rows.append(item) }
        }
        let order: (ReviewQueueItem, ReviewQueueItem) -> Bool
        switch sort {
        case "title": order = { $0.title.localizedCaseInsensitiveCompare($1.title) == .orderedAscending }
        case "year": order = { ($0.year ?? 0) < ($1.year ?? 0) }
        case "score": order = { ($0.score ?? 0) < ($1.score ?? 0) }
        case "images": order = { ($0.totalImages ?? -1) < ($1.totalImages ?? -1) }
        case "state": order = { ReviewState.allCases.firstIndex(of: $0.state)! < ReviewState.allCases.firstIndex(of: $1.state)! }
        default: order = { $0.articleID < $1.articleID }
        }
        if sort != "id" {
            // Stable: ties keep id order.
            let indexed = rows.enumerated().sorted { a, b in
                if order(a.element, b.element) { return !descending }
                if order(b.element, a.element) { return descending }
                return a.offset < b.offset
            }
            rows = indexed.map(\.element)
        } else if descending {
            rows.reverse()
        }
        return (rows, counts)
    }
}
