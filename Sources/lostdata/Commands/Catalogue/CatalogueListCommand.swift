import ArgumentParser
import Catalogue
import Core
import Foundation

/// `lostdata catalogue list`: the facilities in the catalogue.
struct CatalogueListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the facilities: last push, who pushed, tool version, counts."
    )

    @Option(name: .customLong("from"), help: ArgumentHelp("The catalogue (postgres://…); default: LOSTDATA_CATALOGUE_URL or PG* variables.", valueName: "URL"))
    var url: String?

    @Flag(name: .long, help: "Print one JSON array on stdout.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let facilities = try await withCatalogue(url) { try await CatalogueListing.facilities($0) }
        let iso = ISO8601DateFormatter()
        if json {
            print(JSONValue.array(facilities.map { f in
                .object([("facility", .string(f.name)), ("pushedAt", .string(iso.string(from: f.pushedAt))),
                         ("pushedBy", .string(f.pushedBy)), ("toolVersion", .string(f.toolVersion)),
                         ("images", .int(f.images)), ("articles", .int(f.articles)), ("decisions", .int(f.decisions))])
            }).rendered())
            return
        }
        print(["facility", "last push", "by", "tool", "images", "articles", "decisions"].joined(separator: "\t"))
        for f in facilities {
            print([f.name, iso.string(from: f.pushedAt), f.pushedBy, f.toolVersion, String(f.images), String(f.articles), String(f.decisions)]
                .joined(separator: "\t"))
        }
    }
}
