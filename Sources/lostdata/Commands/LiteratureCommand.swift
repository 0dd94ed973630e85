import ArgumentParser
import Bibliography
import Core
import Foundation
import Study

/// `lostdata literature`: find a facility's articles in OpenAlex, Crossref and Europe PMC, and
/// fetch their open full texts.
struct LiteratureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "literature",
        abstract: "Search OpenAlex, Crossref and Europe PMC for the facility's articles; fetch their full texts.",
        discussion: """
        Records found go into the study exactly like an imported export (same deduplication, \
        exclusions and decisions). Responses are cached in the study's .cache/http/. \
        Documentation: docs/literature.md.
        """,
        subcommands: [LiteratureSearchCommand.self, LiteratureFetchCommand.self, LiteratureCompleteCommand.self, LiteratureStatusCommand.self]
    )
}

extension LiteratureAPI: ExpressibleByArgument {}

/// The network options every `literature` command takes.
struct LiteratureNetworkOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A source's base URL for this run (mirror, proxy, test server); repeatable.", valueName: "NAME=URL"))
    var endpoint: [String] = []

    @Option(name: .long, help: ArgumentHelp("The contact put in the User-Agent (overrides literature.mailto).", valueName: "ADDRESS"))
    var mailto: String?

    @Flag(name: .long, help: "Answer from the study's response cache only; say what it lacks.")
    var offline = false

    @Option(name: .long, help: ArgumentHelp("Seconds allowed for one transfer (default 120).", valueName: "SECONDS"))
    var timeout: Double?

    @Option(name: .long, help: ArgumentHelp("Attempts per request for 429, 5xx, timeouts and resets (default 4).", valueName: "N"))
    var attempts: Int?

    @Option(name: .long, help: ArgumentHelp("First retry delay in seconds, doubled each retry with jitter (default 1).", valueName: "SECONDS"))
    var backoff: Double?

    @Option(name: .long, help: ArgumentHelp("Transfers at once (default literature.inFlight, 2): queries walked at once by search, articles by fetch and complete.", valueName: "N"))
    var inFlight: Int?

    func options() throws -> LiteratureOptions {
        var o = LiteratureOptions()
        for e in endpoint {
            let (api, url) = try LiteratureOptions.endpoint(e)
            o.endpoints[api] = url
        }
        o.mailto = mailto
        o.offline = offline
        // Checked here: libcurl takes whole milliseconds, and Int(inf * 1000) traps.
        if let t = timeout, !(t > 0 && t <= 86_400) { throw ValidationError("--timeout must be more than 0 and at most 86400 seconds") }
        if let b = backoff, !(b >= 0 && b <= 3_600) { throw ValidationError("--backoff must be 0 to 3600 seconds") }
        if let n = attempts, !(1...20).contains(n) { throw ValidationError("--attempts must be 1 to 20") }
        o.timeout = timeout
        o.attempts = attempts
        o.backoff = backoff
        if let n = inFlight {
            guard (1...16).contains(n) else { throw ValidationError("--in-flight must be 1 to 16") }
            o.inFlight = n
        }
        return o
    }
}

/// What every command that talks to the services takes: the network options, `--json`, the
/// study and the global flags — one group, so `search`, `fetch` and `complete` read the same.
struct LiteratureCommandOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the outcome as JSON on stdout.")
    var json = false

    @OptionGroup var network: LiteratureNetworkOptions
    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup var global: GlobalOptions

    /// The study and the run's options, as each command starts.
    func open() throws -> (Study, LiteratureOptions) {
        (try studyOptions.open(), try network.options())
    }
}
