/// The `study.yaml` that `lostdata init` writes: every key present or shown in a comment, so a
/// person can edit it without opening the docs (docs/study-file.md has the full reference).
enum StudyTemplate {
    static func text(name: String) -> String {
        let quoted = "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        return """
        # lostdata study file. Reference: docs/study-file.md
        # Unknown keys are errors, so a typo cannot silently change a result.

        # A title for reports.
        name: \(quoted)

        # Publication years the study covers, inclusive. Records outside are excluded
        # as out-of-range (reversibly: `lostdata bib include ID`).
        # period: {from: 2011, to: 2023}

        # Table 1's data sources, in print order.
        sources:
          - name: Core user facility
            # Technique columns, in print order (SEM, STEM, TEM).
            techniques: [SEM, TEM]
            # Count one technique as another: STEM recorded on an SEM counts as SEM.
            fold: {STEM: SEM}
            # Acquired images: 'archive' (the index `lostdata archive scan` builds),
            # counts such as {SEM: 119557, TEM: 32540}, or 'none' (prints "No data").
            acquired: archive
            # Published images per article: 'figures' (what `lostdata figures import` stored)
            # or a CSV file with columns id,SEM,STEM,TEM (path relative to this file).
            articles: figures

          # A third-party baseline known only by totals:
          # - name: Third-party facilities
          #   techniques: [SEM, STEM, TEM]
          #   acquired: none
          #   aggregates:
          #     SEM: {articles: 158, images: 1624}
          #     STEM: {articles: 38, images: 274}
          #     TEM: {articles: 122, images: 818}
          #     TOTAL: {articles: 200}

        # Literature exports (`lostdata bib import`).
        # bibliography:
        #   precedence: [wos, scopus, lens, openalex, other]   # whose record survives a merge
        #   translations:                                      # translated journals beyond the shipped list
        #     issns: [1063-7834]
        #     titles: ["Physics of the Solid State"]

        # The instrument archive (`lostdata archive scan`).
        # archive:
        #   roots: [/mnt/em-archive]                  # scanned when `archive scan` gets no ROOT
        #   instruments:                              # folder → instrument, when metadata is silent
        #     - {name: SU8230, technique: SEM, path: /mnt/em-archive/SU8230}
        #     - {name: HT7700, technique: TEM, path: /mnt/em-archive/HT7700}
        #   legacyEncoding: sniff                     # cp1252, cp1251, cp932 or sniff
        #   dateToleranceHours: 36                    # metadata date vs file time

        # Figures in published articles (`lostdata figures import`).
        # figures:
        #   outlierThreshold: 50                      # EM images per article reported as outliers
        #   supplements: supplements/jats             # JATS of supplementary files

        # What `lostdata run` feeds to the stages (paths relative to this file; globs allowed).
        # The archive's folders are archive.roots, the supplements' JATS figures.supplements,
        # the rules classification.rules.
        # inputs:
        #   exports: [exports/scopus.csv, "exports/*.txt"]   # literature exports, any format
        #   articles: [jats/articles]                        # JATS of the facility's own articles
        #   baselines:                                       # JATS of a third-party source's articles
        #     - {source: Third-party facilities, jats: [jats/baseline]}   # a source declared above

        # Topic classification (`lostdata classify`, `lostdata review`).
        # classification:
        #   rules: rules.yaml                         # `lostdata rules init` writes a copy to edit
        #   ambiguityMargin: 0.2

        # Literature search and full-text fetch over open APIs (`lostdata literature`).
        # literature:
        #   mailto: facility@example.org              # contact in the User-Agent (polite pools)
        #   endpoints: {openalex: "https://api.openalex.org"}   # mirrors, proxies, tests
        #   rates: {openalex: 10, crossref: 5, europepmc: 5}   # requests per second
        #   inFlight: 2                               # transfers at once (literature search, fetch, complete)
        #   cacheHours: 24                            # cached answers younger than this are reused
        #   queries:                                  # what `literature search` and `run` repeat
        #     - {name: instruments, source: europepmc, instruments: [SU8000, HT7700], from: 2011, to: 2023}

        """
    }
}
