import ArgumentParser
import Catalogue
import Core
import Foundation

/// `lostdata catalogue push`: send a study's values to the catalogue.
struct CataloguePushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push the study's archive index, articles, counts, baselines and decisions.",
        discussion: """
        Replaces what the catalogue holds for the facility (default: the study's name) in one \
        transaction: a push lands whole or not at all. Unchanged values are not rewritten; a push \
        with nothing changed writes nothing and says so. Two pushes of the same facility run one \
        after the other. Images are sent as metadata with an id made from the facility and the \
        path below the archive root — never image bytes or paths.
        """
    )

    @OptionGroup var studyOptions: StudyOptions

    @Option(name: .customLong("to"), help: ArgumentHelp("The catalogue (postgres://…); default: LOSTDATA_CATALOGUE_URL or PG* variables.", valueName: "URL"))
    var url: String?

    @Option(name: .long, help: ArgumentHelp("The facility name (default: the study's name).", valueName: "NAME"))
    var facility: String?

    @Flag(name: .long, help: "Print what the push did as one JSON object on stdout.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let f = facility, f.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--facility must not be empty") }
    }

    func run() async throws {
        let study = try studyOptions.open()
        let name = facility ?? study.file.name
        // Taken before the rows are read: a change made during this push moves it again.
        let marker = try study.catalogueChangeMarker(facility: name)
        let result = try await withCatalogue(url) { c in
            // The memory is kept per catalogue without its password.
            let catalogue = "postgres://\(c.address.user)@\(c.address.host):\(c.address.port)/\(c.address.database)"
            let memory = try study.rememberedCataloguePush(catalogue: catalogue, facility: name)
            let result = try await CataloguePush.push(
                facility: name, remembered: memory?.marker == marker ? memory?.contentHash : nil,
                export: { try study.catalogueExport(facility: facility) }, to: c, onWait: { Diagnostics.info($0) })
            try study.rememberCataloguePush(catalogue: catalogue, facility: name, .init(marker: marker, contentHash: result.contentHash))
            return result
        }
        for (table, n) in result.duplicates.sorted(by: { $0.key < $1.key }) {
            Diagnostics.warning("\(table): \(n) row(s) with a key seen before were left out")
        }
        if json {
            var tables: [(String, JSONValue)] = []
            for t in result.tables {
                tables.append((t.table, .object([("rows", .int(t.rows)), ("inserted", .int(t.inserted)),
                                                 ("updated", .int(t.updated)), ("deleted", .int(t.deleted)),
                                                 ("direct", .bool(t.direct))])))
            }
            let object = JSONValue.object([("facility", .string(result.facility)), ("unchanged", .bool(result.unchanged)),
                                           ("rendered", .bool(result.rendered)),
                                           ("contentHash", .string(result.contentHash)), ("tables", .object(tables))])
            print(object.rendered())
        } else if result.unchanged {
            Diagnostics.info("\(result.facility): nothing changed since the last push; nothing written"
                             + (result.rendered ? "" : " (study unchanged since it pushed; rows not rendered)"))
        } else {
            let parts = result.tables.filter { $0.inserted + $0.updated + $0.deleted > 0 }
                .map { "\($0.table) +\($0.inserted) ~\($0.updated) −\($0.deleted)" }
            Diagnostics.info("\(result.facility): pushed (\(parts.isEmpty ? "facility row only" : parts.joined(separator: ", ")))")
        }
    }
}
