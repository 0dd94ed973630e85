import Core
import Foundation
import GRDB
import Logging

/// A study workspace: the directory holding `study.yaml` (what a person declares) and
/// `study.sqlite` (what the stages produced and what people decided).
///
/// The Study is the only layer that touches the database and the workspace's files. It runs the
/// stages — pure transformations — and stores their results; the CLI is a thin face over it.
public struct Study: Sendable {
    public let directory: URL
    public let file: StudyFile
    let database: DatabaseQueue
    let logger: Logger

    /// Opens an existing study.
    public static func open(_ directory: URL, logger: Logger = Logger(label: "lostdata")) throws -> Study {
        let file = try StudyFile.load(from: directory)
        let db = try StudyDatabase.open(at: directory.appendingPathComponent(StudyDatabase.fileName))
        return Study(directory: directory, file: file, database: db, logger: logger)
    }

    /// Creates a study in `directory` (made if missing): a documented `study.yaml` and an empty,
    /// migrated database. Refuses to overwrite an existing study file.
    @discardableResult
    public static func create(at directory: URL, name: String? = nil, logger: Logger = Logger(label: "lostdata")) throws -> Study {
        let fm = FileManager.default
        let yaml = directory.appendingPathComponent(StudyFile.fileName)
        if fm.fileExists(atPath: yaml.path) {
            throw InputError("a study already exists here; nothing was changed", file: yaml.path)
        }
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            let title = name ?? directory.standardizedFileURL.lastPathComponent
            try StudyTemplate.text(name: title).write(to: yaml, atomically: true, encoding: .utf8)
        } catch {
            throw InputError("cannot create the study: \(error.localizedDescription)", file: yaml.path)
        }
        return try open(directory, logger: logger)
    }

    /// Resolves a path written in `study.yaml`: relative paths are relative to the study directory.
    public func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
    }

    /// Records a stage run around `body`, in one transaction: either everything the stage wrote
    /// lands, or nothing does.
    func runStage<T>(_ stage: String, _ body: (Database) throws -> (T, summary: String?)) throws -> T {
        try database.write { db in
            let started = Date()
            let (value, summary) = try body(db)
            try db.execute(sql: "INSERT INTO stageRun (stage, startedAt, finishedAt, summary) VALUES (?, ?, ?, ?)",
                           arguments: [stage, started, Date(), summary])
            Self.pauseBeforeCommitForCrashTests(stage)
            return value
        }
    }

    /// Fault injection for `CrashSafetyTests`: with `LOSTDATA_FAULT_PAUSE_BEFORE_COMMIT_MS` set,
    /// a stage stops for that long after all its writes and before its commit, and says so on
    /// stderr — so a test can kill it exactly there and check that none of the writes survive.
    /// (Random kills seldom land inside a transaction of a few milliseconds.) Unset: no cost
    /// beyond one environment lookup per stage run.
    static func pauseBeforeCommitForCrashTests(_ stage: String) {
        guard let v = ProcessInfo.processInfo.environment["LOSTDATA_FAULT_PAUSE_BEFORE_COMMIT_MS"], let ms = UInt32(v) else { return }
        FileHandle.standardError.write(Data("lostdata: fault injection: stage \(stage) paused before its commit\n".utf8))
        usleep(ms * 1000)
    }

    /// The schema migrations applied to this study's database, oldest first.
    public func appliedMigrations() throws -> [String] {
        try database.read { db in try StudySchema.migrator.appliedMigrations(db) }
    }
}
