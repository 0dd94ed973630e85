/// Makes one record of a cluster: the survivor's values, with every field it lacks taken from the
/// other members in precedence order. Nothing is averaged — ScientoPy silently averaged citation
/// counts; here the survivor's count stands and the others stay visible in the sources.
enum RecordMerger {
    static func merge(_ members: [BibRecord]) -> BibRecord {
        guard var r = members.first else { preconditionFailure("a cluster has at least one member") }
        for o in members.dropFirst() {
            fill(&r.title, o.title)
            if r.authors.isEmpty { r.authors = o.authors }
            fill(&r.year, o.year)
            fill(&r.sourceTitle, o.sourceTitle)
            fill(&r.issn, o.issn)
            fill(&r.eissn, o.eissn)
            fill(&r.volume, o.volume)
            fill(&r.issue, o.issue)
            fill(&r.pages, o.pages)
            fill(&r.doi, o.doi)
            fill(&r.eid, o.eid)
            fill(&r.ut, o.ut)
            fill(&r.pmid, o.pmid)
            if r.documentType == .unknown { r.documentType = o.documentType; r.rawDocumentType = o.rawDocumentType }
            if r.languages.isEmpty { r.languages = o.languages }
            fill(&r.abstract, o.abstract)
            if r.authorKeywords.isEmpty { r.authorKeywords = o.authorKeywords }
            if r.indexKeywords.isEmpty { r.indexKeywords = o.indexKeywords }
            if r.affiliations.isEmpty { r.affiliations = o.affiliations }
            fill(&r.citedBy, o.citedBy)
            fill(&r.publisher, o.publisher)
        }
        return r
    }

    static func fill<T>(_ field: inout T?, _ other: T?) {
        if field == nil { field = other }
    }
}
