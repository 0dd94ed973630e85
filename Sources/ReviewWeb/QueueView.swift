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

    /// The filtered, sorted list (positions in the snapshot), and the counts per filter value (each dimension counted with
    /// the other filters applied, so a count says what clicking it would show).
    /// `counting` false skips the counts (the article page needs only the order, for previous/next).
    func apply(_ snapshot: QueueSnapshot, counting: Bool = true) -> (rows: [Int], counts: [[String: Int]]) {
        var counts: [[String: Int]] = [[:], [:], [:], [:]]
        var matching: [Int] = []
        let needle = Array(search.lowercased().utf8)
        let rows = snapshot.rows
        for i in rows.indices {
            let row = rows[i]
            if !needle.isEmpty && !QueueSnapshot.contains(row.entry.searchBytes, needle) { continue }
            let m0 = state.isEmpty || row.entry.state.rawValue == state
            let m1 = category.isEmpty || row.entry.categories.contains(category)
            let m2 = exclusion.isEmpty || row.entry.exclusionKeys.contains(exclusion)
            let m3 = flag.isEmpty || row.entry.flags.contains(flag)
            let failing = (m0 ? 0 : 1) + (m1 ? 0 : 1) + (m2 ? 0 : 1) + (m3 ? 0 : 1)
            if failing == 0 { matching.append(i) }
            if failing > 1 || !counting { continue }
            if failing == 0 || !m0 { counts[0]["", default: 0] += 1; counts[0][row.entry.state.rawValue, default: 0] += 1 }
            if failing == 0 || !m1 { counts[1]["", default: 0] += 1; for k in row.entry.categories { counts[1][k, default: 0] += 1 } }
            if failing == 0 || !m2 { counts[2]["", default: 0] += 1; for k in row.entry.exclusionKeys { counts[2][k, default: 0] += 1 } }
            if failing == 0 || !m3 { counts[3]["", default: 0] += 1; for k in row.entry.flags { counts[3][k, default: 0] += 1 } }
        }
        let order: (Int, Int) -> Bool
        switch sort {
        case "title": order = { rows[$0].entry.titleKey < rows[$1].entry.titleKey }
        case "year": order = { (rows[$0].item.year ?? 0) < (rows[$1].item.year ?? 0) }
        case "score": order = { (rows[$0].item.score ?? 0) < (rows[$1].item.score ?? 0) }
        case "images": order = { (rows[$0].item.totalImages ?? -1) < (rows[$1].item.totalImages ?? -1) }
        case "state": order = { ReviewState.allCases.firstIndex(of: rows[$0].entry.state)! < ReviewState.allCases.firstIndex(of: rows[$1].entry.state)! }
        default: order = { $0 < $1 }
        }
        if sort != "id" {
            // Stable: ties keep id order (the snapshot's order).
            matching.sort { a, b in
                if order(a, b) { return !descending }
                if order(b, a) { return descending }
                return a < b
            }
        } else if descending {
            matching.reverse()
        }
        return (matching, counts)
    }
}
