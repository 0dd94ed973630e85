import Core
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Study {
    /// The files named by `patterns` from `study.yaml` (relative to the study): a file as given,
    /// a folder searched recursively for files whose extension is in `extensions` (any file
    /// when nil), a pattern with `*`, `?` or `[` expanded by glob(3). Sorted and without
    /// repeats; a pattern that names nothing becomes an error naming it.
    public func inputFiles(_ patterns: [String], extensions: Set<String>? = nil) -> (files: [String], errors: [InputError]) {
        var files: [String] = []
        var errors: [InputError] = []
        let yaml = directory.appendingPathComponent(StudyFile.fileName).path
        for pattern in patterns {
            let path = resolve(pattern).standardizedFileURL.path
            let matches = pattern.contains(where: { "*?[".contains($0) }) ? Self.glob(path) : [path]
            var found: [String] = []
            for m in matches {
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: m, isDirectory: &isDir) else { continue }
                if isDir.boolValue {
                    let below = Self.filesBelow(m, extensions: extensions)
                    found += below.files
                    errors += below.problems
                } else {
                    found.append(m)
                }
            }
            if found.isEmpty {
                errors.append(InputError("inputs: '\(pattern)' names no file\(extensions.map { " (looked for " + $0.sorted().map { "*." + $0 }.joined(separator: ", ") + ")" } ?? "")", file: yaml))
            }
            files += found
        }
        var seen = Set<String>()
        return (files.filter { seen.insert($0).inserted }.sorted(), errors)
    }

    static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// The files below `folder` with one of `extensions`, and the entries that would have been
    /// one but cannot be followed: a symbolic link to nothing was skipped without a word.
    static func filesBelow(_ folder: String, extensions: Set<String>?) -> (files: [String], problems: [InputError]) {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return ([], []) }
        var out: [String] = []
        var problems: [InputError] = []
        while let rel = walker.nextObject() as? String {
            let name = (rel as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            let full = (folder as NSString).appendingPathComponent(rel)
            let wanted = extensions.map { $0.contains((rel as NSString).pathExtension.lowercased()) } ?? true
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir) else {
                if wanted { problems.append(InputError("a symbolic link to nothing (\((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?")); left out", file: full)) }
                continue
            }
            guard !isDir.boolValue, wanted else { continue }
            out.append(full)
        }
        return (out.sorted(), problems.sorted { $0.location.file < $1.location.file })
    }
}
