/// Why a record is set aside from the article list. Stored as the raw value; a person can undo
/// any of them (`lostdata bib include ID`).
public enum ExclusionReason: String, CaseIterable, Hashable, Sendable, Codable {
    case review
    case erratum
    case retraction
    case editorial
    /// A whole proceedings volume listed as one record.
    case conferenceReview = "conference-review"
    /// A cover-to-cover translation of a journal published in another language.
    case translation
    /// Published outside the study's period.
    case outOfRange = "out-of-range"

    /// Document types → reason. Types not listed are research output and stay in.
    static let byDocumentType: [DocumentType: ExclusionReason] = [
        .review: .review, .shortSurvey: .review,
        .erratum: .erratum,
        .retraction: .retraction,
        .editorial: .editorial, .note: .editorial, .letter: .editorial, .newsItem: .editorial,
        .meetingAbstract: .editorial, .bookReview: .editorial,
        .conferenceReview: .conferenceReview,
    ]
}
