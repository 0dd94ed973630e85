/// A document type in one vocabulary across databases. The raw value a database used is kept
/// beside it (`BibRecord.rawDocumentType`), because the names change between databases and years.
public enum DocumentType: String, CaseIterable, Hashable, Sendable, Codable {
    case article
    case review
    case conferencePaper = "conference-paper"
    /// A whole proceedings volume listed as one record (Scopus "Conference Review").
    case conferenceReview = "conference-review"
    case erratum
    case retraction
    case editorial
    case letter
    case note
    case newsItem = "news-item"
    case meetingAbstract = "meeting-abstract"
    case bookReview = "book-review"
    case shortSurvey = "short-survey"
    case book
    case bookChapter = "book-chapter"
    case dataPaper = "data-paper"
    case preprint
    case other
    /// The export gave no document type.
    case unknown

    /// Database names → canonical type, compared case-insensitively after trimming. WoS may give
    /// several ("Article; Proceedings Paper"): `init(raw:)` splits on ";" and keeps the most
    /// specific exclusion-relevant one (see `priority`).
    static let names: [String: DocumentType] = [
        // Scopus (CSV/RIS/BibTeX), both capitalisations seen over the years.
        "article": .article, "article in press": .article, "ar": .article,
        "review": .review, "re": .review, "systematic review": .review,
        "short survey": .shortSurvey, "sh": .shortSurvey,
        "conference paper": .conferencePaper, "cp": .conferencePaper,
        "conference review": .conferenceReview, "cr": .conferenceReview,
        "erratum": .erratum, "er": .erratum, "correction": .erratum, "corrected article": .erratum,
        "addendum": .erratum, "correction, addition": .erratum,
        "retracted": .retraction, "retraction": .retraction, "retracted publication": .retraction,
        "retracted article": .retraction,
        "editorial": .editorial, "ed": .editorial, "editorial material": .editorial,
        "note": .note, "no": .note,
        "letter": .letter, "le": .letter,
        "news item": .newsItem, "news": .newsItem,
        "meeting abstract": .meetingAbstract,
        "book review": .bookReview,
        "book": .book, "bk": .book, "book chapter": .bookChapter, "ch": .bookChapter,
        "data paper": .dataPaper, "dp": .dataPaper, "data-paper": .dataPaper,
        // Web of Science.
        "proceedings paper": .conferencePaper, "early access": .article,
        "biographical-item": .other, "biographical item": .other, "reprint": .article,
        // RIS TY codes and BibTeX entry types (used when no explicit type field exists).
        "jour": .article, "ejour": .article, "conf": .conferencePaper, "cpaper": .conferencePaper,
        "chap": .bookChapter, "inbook": .bookChapter, "incollection": .bookChapter,
        "inproceedings": .conferencePaper, "proceedings": .conferenceReview,
        "misc": .other, "gen": .other, "unpb": .preprint,
        // Lens and OpenAlex.
        "journal article": .article, "conference proceedings article": .conferencePaper,
        "conference proceedings": .conferenceReview, "book chapter ": .bookChapter,
        "erratum ": .erratum, "paratext": .other, "preprint": .preprint, "posted-content": .preprint,
        // Crossref and Europe PMC (web APIs).
        "research-article": .article, "review-article": .review, "book-chapter": .bookChapter,
        "dataset": .other, "dissertation": .other, "report": .other, "other": .other,
        "journal-article": .article, "proceedings-article": .conferencePaper,
    ]

    /// When a record has several types, the one that decides an exclusion wins (a retracted
    /// review is a retraction, an "Article; Proceedings Paper" is an article).
    static let priority: [DocumentType] = [
        .retraction, .erratum, .conferenceReview, .review, .shortSurvey, .editorial, .bookReview,
        .meetingAbstract, .newsItem, .letter, .note, .article, .conferencePaper, .dataPaper,
        .bookChapter, .book, .preprint, .other,
    ]

    /// Maps a database's type string; nil or empty gives `.unknown`, an unseen name `.other`.
    public init(raw: String?) {
        guard let raw, !raw.isEmpty else { self = .unknown; return }
        // The spellings exports actually use ("Article", "ARTICLE", "Proceedings Paper") are
        // looked up as they are: trimming and lowercasing every record's type was 3 % of
        // `bib inspect`. Anything else takes the general path below.
        if let t = DocumentType.exact[raw] { self = t; return }
        self.init(general: raw)
    }

    /// Every name in `names` in the spellings seen in exports (as listed, upper case, first
    /// letter capitalised, each word capitalised), mapped to what the general path gives for it.
    static let exact: [String: DocumentType] = {
        var table: [String: DocumentType] = [:]
        for key in names.keys {
            let words = key.split(separator: " ", omittingEmptySubsequences: false)
            let title = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
            let first = key.prefix(1).uppercased() + key.dropFirst()
            for spelling in [key, key.uppercased(), first, title] where !spelling.isEmpty {
                table[spelling] = DocumentType(general: spelling)
            }
        }
        return table
    }()

    /// The general mapping: trims, lowercases and splits several types on ";".
    init(general raw: String) {
        // One type (nearly every record): the same answer without splitting into arrays.
        if !raw.utf8.contains(0x3B) {
            let key = raw.trimmed().lowercased()
            guard !key.isEmpty else { self = .unknown; return }
            let t = DocumentType.names[key] ?? .other
            self = DocumentType.priority.contains(t) ? t : .other
            return
        }
        // Several types ("Article; Proceedings Paper", "Article; Early Access" — a WoS record in
        // six): each piece is looked up as written, once its spaces are cut, before the general
        // trim + lowercase (splitting into arrays of Strings was 2 % of reading a WoS file).
        let u = Array(raw.utf8)
        // Non-ASCII: Character splitting as before (a ";" followed by a combining mark is one
        // Character there, and does not split).
        guard !u.contains(where: { $0 >= 0x80 }) else {
            let parts = raw.split(separator: ";").map { $0.trimmed().lowercased() }.filter { !$0.isEmpty }
            let found = parts.map { DocumentType.names[$0] ?? .other }
            guard !found.isEmpty else { self = .unknown; return }
            self = DocumentType.priority.first(where: found.contains) ?? .other
            return
        }
        var found: [DocumentType] = []
        var start = 0
        while start <= u.count {
            var end = start
            while end < u.count, u[end] != 0x3B { end += 1 }
            var lo = start, hi = end
            while lo < hi, u[lo] == 0x20 { lo += 1 }
            while hi > lo, u[hi - 1] == 0x20 { hi -= 1 }
            if lo < hi {
                let piece = String(decoding: u[lo..<hi], as: UTF8.self)
                // `exact` maps a type outside `priority` to `.other`; below, such a type is
                // passed over in favour of any listed one and gives `.other` alone — the same.
                if let t = DocumentType.exact[piece] { found.append(t) } else {
                    let key = piece.trimmed().lowercased()
                    if !key.isEmpty { found.append(DocumentType.names[key] ?? .other) }
                }
            }
            start = end + 1
        }
        guard !found.isEmpty else { self = .unknown; return }
        self = DocumentType.priority.first(where: found.contains) ?? .other
    }
}
