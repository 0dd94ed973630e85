-- A minimal `article` table (the Bibliography stage's contract) and `figureCount` table (the
-- Figures stage's contract) with short records written for the classification tests. The texts
-- are invented for these tests, one per category the real corpora lack.
CREATE TABLE IF NOT EXISTS article (
  id TEXT PRIMARY KEY, doi TEXT, title TEXT, year INTEGER, sourceTitle TEXT, abstract TEXT,
  authorKeywords TEXT, indexKeywords TEXT, documentType TEXT, exclusion TEXT);
INSERT INTO article VALUES
 ('doi:10.1000/cat1', '10.1000/cat1', 'Palladium nanoparticles on carbon as a recyclable catalyst for Suzuki cross-coupling', 2019,
  'ACS Catalysis', 'We prepared Pd/C catalysts and followed leaching of palladium species during the Suzuki reaction of aryl halides.',
  'heterogeneous catalysis; cross-coupling; leaching', 'PALLADIUM; CATALYSIS', 'Article', NULL),
 ('doi:10.1000/il1', '10.1000/il1', 'Imaging ionic liquid droplets by scanning electron microscopy', 2016,
  'Langmuir', 'Room-temperature ionic liquids such as [BMIM] salts are not volatile and can be imaged directly in the SEM.',
  'ionic liquids; imidazolium', '', 'Article', NULL),
 ('doi:10.1000/mc1', '10.1000/mc1', 'Electron beam-induced transformations of metal complexes observed in situ TEM', 2021,
  'Small', 'Under the electron beam, complexes decompose; we measure the electron dose at which radiation damage begins.',
  'in situ TEM; beam damage', '', 'Article', NULL),
 ('doi:10.1000/mof1', '10.1000/mof1', 'A mesoporous metal-organic framework membrane for gas separation', 2018,
  'Advanced Materials Interfaces', 'A porous MOF membrane with high BET surface area was grown on alumina supports.',
  'metal-organic frameworks; membranes; porous materials', '', 'Article', NULL),
 ('doi:10.1000/off1', '10.1000/off1', 'Shareholder activism and board diversity', 2017,
  'Journal of Management', 'We study how activist investors change the composition of corporate boards.',
  'corporate governance', '', 'Article', NULL),
 ('doi:10.1000/excl', '10.1000/excl', 'Graphene oxide membranes: an editorial', 2020,
  'Nanoscale', 'An editorial on graphene.', '', '', 'Editorial', 'document-type'),
 (NULL, NULL, 'A record without an id cannot carry a decision', 2020, '', '', '', '', 'Article', NULL);
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
