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
    /// Read one by one when the push sends them: a facility's 10⁵–10⁶ images never sit in memory.
    public var images: ImageRows
    public var articles: [Article]
    /// Per-article image counts of the facility's source, after its `fold` (STEM counted as SEM…).
    public var articleImages: [ArticleImages]
    /// The other sources of the study's Table 1 (third-party baselines), as the Ledger computed them.
    public var baselines: [SourceTable]
    public var decisions: [Decision]

    public enum AcquiredMode: String, Sendable { case archive, declared, none }

    public init(facility: String, techniques: [Technique], acquiredMode: AcquiredMode, declaredAcquired: [Technique: Int],
                images: ImageRows, articles: [Article], articleImages: [ArticleImages], baselines: [SourceTable], decisions: [Decision]) {
        self.facility = facility; self.techniques = techniques; self.acquiredMode = acquiredMode
        self.declaredAcquired = declaredAcquired; self.images = images; self.articles = articles
        self.articleImages = articleImages; self.baselines = baselines; self.decisions = decisions
    }

    public init(facility: String, techniques: [Technique], acquiredMode: AcquiredMode, declaredAcquired: [Technique: Int],
                images: [Image], articles: [Article], articleImages: [ArticleImages], baselines: [SourceTable], decisions: [Decision]) {
        self.init(facility: facility, techniques: techniques, acquiredMode: acquiredMode, declaredAcquired: declaredAcquired,
                  images: ImageRows(images), articles: articles, articleImages: articleImages, baselines: baselines, decisions: decisions)
    }

    /// A facility's images as a sequence read on demand (from the study's database, or a list).
    public struct ImageRows: Sendable {
        /// How many rows `forEach` gives (counted when the export was gathered).
        public let count: Int
        private let each: @Sendable (_ body: (Image) throws -> Void) throws -> Void

        public init(count: Int, each: @escaping @Sendable (_ body: (Image) throws -> Void) throws -> Void) {
            self.count = count
            self.each = each
        }

        public init(_ list: [Image]) {
            self.init(count: list.count) { body in for image in list { try body(image) } }
        }

        public var isEmpty: Bool { count == 0 }

        /// Calls `body` with every image, in the study's storage order.
        public func forEach(_ body: (Image) throws -> Void) throws { try each(body) }
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
        var h = ImageIDHash(facility: facility)
        h.add(relativePath)
        return h.hex
    }
}

/// `CatalogueExport.imageID` in steps: the state after the facility (and after a directory's
/// relative path) is computed once and continued per file name, instead of hashing
/// facility + path again for each of 10⁵ images.
public struct ImageIDHash: Sendable {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142

    public init(facility: String) {
        add(facility)
        mix(0)
    }

    @inline(__always) private mutating func mix(_ byte: UInt8) {
        a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        b = b ^ (b >> 29)
    }

    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { for byte in $0 { mix(byte) } }
    }

    public mutating func add(byte: UInt8) { mix(byte) }

    /// 32 lowercase hex digits (a then b), as `String(format: "%016llx%016llx")` wrote them.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 32) { out in
            for (offset, value) in [(0, a), (16, b)] {
                for i in 0..<16 { out[offset + i] = digits[Int((value >> UInt64(60 - 4 * i)) & 0xF)] }
            }
            return 32
        }
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
                images: try catalogueImages(db, facility: facilityName, fold: declaration.fold),
                articles: try Self.catalogueArticles(db),
                articleImages: articleImages, baselines: baselines,
                decisions: try Self.catalogueDecisions(db))
        }
    }

    /// The images as rows read when the push asks for them (one read transaction, in the study's
    /// storage order). Directories are read first: each one's path below its archive root is
    /// hashed once into the id state its images continue from.
    func catalogueImages(_ db: Database, facility: String, fold: [Technique: Technique]) throws -> CatalogueExport.ImageRows {
        guard try db.tableExists("archiveImage") else { return CatalogueExport.ImageRows([]) }
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM archiveImage") ?? 0
        let database = self.database
        return CatalogueExport.ImageRows(count: count) { body in
            try database.read { db in
                let base = ImageIDHash(facility: facility)
                var directories: [Int64: ImageIDHash] = [:]
                let dirs = try Row.fetchCursor(db, sql: "SELECT id, path, root FROM archiveDirectory")
                while let row = try dirs.next() {
                    let directory: String = row[1], root: String = row[2]
                    // The path below the archive root: the same image scanned from another mount
                    // point keeps its id.
                    var relative = directory.hasPrefix(root) ? String(directory.dropFirst(root.count)) : directory
                    while relative.hasPrefix("/") { relative.removeFirst() }
                    var h = base
                    if !relative.isEmpty { h.add(relative); h.add(byte: 0x2F) }
                    directories[row[0]] = h
                }
                var countedAs: [String: String] = [:]
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT directory, name, year, date, instrument, technique, detectorClass, magnification, fovNm, decadeNm, size
                    FROM archiveImage ORDER BY id
                    """)
                while let row = try rows.next() {
                    let directoryID: Int64 = row[0]
                    guard var h = directories[directoryID] else { continue }
                    h.add(row[1] as String)
                    let technique: String? = row[5]
                    var counted: String?
                    if let technique {
                        if let known = countedAs[technique] {
                            counted = known
                        } else {
                            counted = Technique(name: technique).map { (fold[$0] ?? $0).rawValue } ?? technique
                            countedAs[technique] = counted
                        }
                    }
                    try body(CatalogueExport.Image(
                        id: h.hex, year: row[2], date: row[3], instrument: row[4], technique: technique,
                        countedAs: counted, detectorClass: row[6], magnification: row[7],
                        fovNm: row[8], scaleBarDecadeNm: row[9], sizeBytes: row[10]))
                }
            }
        }
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
