// swift-tools-version:6.0
// lostdata — how much electron-microscopy data never reaches the scientific record.
// Target graph (see docs/architecture.md): lostdata → Study → stages → Core.
// A stage never imports another stage; only Study touches SQLite.
import PackageDescription

let package = Package(
    name: "lostdata",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lostdata", targets: ["lostdata"]),
        .library(name: "LostDataStudy", targets: ["Study"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The review page (`lostdata review serve`): an HTTP server and its HTML templates.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // PostgreSQL wire protocol for the Catalogue target only (issue 17): COPY, bound parameters, TLS.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // SHA-256 for Core (input checksums, `run`'s fingerprints): BoringSSL's, already built for
        // postgres-nio; the hand-written one was 27 % of a warm `run` (issue 14, docs/performance.md).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // Shared vocabulary: techniques, DOIs, located errors, progress.
        .target(name: "Core", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // libxml2 from the system (Debian libxml2-dev), for the Figures stage's JATS reader.
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        // libcurl from the system (Debian libcurl4-openssl-dev), for the HTTP client: the one HTTP
        // stack of the project (literature acquisition, issue 13).
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        // GET with timeouts, retries, rate limits and a User-Agent; knows HTTP, not scholarship.
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        // A strict reader for hand-edited YAML (study.yaml, rules): errors name the line.
        .target(name: "StrictYAML", dependencies: ["Core", .product(name: "Yams", package: "Yams")]),
        // A C wrapper for `sqlite3_config`, which is variadic and so not callable from Swift
        // (the Study target turns off SQLite's memory statistics with it). Links the system
        // SQLite (Debian libsqlite3-dev), the library GRDB uses.
        .target(name: "CSQLiteSettings", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "Archive", dependencies: ["Core"]),
        .target(name: "Bibliography", dependencies: ["Core"]),
        .target(name: "Figures", dependencies: ["Core", "CLibXML2"]),
        .target(name: "Classification", dependencies: ["Core", "StrictYAML", .product(name: "Yams", package: "Yams")],
                resources: [.copy("Resources/rules.yaml")]),
        .target(name: "Ledger", dependencies: ["Core"]),
        .target(name: "Reports", dependencies: ["Core", "Ledger"]),
        .target(name: "Study", dependencies: [
            "Core", "StrictYAML", "Archive", "Bibliography", "Figures", "Classification", "Ledger", "Reports", "CSQLiteSettings",
            "HTTPClient",
            .product(name: "GRDB", package: "GRDB.swift"),
            // SQLite's C API, for binding the archive index's rows directly (ArchiveBatch).
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The review page: a local web face over the Study (never opens SQLite itself). Templates
        // and the small script are resources, so the binary serves no file named by a request.
        .target(name: "ReviewWeb", dependencies: [
            "Study", "Core", "Classification",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Resources")]),
        // The cross-facility catalogue (issue 17): the one target that speaks PostgreSQL. The Study
        // hands it plain values (CatalogueExport); it never opens a study itself.
        .target(name: "Catalogue", dependencies: [
            "Core", "Study", "Ledger", "Reports",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Every module a target imports is named here, also those its dependencies bring along:
        // an undeclared (transitive) import is not tracked by incremental builds, which then kept
        // a stale layout of a changed Archive struct in the executable (a crash in `archive inspect`).
        .executableTarget(name: "lostdata", dependencies: [
            "Study", "Core", "Archive", "Bibliography", "Classification", "Figures", "Reports", "ReviewWeb", "Catalogue", "Ledger",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Every reader behind one libFuzzer entry point (fuzz/run.sh builds it with the sanitizers;
        // a normal build gets a replay-only main). See docs/reliability.md.
        .executableTarget(name: "lostdata-fuzz", dependencies: [
            "Archive", "Bibliography", "Classification", "Figures", "Study",
        ], path: "fuzz/Harness"),

        // What several test targets share: running the built executable, the loopback replay
        // server, the browser-tool probes. A library under Tests/ that only test targets depend on
        // (SwiftPM lets a test target depend on no other test target); see docs/architecture.md.
        .target(name: "TestSupport", path: "Tests/TestSupport"),

        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "TestSupport"]),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "TestSupport"]),
        .testTarget(name: "BibliographyTests", dependencies: ["Bibliography", "Core", "TestSupport"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures"]),
        .testTarget(name: "ClassificationTests", dependencies: ["Classification"]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Ledger"]),
        .testTarget(name: "StudyTests", dependencies: [
            "Study", "Core", "Archive", "Ledger", "Bibliography",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .testTarget(name: "CatalogueTests", dependencies: [
            "Catalogue", "Study", "Core", "Ledger", "Reports", "Archive",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            // The killed-push tests run the built executable; depending on it builds it first.
            "lostdata", "TestSupport",
        ]),
        // Runs the built executable end to end; depends on it so `swift test` builds it first.
        // Study and Core: a test records a person's decision as the review page does, then runs the CLI.
        .testTarget(name: "CLITests", dependencies: ["lostdata", "Study", "Core", "TestSupport"]),
        // The review server over HTTP on 127.0.0.1, and the real-browser check it starts.
        .testTarget(name: "ReviewWebTests", dependencies: [
            "ReviewWeb", "lostdata", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
    ]
)
