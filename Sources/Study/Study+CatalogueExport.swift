import Core
import Foundation
import GRDB
import Ledger

/// What a study sends to the cross-facility catalogue (issue 17), as plain values. The Study
/// gathers them; the Catalogue target alone turns them into PostgreSQL rows. Nothing here holds
/// image bytes or absolute paths: an image is known by a stable id derived from the facility and
/// its path relative to its archive root.
public struct CatalogueExport: Sendable {
    /// The facility the rows belong to (`--facility`, else the study's `name`).
    public var facility: String
    /// Table 1's technique columns of the facility's source, in print order.
    public var techniques: [Technique]
    /// How the facility's acquired counts are known: from the pushed images, declared in
    /// `study.yaml`, or not at all ("No data").
    public var acquiredMode: AcquiredMode
    /// Declared acquired counts (only with `.declared`).
    public var declaredAcquired: [Technique: Int]
    public var images: [Image]
    public var articles: [Article]
    /// Per-article image counts of the facility's source, after its `fold` (STEM counted as SEM…).
    public var articleImages: [ArticleImages]
    /// The other sources of the study's Table 1 (third-party baselines), as the Ledger computed them.
    public var baselines: [SourceTable]
    public var decisions: [Decision]

    public enum AcquiredMode: String, Sendable { case archive, declared, none }

    public init(facility: String, techniques: [Technique], acquiredMode: AcquiredMode, declaredAcquired: [Technique: Int],
                images: [Image], articles: [Article], articleImages: [ArticleImages], baselines: [SourceTable], decisions: [Decision]) {
        self.facility = facility; self.techniques = techniques; self.acquiredMode = acquiredMode
        self.declaredAcquired = declaredAcquired; self.images = images; self.articles = articles
        self.articleImages = articleImages; self.baselines = baselines; self.decisions = decisions
    }

    public struct Image: Sendable, Hashable {
        /// Stable: the same facility and relative path give the same id on every machine.
        public var id: String
        public var year: Int
        /// ISO date (metadata date, else file time).
        public var date: String
        public var instrument: String?
        public var technique: String?
        /// The technique Table 1 counts the image under (after the source's `fold`).
        public var countedAs: String?
        public var detectorClass: String?
        public var magnification: Double?
        public var fovNm: Double?
        public var scaleBarDecadeNm: Double?
        public var sizeBytes: Int

        public init(id: String, year: Int, date: String, instrument: String?, technique: String?, countedAs: String?,
                    detectorClass: String?, magnification: Double?, fovNm: Double?, scaleBarDecadeNm: Double?, sizeBytes: Int) {
            self.id = id; self.year = year; self.date = date; self.instrument = instrument; self.technique = technique
            self.countedAs = countedAs; self.detectorClass = detectorClass; self.magnification = magnification
            self.fovNm = fovNm; self.scaleBarDecadeNm = scaleBarDecadeNm; self.sizeBytes = sizeBytes
        }
    }

    public struct Article: Sendable, Hashable {
        public var id: String
        public var doi: String?
        public var title: String?
        public var year: Int?
        public var journal: String?
        /// Categories after people's decisions (a decision wins over the classifier's proposal).
        public var categories: [String]
        /// Why the bibliography set the article aside; nil when it counts.
        public var exclusion: String?

        public init(id: String, doi: String?, title: String?, year: Int?, journal: String?, categories: [String], exclusion: String?) {
            self.id = id; self.doi = doi; self.title = title; self.year = year; self.journal = journal
            self.categories = categories; self.exclusion = exclusion
        }
    }

    public struct Decision: Sendable, Hashable {
        public var subject: String
        public var kind: String
        public var value: String
        public var author: String
        public var decidedAt: Date
        public var note: String?

        public init(subject: String, kind: String, value: String, author: String, decidedAt: Date, note: String?) {
            self.subject = subject; self.kind = kind; self.value = value; self.author = author
            self.decidedAt = decidedAt; self.note = note
        }
    }

    /// The id of an image: 128 bits of two FNV-1a hashes over facility, NUL, relative path.
    /// A hash, not the path, so that folder names (often people's or projects' names) stay home.
    public static func imageID(facility: String, relativePath: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142
        func mix(_ byte: UInt8) {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = b ^ (b >> 29)
        }
        for byte in facility.utf8 { mix(byte) }
        mix(0)
        for byte in relativePath.utf8 { mix(byte) }
        return String(format: "%016llx%016llx", a, b)
    }
}

extension Study {
    /// Gathers everything `catalogue push` sends. The facility's source is the first declared
    /// source whose acquired images come from the archive, else the first source; the others are
    /// baselines.
    public func catalogueExport(facility: String? = nil) throws -> CatalogueExport {
        let inputs = try table1Inputs()
        let facilityName = facility ?? file.name
        let declarations = file.sources
        let index = declarations.firstIndex { $0.acquired == .archive } ?? 0
        let declaration = declarations[index]
        let input = inputs.sources[index]
        let articleImages: [ArticleImages]
        switch input.published {
        case .articles(let list):
            articleImages = list.map { a in
                var folded: [Technique: Int] = [:]
                for (t, n) in a.images { folded[input.fold[t] ?? t, default: 0] += n }
                return ArticleImages(id: a.id, images: folded)
            }
        case .aggregates:
            throw InputError("source '\(declaration.name)' states its published counts only as totals; the catalogue needs per-article counts (articles: figures or a CSV)",
                             file: directory.appendingPathComponent(StudyFile.fileName).path)
        }
        let mode: CatalogueExport.AcquiredMode
        var declared: [Technique: Int] = [:]
        switch declaration.acquired {
        case .archive: mode = .archive
        case .counts(let c): mode = .declared; declared = c
        case .none: mode = .none
        }
        let baselines = inputs.sources.enumerated().filter { $0.offset != index }.map { Ledger.sourceTable($0.element) }
        return try database.read { db in
            CatalogueExport(
                facility: facilityName, techniques: declaration.techniques, acquiredMode: mode, declaredAcquired: declared,
                images: try Self.catalogueImages(db, facility: facilityName, fold: declaration.fold),
                articles: try Self.catalogueArticles(db),
                articleImages: articleImages, baselines: baselines,
                decisions: try Self.catalogueDecisions(db))
        }
    }

    static func catalogueImages(_ db: Database, facility: String, fold: [Technique: Technique]) throws -> [CatalogueExport.Image] {
        guard try db.tableExists("archiveImage") else { return [] }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT d.path AS directory, d.root AS root, i.name, i.year, i.date, i.instrument, i.technique,
                   i.detectorClass, i.magnification, i.fovNm, i.decadeNm, i.size
            FROM archiveImage i JOIN archiveDirectory d ON d.id = i.directory
            """)
        var out: [CatalogueExport.Image] = []
        while let row = try rows.next() {
            let directory: String = row["directory"], root: String = row["root"], name: String = row["name"]
            // The path below the archive root: the same image scanned from another mount point
            // keeps its id.
            var relative = directory.hasPrefix(root) ? String(directory.dropFirst(root.count)) : directory
            while relative.hasPrefix("/") { relative.removeFirst() }
            let path = relative.isEmpty ? name : relative + "/" + name
            let technique: String? = row["technique"]
            let countedAs = technique.flatMap(Technique.init(name:)).map { (fold[$0] ?? $0).rawValue } ?? technique
            out.append(CatalogueExport.Image(
                id: CatalogueExport.imageID(facility: facility, relativePath: path),
                year: row["year"], date: row["date"], instrument: row["instrument"], technique: technique,
                countedAs: countedAs, detectorClass: row["detectorClass"], magnification: row["magnification"],
                fovNm: row["fovNm"], scaleBarDecadeNm: row["decadeNm"], sizeBytes: row["size"]))
        }
        return out
    }

    static func catalogueArticles(_ db: Database) throws -> [CatalogueExport.Article] {
        guard try db.tableExists("article") else { return [] }
        var categories: [String: [String]] = [:]
        if try db.tableExists("classification") {
            for item in try reviewItems(db) { categories[item.articleID] = item.decision?.categories ?? item.suggested }
        }
        return try Row.fetchAll(db, sql: "SELECT id, doi, title, year, sourceTitle, exclusion FROM article ORDER BY id").map { row in
            let id: String = row["id"]
            return CatalogueExport.Article(id: id, doi: row["doi"], title: row["title"], year: row["year"],
                                           journal: row["sourceTitle"], categories: categories[id] ?? [],
                                           exclusion: row["exclusion"])
        }
    }

    static func catalogueDecisions(_ db: Database) throws -> [CatalogueExport.Decision] {
        try Row.fetchAll(db, sql: "SELECT subject, kind, value, author, decidedAt, note FROM decision ORDER BY id").map { row in
            CatalogueExport.Decision(subject: row["subject"], kind: row["kind"], value: row["value"],
                                     author: row["author"], decidedAt: row["decidedAt"], note: row["note"])
        }
    }
}
