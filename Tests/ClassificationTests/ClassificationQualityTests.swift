import Classification
import XCTest

/// Precision and recall of the shipped rules on the hand-labelled records
/// (Fixtures/classification/labels.csv). The rules were written from the seed paper and tuned on
/// the "dev" split only; the "heldout" split measures them on records they were not tuned on.
/// Run `swift test --filter ClassificationQualityTests` to print the tables (docs/classification.md).
///
/// Floors are set a little below the figures measured when the rules were written, so a rules edit
/// that makes the classifier worse fails here.
final class ClassificationQualityTests: XCTestCase {
    /// "split/category" → (precision floor, recall floor), for categories with enough support to
    /// mean something.
    /// Measured on 2026-12-05 with the shipped rules (docs/classification.md): held-out materials
    /// 0.94/1.00, polymer 0.89/1.00, metal nanoparticles 0.75/1.00, unclassified 1.00/0.83; all
    /// materials 0.96/0.99, polymer 0.87/1.00, metal nanoparticles 0.79/0.92, biomaterials 0.78/1.00,
    /// non-metal nanoparticles 0.80/0.57, minerals 0.67/0.80, unclassified 0.97/0.90.
    static let floors: [String: (precision: Double, recall: Double)] = [
        "heldout/materials": (0.92, 0.98),
        "heldout/materials/polymer": (0.87, 0.98),
        "heldout/materials/metal-nanoparticles": (0.72, 0.95),
        "heldout/unclassified": (0.97, 0.80),
        "all/materials": (0.94, 0.97),
        "all/materials/polymer": (0.85, 0.98),
        "all/materials/metal-nanoparticles": (0.76, 0.90),
        "all/materials/biomaterials": (0.75, 0.95),
        "all/materials/nonmetal-nanoparticles": (0.75, 0.55),
        "all/materials/minerals-ceramics": (0.65, 0.75),
        "all/unclassified": (0.95, 0.88),
    ]
    /// Share of articles whose whole category set is exactly right (measured: 119 of 146).
    static let exactSetFloor = 0.80

    func testShippedRulesAgainstHandLabels() throws {
        let records = try LabelledCorpus.load()
        XCTAssertGreaterThanOrEqual(records.count, 100)
        let classifier = try Classifier(try ShippedRules.load())
        let results = classifier.classify(records.map(\.article))
        var report = ""
        let splits: [(String, (LabelledRecord) -> Bool)] = [("dev", { !$0.heldOut }), ("heldout", { $0.heldOut }), ("all", { _ in true })]
        for (split, keep) in splits {
            var labels: [String: Set<String>] = [:]
            var predicted: [String: Set<String>] = [:]
            for (r, c) in zip(records, results) where keep(r) {
                labels[r.article.id] = r.labels
                predicted[r.article.id] = Set(c.categories)
            }
            let quality = QualityReport.measure(labels: labels, predicted: predicted, taxonomy: classifier.ruleSet.taxonomy)
            let exact = labels.filter { predicted[$0.key] == $0.value }.count
            report += "\n\(split): \(labels.count) articles, \(exact) with exactly the labelled set\n"
            if split == "all" {
                XCTAssertGreaterThanOrEqual(Double(exact) / Double(labels.count), Self.exactSetFloor, "exact category sets")
            }
            report += "| category | labelled | proposed | correct | precision | recall |\n|---|---|---|---|---|---|\n"
            for q in quality {
                let f = { (x: Double?) in x.map { String(format: "%.2f", $0) } ?? "–" }
                report += "| \(q.category) | \(q.support) | \(q.truePositives + q.falsePositives) | \(q.truePositives) | \(f(q.precision)) | \(f(q.recall)) |\n"
                if let floor = Self.floors["\(split)/\(q.category)"] {
                    XCTAssertGreaterThanOrEqual(q.precision ?? 0, floor.precision, "\(split) \(q.category) precision")
                    XCTAssertGreaterThanOrEqual(q.recall ?? 0, floor.recall, "\(split) \(q.category) recall")
                }
            }
        }
        // Is the ambiguity flag worth a reviewer's attention? Exact-set accuracy with and without it.
        let flagged = zip(records, results).filter { $0.1.ambiguous }
        let clear = zip(records, results).filter { !$0.1.ambiguous }
        let right = { (pairs: [(LabelledRecord, ArticleClassification)]) in pairs.filter { Set($0.1.categories) == $0.0.labels }.count }
        report += "\nambiguous: \(flagged.count) flagged, \(right(flagged)) of them exactly right; "
            + "not flagged: \(clear.count), \(right(clear)) exactly right\n"
        print(report)
        if ProcessInfo.processInfo.environment["LOSTDATA_SHOW_ERRORS"] != nil {
            for (r, c) in zip(records, results) where Set(c.categories) != r.labels && !r.heldOut {
                print("DEV MISS \(r.article.id) labels=\(r.labels.sorted()) got=\(c.categories) scores=\(c.scores) :: \(r.article.title.prefix(70))")
            }
        }
    }

    // MARK: Primary-category agreement (docs/classification.md, "Primary-category agreement")

    /// Floors of the primary-category agreement (top-level category of the primary) on the labelled
    /// records of Fixtures/classification/primary-labels.csv, a little below what was measured on
    /// 2026-12-05: dev 245/250 (98.0 %), held out 250/274 (91.2 %), all 495/524 (94.5 %), dev
    /// without abstract and index keywords 242/250 (96.8 %).
    static let primaryFloors: [String: Double] = [
        "dev": 0.97,
        "heldout": 0.90,
        "all": 0.93,
        "dev without abstract": 0.95,
    ]

    func testPrimaryCategoryAgreement() throws {
        let records = try LabelledCorpus.loadPrimary()
        XCTAssertGreaterThanOrEqual(records.count, 500)
        let rules: RuleSet
        if let path = ProcessInfo.processInfo.environment["LOSTDATA_RULES"] {
            rules = try RuleSet.load(contentsOf: URL(fileURLWithPath: path))
        } else {
            rules = try ShippedRules.load()
        }
        let classifier = try Classifier(rules)
        let results = classifier.classify(records.map(\.article))
        var report = PrimaryAgreement(records: records, results: results, taxonomy: classifier.ruleSet.taxonomy)
        // The held-out RIS export has no abstracts; the dev records with their abstract removed show,
        // without looking at held-out data, how the rules fare on title, keywords and journal alone.
        let devOnly = records.filter { !$0.heldOut }
        let stripped = devOnly.map { r -> PrimaryLabelledRecord in var r = r; r.article.abstract = ""; r.article.indexKeywords = []; r.source = "dev without abstract"; return r }
        report.add(records: stripped, results: classifier.classify(stripped.map(\.article)), splitsOnly: ["dev without abstract"])
        print(report.text)
        for (split, floor) in Self.primaryFloors {
            XCTAssertGreaterThanOrEqual(report.share(split), floor, "\(split) primary-category agreement")
        }
        if ProcessInfo.processInfo.environment["LOSTDATA_SHOW_ERRORS"] != nil {
            let stripped = records.filter { !$0.heldOut }.map { r -> PrimaryLabelledRecord in var r = r; r.article.abstract = ""; r.article.indexKeywords = []; return r }
            for (r, c) in zip(stripped, classifier.classify(stripped.map(\.article))) where PrimaryAgreement.top(c.primary) != PrimaryAgreement.top(r.primary) {
                print("DEV-NO-ABSTRACT MISS \(r.article.id) label=\(r.primary) alt=\(r.alternative ?? "-") got=\(c.primary) scores=\(c.scores) :: \(r.article.title.prefix(80)) || \(r.article.authorKeywords.joined(separator: "; ").prefix(100))")
            }
            for (r, c) in zip(records, results) where PrimaryAgreement.top(c.primary) != PrimaryAgreement.top(r.primary) && !r.heldOut {
                print("DEV MISS \(r.article.id) label=\(r.primary) alt=\(r.alternative ?? "-") got=\(c.primary) scores=\(c.scores) :: \(r.article.title.prefix(80))")
            }
        }
    }
}

/// Agreement of the classifier's primary category with one annotator's, per split and per
/// top-level category: "agree" compares top-level categories (materials/polymer counts as
/// materials), "exact" the whole id, "either" accepts the annotator's alternative reading too.
struct PrimaryAgreement {
    struct Counts { var n = 0, agree = 0, exact = 0, either = 0 }
    var splits: [String: Counts] = [:]
    /// split → top-level label → (labelled, proposed, correct)
    var perCategory: [String: [String: (labelled: Int, proposed: Int, correct: Int)]] = [:]
    var order: [String]

    static func top(_ id: String) -> String { String(id.split(separator: "/").first ?? "") }

    init(records: [PrimaryLabelledRecord], results: [ArticleClassification], taxonomy: Taxonomy) {
        order = taxonomy.topLevel.map(\.id)
        add(records: records, results: results, splitsOnly: nil)
    }

    /// Counts `records` in their splits (dev/heldout, all, their file), or only in `splitsOnly`.
    mutating func add(records: [PrimaryLabelledRecord], results: [ArticleClassification], splitsOnly: [String]?) {
        for (r, c) in zip(records, results) {
            let agree = Self.top(c.primary) == Self.top(r.primary)
            let either = agree || r.alternative.map { Self.top($0) == Self.top(c.primary) } == true
            let fileSplit = "file " + (r.source.hasPrefix("jats/") ? "jats/*.xml" : r.source)
            for split in splitsOnly ?? [r.heldOut ? "heldout" : "dev", "all", fileSplit] {
                splits[split, default: Counts()].n += 1
                if agree { splits[split]!.agree += 1 }
                if c.primary == r.primary { splits[split]!.exact += 1 }
                if either { splits[split]!.either += 1 }
                var table = perCategory[split, default: [:]]
                table[Self.top(r.primary), default: (0, 0, 0)].labelled += 1
                table[Self.top(c.primary), default: (0, 0, 0)].proposed += 1
                if agree { table[Self.top(r.primary)]!.correct += 1 }
                perCategory[split] = table
            }
        }
    }

    func share(_ split: String) -> Double {
        guard let c = splits[split], c.n > 0 else { return 0 }
        return Double(c.agree) / Double(c.n)
    }

    var text: String {
        var out = "\nprimary-category agreement (top-level; exact id; either reading)\n"
        out += "| split | records | agree | % | exact id | either reading |\n|---|---:|---:|---:|---:|---:|\n"
        for split in splits.keys.sorted(by: { ($0.hasPrefix("file") ? 1 : 0, $0) < ($1.hasPrefix("file") ? 1 : 0, $1) }) {
            let c = splits[split]!
            out += "| \(split) | \(c.n) | \(c.agree) | \(String(format: "%.1f", 100 * Double(c.agree) / Double(c.n))) | \(c.exact) | \(c.either) |\n"
        }
        for split in ["dev", "heldout", "all", "dev without abstract"] {
            guard let table = perCategory[split] else { continue }
            out += "\n\(split): per top-level category\n| category | labelled | proposed | agree | recall | precision |\n|---|---:|---:|---:|---:|---:|\n"
            for id in order {
                guard let t = table[id] else { continue }
                let f = { (a: Int, b: Int) in b == 0 ? "–" : String(format: "%.2f", Double(a) / Double(b)) }
                out += "| \(id) | \(t.labelled) | \(t.proposed) | \(t.correct) | \(f(t.correct, t.labelled)) | \(f(t.correct, t.proposed)) |\n"
            }
        }
        return out
    }
}
