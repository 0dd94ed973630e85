import ArgumentParser
import Catalogue
import Core

/// `lostdata catalogue init`: create or upgrade the catalogue's schema; with --roles, the roles.
struct CatalogueInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or upgrade the catalogue's tables (a first push does this too).",
        discussion: """
        Applies the schema migrations this lostdata knows; a catalogue written by a newer \
        lostdata is refused and left alone. With --roles and --facility NAME…, also creates a \
        writer role per facility, whose rows are protected by row-level security (one facility's \
        writer cannot change another's rows), and the read-only role lostdata_analyst. Roles are \
        created without passwords: set them with ALTER ROLE … PASSWORD in psql (docs/catalogue.md).
        """
    )

    @Option(name: .customLong("to"), help: ArgumentHelp("The catalogue (postgres://…); default: LOSTDATA_CATALOGUE_URL or PG* variables.", valueName: "URL"))
    var url: String?

    @Flag(name: .long, help: "Also create the writer roles (per --facility) and the analyst role, with row-level security.")
    var roles = false

    @Option(name: .customLong("facility"), help: ArgumentHelp("A facility that gets a writer role (repeatable; with --roles).", valueName: "NAME"))
    var facilities: [String] = []

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !facilities.isEmpty && !roles { throw ValidationError("--facility is for --roles") }
    }

    func run() async throws {
        try await withCatalogue(url) { c in
            let applied = try await CatalogueSchema.migrate(c, toolVersion: LostData.version)
            Diagnostics.info(applied.isEmpty ? "catalogue \(c.address): schema version \(CatalogueSchema.version), nothing to do"
                                             : "catalogue \(c.address): applied schema migration(s) \(applied.map(String.init).joined(separator: ", "))")
            if roles {
                let created = try await CatalogueRoles.setUp(c, facilities: facilities)
                for r in created { print("\(r.role)\t\(r.facility ?? "(read-only analyst)")") }
            }
        }
    }
}
