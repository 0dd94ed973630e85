import Core

/// Joins what was acquired with what was published: the computation behind Table 1.
///
/// Pure: values in, values out. The Study decides where the inputs come from (declared
/// counts, the archive index, the figures stage); Reports decides how the table looks.
public enum Ledger {
    /// Table 1 for all sources; with `trimOutliers: N`, per-article sources first drop every
    /// article showing more than N images (all techniques together).
    public static func table1(_ sources: [SourceInput], trimOutliers: Int? = nil) -> Table1 {
        Table1(sources: sources.map { sourceTable($0, trimOutliers: trimOutliers) })
    }

    public static func sourceTable(_ source: SourceInput, trimOutliers: Int? = nil) -> SourceTable {
        switch source.published {
        case .articles(let raw):
            let folded = raw.map { fold($0, source.fold) }
            var kept = folded
            var trim: TrimReport?
            if let threshold = trimOutliers {
                let out = folded.filter { $0.total > threshold }
                kept = folded.filter { $0.total <= threshold }
                trim = TrimReport(threshold: threshold, applicable: true,
                                  trimmed: out.map { TrimmedArticle(id: $0.id, images: $0.total) }
                                      .sorted { ($0.images, $1.id) > ($1.images, $0.id) },
                                  before: tally(folded), after: tally(kept))
            }
            return SourceTable(name: source.name, columns: columns(source, articles: kept), trim: trim)
        case .aggregates(let agg):
            var cols: [Table1Column] = source.techniques.map { t in
                let tally = agg.byTechnique[t] ?? Tally(articles: 0, images: 0)
                return column(.technique(t), acquired: source.acquired?[t], tally)
            }
            let totalImages = agg.totalImages ?? source.techniques.reduce(0) { $0 + (agg.byTechnique[$1]?.images ?? 0) }
            cols.append(column(.total, acquired: totalAcquired(source), Tally(articles: agg.distinctArticles, images: totalImages)))
            let trim = trimOutliers.map { threshold in
                let t = Tally(articles: agg.distinctArticles, images: totalImages)
                return TrimReport(threshold: threshold, applicable: false, trimmed: [], before: t, after: t)
            }
            return SourceTable(name: source.name, columns: cols, trim: trim)
        }
    }

    /// Moves folded techniques' images into the technique they count as.
    static func fold(_ article: ArticleImages, _ fold: [Technique: Technique]) -> ArticleImages {
        guard !fold.isEmpty else { return article }
        var images: [Technique: Int] = [:]
        for (t, n) in article.images { images[fold[t] ?? t, default: 0] += n }
        return ArticleImages(id: article.id, images: images)
    }

    /// Distinct articles with at least one image, and their images.
    static func tally(_ articles: [ArticleImages]) -> Tally {
        let shown = articles.filter { $0.total > 0 }
        return Tally(articles: shown.count, images: shown.reduce(0) { $0 + $1.total })
    }

    static func columns(_ source: SourceInput, articles: [ArticleImages]) -> [Table1Column] {
        var cols: [Table1Column] = source.techniques.map { t in
            let with = articles.filter { ($0.images[t] ?? 0) > 0 }
            let tally = Tally(articles: with.count, images: with.reduce(0) { $0 + $1.images[t]! })
            return column(.technique(t), acquired: source.acquired?[t], tally)
        }
        // TOTAL counts each article once, however many techniques it uses (238 + 94 − 40 = 292),
        // and only the declared techniques' images.
        let declared = Set(source.techniques)
        let restricted = articles.map { a in
            ArticleImages(id: a.id, images: a.images.filter { declared.contains($0.key) })
        }
        cols.append(column(.total, acquired: totalAcquired(source), tally(restricted)))
        return cols
    }

    /// The sum over the source's techniques, or nil if any technique lacks acquisition data.
    static func totalAcquired(_ source: SourceInput) -> Int? {
        guard let acquired = source.acquired else { return nil }
        var sum = 0
        for t in source.techniques {
            guard let n = acquired[t] else { return nil }
            sum += n
        }
        return sum
    }

    static func column(_ key: ColumnKey, acquired: Int?, _ tally: Tally) -> Table1Column {
        let published = acquired.flatMap { Hundredths(percent: tally.images, of: $0) }
        // Lost = 100 − Published, taken from the exact ratio before rounding (not 100 − the
        // rounded figure), so that both round half-up on their own.
        let lost = acquired.flatMap { a in a > 0 && tally.images <= a ? Hundredths(percent: a - tally.images, of: a) : nil }
        return Table1Column(key: key, acquired: acquired, articles: tally.articles, images: tally.images,
                            imagesPerArticle: Hundredths(ratio: tally.images, tally.articles),
                            publishedPercent: published, lostPercent: lost)
    }
}
