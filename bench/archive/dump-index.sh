#!/usr/bin/env bash
# A canonical text dump of a study's archive index, for checking that a change to the scanner
# leaves the index exactly as it was: every image with its path, every finding with its
# directory and image path, every directory (scan times left out). Works on both index shapes
# (v1: text paths; v2: integer keys with the archiveImageFile view).
#
#   bench/archive/dump-index.sh STUDY/study.sqlite | md5sum
#
# WITHOUT_SETTINGS=1 leaves out each directory's digest and settings fingerprint: for comparing
# builds whose derivation version differs on purpose (ScanOptions.fingerprint), where every image
# row and finding must still be the same.
set -euo pipefail
db="$1"
dircols="digest, settings, "
if [ "${WITHOUT_SETTINGS:-0}" = 1 ]; then dircols=""; fi
cols="name, extension, size, mtimeNs, sidecar, sidecarSize, sidecarMtimeNs, metadataFormat, metadataOrigin, instrument, instrumentOrigin, technique, detector, detectorClass, acquiredAt, date, dateOrigin, year, magnification, pixelSizeNm, widthPx, heightPx, fovNm, fovOrigin, scaleBarNm, decadeNm, acceleratingVoltageV"
if [ -n "$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE name = 'archiveImageFile'")" ]; then
  sqlite3 "$db" "SELECT path, directoryPath, $cols FROM archiveImageFile ORDER BY path;
    SELECT d.path, CASE WHEN i.id IS NULL THEN NULL ELSE d2.path || '/' || i.name END, f.kind, f.path, f.line, f.message
      FROM archiveFinding f JOIN archiveDirectory d ON d.id = f.directory
      LEFT JOIN archiveImage i ON i.id = f.image LEFT JOIN archiveDirectory d2 ON d2.id = i.directory
      ORDER BY d.path, f.kind, f.path, f.message;
    SELECT path, root, ${dircols}unreadable, fileCount FROM archiveDirectory ORDER BY path;"
else
  sqlite3 "$db" "SELECT path, directory, $cols FROM archiveImage ORDER BY path;
    SELECT directory, image, kind, path, line, message FROM archiveFinding ORDER BY directory, kind, path, message;
    SELECT path, root, ${dircols}unreadable, fileCount FROM archiveDirectory ORDER BY path;"
fi
