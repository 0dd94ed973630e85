import Core
import Figures
import Foundation

/// What `figures count` and `figures import` share: finding the JATS files under the given
/// paths, reading the supplement directory, and running the Figures stage over the files on
/// every core.
enum FiguresInput {
    static let extensions: Set<String> = ["xml", "nxml"]

    /// The JATS files named by `paths`: files as given, directories searched recursively for
    /// `*.xml`/`*.nxml`, sorted within each directory. Missing paths become errors.
    static func files(_ paths: [String]) -> (files: [String], errors: [InputError]) {
        var files: [String] = []
        var errors: [InputError] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                errors.append(InputError("no such file or directory", file: path))
                continue
            }
            guard isDir.boolValue else { files.append(path); continue }
            // readdir, not FileManager's enumerator (URLs, `Any` casts and NSString paths per
            // entry: ≈ 12 ms on the main thread for 1,092 files; see FileTree).
            guard let found = FileTree.files(under: path, extensions: extensions) else {
                errors.append(InputError("cannot list the directory", file: path))
                continue
            }
            if found.isEmpty { errors.append(InputError("no *.xml or *.nxml files in this directory", file: path)) }
            files += found.sorted()
        }
        return (files, errors)
    }

    /// `files` without those inside the supplement directory: a supplement's JATS is counted as
    /// part of its article, never as an article of its own.
    static func excludingSupplements(_ files: [String], directory: String?) -> [String] {
        guard let directory else { return files }
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path + "/"
        return files.filter { !URL(fileURLWithPath: $0).standardizedFileURL.path.hasPrefix(root) }
    }

    /// The figures of every JATS file in the supplement directory, keyed for `SupplementKey`.
    static func supplements(_ directory: String?, reader: JATSReader) -> (figures: [String: [JATSFigure]], errors: [InputError]) {
        guard let directory else { return ([:], []) }
        let (paths, listErrors) = files([directory])
        var figures: [String: [JATSFigure]] = [:]
        var errors = listErrors
        for path in paths {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
                let articles = try reader.read(data, file: path)
                figures[SupplementKey.of(path)] = articles.flatMap(\.figures).filter { !$0.inSubArticle }
            } catch let e as InputError {
                errors.append(e)
            } catch {
                errors.append(InputError("cannot read the file: \(error.localizedDescription)", file: path))
            }
        }
        return (figures, errors)
    }

    /// Runs the stage over `files` in parallel; results come back in the order of `files`.
    static func count(_ files: [String], reader: JATSReader, supplements: [String: [JATSFigure]],
                      progress: any ProgressReporter) -> [Result<[ArticleFigures], InputError>] {
        counted(files, reader: reader, supplements: supplements, progress: progress, render: nil, keepArticles: true)
            .map { $0.map(\.articles) }
    }

    /// One file's articles (unless the caller only wanted them rendered), how many there were,
    /// and, when asked for, their rendered output.
    struct Counted: Sendable {
        var articles: [ArticleFigures]
        var articleCount: Int
        var rendered: String
    }

    /// Like `count`, and each file's output is rendered by `render` on the worker that read it:
    /// rendering on the main thread after the parse left one core idle while it ran. Without
    /// `keepArticles` only the rendered text comes back, so memory does not grow with the input.
    static func counted(_ files: [String], reader: JATSReader, supplements: [String: [JATSFigure]],
                        progress: any ProgressReporter, render: (@Sendable ([ArticleFigures]) -> String)?,
                        keepArticles: Bool) -> [Result<Counted, InputError>] {
        let results = ResultSlots(count: files.count)
        let done = Counter()
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let path = files[i]
            let result: Result<Counted, InputError>
            do {
                let data = try readFile(path, maxBytes: reader.maxBytes)
                let articles = try FigureCounter.count(data, file: path, reader: reader, supplements: supplements)
                result = .success(Counted(articles: keepArticles ? articles : [], articleCount: articles.count,
                                          rendered: render?(articles) ?? ""))
            } catch let e as InputError {
                result = .failure(e)
            } catch {
                result = .failure(InputError("cannot read the file: \(error.localizedDescription)", file: path))
            }
            results.set(i, result)
            progress.report(done: done.increment(), total: files.count, unit: "files")
        }
        progress.finish()
        return results.values
    }
}

extension FiguresInput {
    /// A file's bytes, refused before they are read when the file is above `maxBytes`: one open,
    /// one `fstat` on it and the reads. `stat` by path then `Data(contentsOf: URL(fileURLWithPath:))`
    /// made a URL (and a `getcwd` for a relative path), looked the name up three times — stat,
    /// lstat, open — and stat'ed twice, per file.
    static func readFile(_ path: String, maxBytes: Int) throws(InputError) -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError("cannot read the file: \(String(cString: strerror(errno)))", file: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw InputError("cannot read the file: \(String(cString: strerror(errno)))", file: path) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError("cannot read the file: it is a directory", file: path) }
        if Int(info.st_size) > maxBytes {
            throw InputError("the file is \(info.st_size) bytes, above the limit of \(maxBytes) bytes; "
                             + "raise it with --max-file-mb if the file is genuine", file: path)
        }
        // The size is a hint (a pipe says 0, a file may grow): read until end of file, and never
        // keep more than the limit allows.
        var data = Data(count: max(Int(info.st_size), 0))
        var done = 0
        while true {
            if done == data.count {
                if done > maxBytes {
                    throw InputError("the file is more than \(maxBytes) bytes, above the limit; "
                                     + "raise it with --max-file-mb if the file is genuine", file: path)
                }
                data.count = max(done * 2, 65536)
            }
            let n = data.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError("cannot read the file: \(String(cString: strerror(errno)))", file: path)
            }
            if n == 0 { break }
            done += n
        }
        data.count = done
        return data
    }
}

/// Slots filled by parallel workers, each written once.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<FiguresInput.Counted, InputError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<FiguresInput.Counted, InputError>) {
        lock.lock(); slots[i] = value; lock.unlock()
    }

    var values: [Result<FiguresInput.Counted, InputError>] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0 ?? .failure(InputError("not processed", file: "?")) }
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}
