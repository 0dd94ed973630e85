import ArgumentParser
import Catalogue
import Foundation
import Logging

/// `lostdata catalogue …`: the cross-facility catalogue in PostgreSQL (docs/catalogue.md).
struct CatalogueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Push studies into a PostgreSQL catalogue and compare facilities.",
        discussion: """
        The catalogue is a PostgreSQL database where studies of many facilities meet. Its address \
        comes from --to/--from URL (postgres://user@host:port/db?sslmode=require), else \
        LOSTDATA_CATALOGUE_URL, else libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, \
        PGSSLMODE; a missing password is looked up in ~/.pgpass. Passwords are never printed. \
        See docs/catalogue.md for what is sent and what is not.
        """,
        subcommands: [CatalogueInitCommand.self, CataloguePushCommand.self, CatalogueListCommand.self,
                      CatalogueTable1Command.self, CatalogueReportCommand.self, CatalogueExportCommand.self]
    )
}

/// Opens the catalogue named by a URL option (or the environment), runs `body`, closes it; the
/// catalogue's errors become the CLI's failures (exit 1) with the address redacted.
func withCatalogue<T>(_ url: String?, _ body: (CatalogueConnection) async throws -> T) async throws -> T {
    let address: CatalogueAddress
    do { address = try CatalogueAddress.resolve(url: url) } catch let e as CatalogueAddress.Invalid {
        throw CommandFailure(message: e.description)
    }
    let connection: CatalogueConnection
    do { connection = try await CatalogueConnection.open(address, logger: Logger(label: "lostdata.catalogue")) } catch let e as CatalogueError {
        throw CommandFailure(message: e.description)
    }
    do {
        let value = try await body(connection)
        await connection.close()
        return value
    } catch let e as CatalogueError {
        await connection.close()
        throw CommandFailure(message: e.description)
    } catch {
        await connection.close()
        throw error
    }
}
