import Core
import Foundation

/// Reads per-article image counts a study declares in a CSV file:
///
///     id,SEM,STEM,TEM
///     LD2024-001,12,0,3
///
/// `id` is required; technique columns are optional and named SEM, STEM, TEM in any case and
/// order; other columns (doi, year, title, …) are carried for people and ignored here. An empty
/// cell is 0. A row with a bad number is rejected with its line while the others are kept.
public enum DeclaredArticleCounts {
    public struct Result: Sendable {
        public var articles: [ArticleImages]
        public var rejected: [InputError]
    }

    public static func parse(_ bytes: some Collection<UInt8>, file: String) throws -> Result {
        let (rows, csvError) = CSV.parse(bytes)
        guard let header = rows.first else { throw InputError("no header row (expected id,SEM,TEM,…)", file: file, line: 1) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let idColumn = names.firstIndex(where: { $0.lowercased() == "id" }) else {
            throw InputError("the header has no 'id' column", file: file, line: header.line)
        }
        let techniqueColumns: [(Int, Technique)] = names.enumerated().compactMap { i, n in Technique(name: n).map { (i, $0) } }
        guard !techniqueColumns.isEmpty else {
            throw InputError("the header names no technique column (SEM, STEM, TEM)", file: file, line: header.line)
        }
        var articles: [ArticleImages] = []
        var rejected: [InputError] = []
        var seen: [String: Int] = [:]
        rows: for row in rows.dropFirst() {
            guard row.fields.count == names.count else {
                rejected.append(InputError("expected \(names.count) cells, found \(row.fields.count)", file: file, line: row.line))
                continue
            }
            let id = row.fields[idColumn].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { rejected.append(InputError("empty id", file: file, line: row.line)); continue }
            if let first = seen[id] {
                rejected.append(InputError("id '\(id)' already used on line \(first)", file: file, line: row.line))
                continue
            }
            var images: [Technique: Int] = [:]
            for (i, t) in techniqueColumns {
                let cell = row.fields[i].trimmingCharacters(in: .whitespaces)
                if cell.isEmpty { continue }
                guard let n = Int(cell), n >= 0 else {
                    rejected.append(InputError("\(t) count '\(cell)' is not a whole number ≥ 0", file: file, line: row.line))
                    continue rows
                }
                if n > 0 { images[t, default: 0] += n }
            }
            seen[id] = row.line
            articles.append(ArticleImages(id: id, images: images))
        }
        if case .unterminatedQuote(let line) = csvError {
            rejected.append(InputError("a quoted cell is never closed; the rest of the file is unread", file: file, line: line))
        }
        return Result(articles: articles, rejected: rejected)
    }
}
