-- Figure counts for the demo articles of demo-articles.ris (imported with `lostdata bib import`),
-- written straight into the Figures stage's `figureCount` table so that Figure 3B has images by
-- category and year without JATS files. Article ids are the Bibliography stage's (doi:<DOI>).
-- figureCount exists in every study (the Figures stage's migration); only the contract columns
-- matter here, the others get neutral values.
INSERT INTO figureCount (file, position, doi, articleId, baseline, semImages, stemImages, temImages,
  figures, emFigures, mainImages, supplementImages, supplementItems, uncountedSupplements, lowerBound,
  reusedImages, flags, scaleBarsNm, importedAt) VALUES
 ('cat1.xml', 0, '10.1000/cat1', 'doi:10.1000/cat1', NULL, 2, 1, 4, 1, 1, 7, 0, 0, 0, 0, 0, '[]', '[]', '2026-01-01'),
 ('mof1.xml', 0, '10.1000/mof1', 'doi:10.1000/mof1', NULL, 5, 0, 1, 1, 1, 6, 0, 0, 0, 0, 0, '[]', '[]', '2026-01-01'),
 ('mc1.xml', 0, '10.1000/mc1', 'doi:10.1000/mc1', NULL, 0, 3, 6, 1, 1, 9, 0, 0, 0, 0, 0, '[]', '[]', '2026-01-01'),
 ('base.xml', 0, '10.1000/zzz', NULL, 'acsnano', 9, 9, 9, 1, 1, 27, 0, 0, 0, 0, 0, '[]', '[]', '2026-01-01'),
 ('il1-baseline.xml', 0, '10.1000/il1', 'doi:10.1000/il1', 'small', 7, 0, 0, 1, 1, 7, 0, 0, 0, 0, 0, '[]', '[]', '2026-01-01');
