import Classification
import Foundation
import Hummingbird
import Logging
import NIOCore
import Study

/// `lostdata review serve`: the review page, served from the study on 127.0.0.1 only.
///
/// A thin HTTP face over the Study: it reads the queue and one article through the Study's
/// functions and writes decisions through `Study.recordReview` / `undoLastReview`, which check
/// the version the page showed. It never opens the database itself.
public struct ReviewServer: Sendable {
    public struct Options: Sendable {
        public var port: Int
        public var reviewer: String
        public init(port: Int = 0, reviewer: String) {
            self.port = port
            self.reviewer = reviewer
        }
    }

    let study: Study
    let options: Options
    let secrets: RunSecrets
    let taxonomy: Taxonomy
    let pages: Pages
    let boundPort = BoundPort()
    let cache = QueueCache()

    public init(study: Study, options: Options) throws {
        self.study = study
        self.options = options
        self.secrets = .random()
        self.taxonomy = try study.classificationTaxonomy()
        self.pages = try Pages()
    }

    /// The address to open (with this run's token), once the port is known.
    public func url(port: Int) -> String { "http://127.0.0.1:\(port)/?token=\(secrets.access)" }

    /// Runs until SIGINT or SIGTERM (a clean stop: open requests finish, the port is released).
    /// `onReady` gets the address as soon as the socket is bound.
    public func run(logger: Logger = Logger(label: "lostdata.review"), onReady: @escaping @Sendable (String) -> Void) async throws {
        let app = makeApplication(logger: logger, onReady: onReady)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// The application, for `run` and for tests that run it inside their own service group.
    func makeApplication(logger: Logger, onReady: @escaping @Sendable (String) -> Void) -> some ApplicationProtocol {
        let router = Router(context: ReviewContext.self)
        router.add(middleware: AccessGuard(secrets: secrets, port: boundPort, pages: pages))
        let handlers = Handlers(server: self)
        router.get("/") { request, _ in try handlers.queue(request) }
        router.get("/article") { request, _ in try handlers.article(request) }
        router.get("/help") { _, _ in handlers.help() }
        router.get("/static/{name}") { _, context in try handlers.pages.asset(context.parameters.get("name") ?? "") }
        router.post("/decide") { request, context in try await handlers.decide(request, context: context) }
        let port = boundPort
        let url = self.url(port:)
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: options.port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                port.set(bound)
                onReady(url(bound))
            },
            logger: logger)
    }
}
