import Classification
import Core
import Foundation
import Hummingbird
import Study

extension Handlers {
    /// The one form target. Checks the CSRF field, reads the action, writes it through the Study
    /// with the version the page showed, and sends the browser back (303) to where it came from.
    func decide(_ request: Request, context: ReviewContext) async throws -> Response {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: ReviewContext.bodyLimit) } catch {
            throw PageError(.contentTooLarge, "The request is too large (at most \(ReviewContext.bodyLimit / 1024) KiB); nothing was saved.")
        }
        let fields = FormFields(query: String(buffer: body))
        guard let csrf = fields.first("csrf"), RunSecrets.same(csrf, server.secrets.csrf) else {
            throw PageError(.forbidden, "This change did not come from a page of this run of `lostdata review serve` (the form's check value is missing or old). Reload the page and try again.")
        }
        let id = try Self.articleID(fields.first("id"))
        guard let version = Int64(fields.first("version") ?? "") else {
            throw PageError(.badRequest, "The form did not say which version of the article it showed; reload the page.")
        }
        guard let item = try study.reviewQueueItem(id) else {
            throw PageError(.notFound, "There is no article with this id in the study.")
        }
        let note = fields.first("note").map { String($0.prefix(4000)) }
        let reviewer = server.options.reviewer
        var write: ReviewWrite?
        do {
            switch fields.first("action") ?? "" {
            case "confirm":
                write = try study.recordReview(.confirm, articleID: id, expectedVersion: version, author: reviewer, note: note, taxonomy: taxonomy)
            case "primary":
                // Keys 1–5: this category becomes the primary; the other chosen categories stay
                // (multi-label; the article page's checkboxes remove them).
                let primary = fields.first("primary") ?? ""
                let others = item.effectiveCategories.filter { $0 != Taxonomy.unclassified && $0 != primary }
                write = try study.recordReview(.categories(others, primary: primary), articleID: id, expectedVersion: version, author: reviewer, note: note, taxonomy: taxonomy)
            case "categories":
                let chosen = fields.all("category")
                guard let primary = fields.first("primary").flatMap({ $0.isEmpty ? nil : $0 }) ?? chosen.first else {
                    throw PageError(.badRequest, "Choose at least one category.")
                }
                write = try study.recordReview(.categories(chosen, primary: primary), articleID: id, expectedVersion: version, author: reviewer, note: note, taxonomy: taxonomy)
            case "exclude":
                write = try study.recordReview(.exclude(reason: fields.first("reason") ?? ""), articleID: id, expectedVersion: version, author: reviewer, note: note, taxonomy: taxonomy)
            case "include":
                write = try study.recordReview(.include, articleID: id, expectedVersion: version, author: reviewer, note: note, taxonomy: taxonomy)
            case "images":
                var counts: [Technique: Int] = [:]
                for t in Technique.allCases {
                    let text = (fields.first(t.rawValue) ?? "0").trimmingCharacters(in: .whitespaces)
                    guard let n = Int(text.isEmpty ? "0" : text), n >= 0 else {
                        throw PageError(.badRequest, "The \(t.rawValue) count must be a whole number ≥ 0 (got '\(text.prefix(40))').")
                    }
                    counts[t] = n
                }
                write = try study.recordReview(.images(counts), articleID: id, expectedVersion: version, author: reviewer, note: note, taxonomy: taxonomy)
            case "note":
                write = try study.recordReview(.note(note ?? ""), articleID: id, expectedVersion: version, author: reviewer, taxonomy: taxonomy)
            case "undo":
                guard let undone = try study.undoLastReview(articleID: id, expectedVersion: version, author: reviewer) else {
                    throw PageError(.conflict, "There is no decision about this article to undo.")
                }
                write = undone.write
            case let other:
                throw PageError(.badRequest, "Unknown action '\(other.prefix(40))'.")
            }
        } catch let e as StaleReviewVersion {
            throw PageError(.conflict, e.description)
        } catch let e as InputError {
            throw PageError(.badRequest, e.message)
        }
        if let write { try server.cache.written(write, articleID: id, study: study, taxonomy: taxonomy) }
        var headers = HTTPFields()
        headers[.location] = Self.safeBack(fields.first("back"), selecting: id)
        return Response(status: .seeOther, headers: headers)
    }

    /// Where to send the browser after a change: a path on this server only (never another
    /// host), with the article selected.
    static func safeBack(_ back: String?, selecting id: String) -> String {
        guard let back, back.hasPrefix("/"), !back.hasPrefix("//"), !back.contains("\\"), back.count < 2000,
              !back.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return "/?" + FormFields.encode([("sel", id)])
        }
        if back.hasPrefix("/?") || back == "/" {
            let kept = FormFields(query: String(back.dropFirst(2))).pairs.filter { $0.0 != "sel" }
            return "/?" + FormFields.encode(kept + [("sel", id)])
        }
        return back
    }
}
