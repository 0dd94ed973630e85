import Core
import Foundation
import Ledger
import PostgresNIO

/// The FAIR listing of the lost data: an RO-Crate 1.1 (`ro-crate-metadata.json`, flattened
/// JSON-LD) with, per facility, one entity per image set — instrument, technique and year — and
/// what a data scientist needs to ask the facility for it: how many images, their date range,
/// field-of-view and scale-bar ranges, detectors, and the facility's published fraction (from the
/// same Table 1 as `catalogue table1`). The sets are not in the crate (the images stay at the
/// facility), so they are contextual entities the root `mentions`, not parts it `hasPart`.
public enum CatalogueROCrate {
    public static let context = "https://w3id.org/ro/crate/1.1/context"
    public static let conformsTo = "https://w3id.org/ro/crate/1.1"
    /// The listing itself is facts about holdings: offered without restriction.
    static let license = "https://creativecommons.org/publicdomain/zero/1.0/"

    struct ImageSet {
        var facility: String, instrument: String?, technique: String?, year: Int, images: Int
        var firstDate: String, lastDate: String
        var fov: (Double, Double)?, decade: (Double, Double)?
        var detectors: [String]
    }

    public static func metadata(_ c: CatalogueConnection, facilities: [String] = [], now: Date = Date()) async throws -> String {
        // Published fractions from the catalogue's own Table 1 (also checks the schema).
        let sources = try await CatalogueTable1.inputs(c, facilities: facilities)
        let table = Ledger.table1(sources)
        let names = sources.dropLast().map(\.name)
        var sets: [ImageSet] = []
        for row in try await c.rows("""
            SELECT facility, instrument, technique, year, count(*), min(acquired_on), max(acquired_on),
                   min(fov_nm), max(fov_nm), min(scale_bar_decade_nm), max(scale_bar_decade_nm),
                   coalesce(array_agg(DISTINCT detector_class) FILTER (WHERE detector_class IS NOT NULL), '{}')
            FROM lostdata.image WHERE facility = ANY(\(names)::text[])
            GROUP BY facility, instrument, technique, year
            ORDER BY facility, instrument NULLS LAST, technique NULLS LAST, year
            """) {
            let (facility, instrument, technique, year, images, first, last, fovMin, fovMax, decMin, decMax, detectors) =
                try row.decode((String, String?, String?, Int, Int, String, String, Double?, Double?, Double?, Double?, [String]).self)
            sets.append(ImageSet(facility: facility, instrument: instrument, technique: technique, year: year, images: images,
                                 firstDate: first, lastDate: last,
                                 fov: fovMin.flatMap { a in fovMax.map { (a, $0) } },
                                 decade: decMin.flatMap { a in decMax.map { (a, $0) } }, detectors: detectors))
        }
        return render(sets: sets, table: table, facilities: names, now: now)
    }

    static func render(sets: [ImageSet], table: Table1, facilities: [String], now: Date) -> String {
        var graph: [JSONValue] = []
        let iso = ISO8601DateFormatter()
        func ref(_ id: String) -> JSONValue { .object([("@id", .string(id))]) }
        func facilityID(_ name: String) -> String { "#facility-" + slug(name) }
        func number(_ d: Double) -> JSONValue { .number(d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) }

        graph.append(.object([
            ("@id", .string("ro-crate-metadata.json")), ("@type", .string("CreativeWork")),
            ("conformsTo", ref(conformsTo)), ("about", ref("./")),
        ]))
        let setIDs = sets.indices.map { "#imageset-\($0 + 1)" }
        let total = sets.reduce(0) { $0 + $1.images }
        graph.append(.object([
            ("@id", .string("./")), ("@type", .string("Dataset")),
            ("name", .string("Unpublished electron-microscopy image sets of \(facilities.count) facilit\(facilities.count == 1 ? "y" : "ies")")),
            ("description", .string("""
                A listing, made by lostdata from a cross-facility catalogue, of the images facilities acquired, \
                grouped by instrument, technique and year (\(total) images in \(sets.count) sets). The images \
                are not in this crate: ask the facility named in each set. The published fraction is the \
                facility's share of acquired images that appeared in publications (Table 1); the rest is \
                unpublished.
                """)),
            ("datePublished", .string(iso.string(from: now))),
            ("license", ref(license)),
            ("mentions", .array(setIDs.map(ref))),
        ]))
        graph.append(.object([("@id", .string(license)), ("@type", .string("CreativeWork")),
                              ("name", .string("CC0 1.0 Universal (public domain dedication)"))]))
        for source in table.sources.dropLast() {
            let totalColumn = source.total
            var pairs: [(String, JSONValue)] = [("@id", .string(facilityID(source.name))), ("@type", .string("Organization")),
                                                 ("name", .string(source.name))]
            if let p = totalColumn.publishedPercent { pairs.append(("description", .string("Published data: \(p) % of \(totalColumn.acquired ?? 0) acquired images (lostdata Table 1)"))) }
            graph.append(.object(pairs))
        }
        let publishedByFacility = Dictionary(table.sources.dropLast().map { ($0.name, $0.total.publishedPercent) }, uniquingKeysWith: { a, _ in a })
        for (i, s) in sets.enumerated() {
            let id = setIDs[i]
            var properties: [(String, JSONValue)] = []
            func property(_ suffix: String, _ pairs: [(String, JSONValue)]) {
                let pid = id + "-" + suffix
                properties.append(("@id", .string(pid)))
                graph.append(.object([("@id", .string(pid)), ("@type", .string("PropertyValue"))] + pairs))
            }
            property("images", [("name", .string("images")), ("value", .int(s.images))])
            if let (lo, hi) = s.fov {
                property("fov", [("name", .string("field of view")), ("minValue", number(lo)), ("maxValue", number(hi)), ("unitText", .string("nm"))])
            }
            if let (lo, hi) = s.decade {
                property("scalebar", [("name", .string("scale-bar decade")), ("minValue", number(lo)), ("maxValue", number(hi)), ("unitText", .string("nm"))])
            }
            if let p = publishedByFacility[s.facility] ?? nil {
                property("published", [("name", .string("facility published fraction")), ("value", .number(p.description)), ("unitText", .string("%"))])
            }
            let technique = s.technique ?? "unknown technique"
            let instrument = s.instrument ?? "unknown instrument"
            var pairs: [(String, JSONValue)] = [
                ("@id", .string(id)), ("@type", .string("Dataset")),
                ("name", .string("\(s.facility): \(technique) images, \(instrument), \(s.year)")),
                ("description", .string("\(s.images) \(technique) images acquired on \(instrument) in \(s.year) at \(s.facility), not in this crate")),
                ("provider", ref(facilityID(s.facility))),
                ("temporalCoverage", .string(s.firstDate.prefix(10) + "/" + s.lastDate.prefix(10))),
                ("measurementTechnique", .string(technique)),
                ("variableMeasured", .array(properties.map { ref($0.1.stringValue ?? "") })),
            ]
            if let instrumentName = s.instrument { pairs.append(("instrument", .string(instrumentName))) }
            if !s.detectors.isEmpty { pairs.append(("keywords", .array(s.detectors.sorted().map { .string("detector: " + $0) }))) }
            graph.append(.object(pairs))
        }
        let document = JSONValue.object([("@context", .string(context)), ("@graph", .array(graph))])
        return document.rendered() + "\n"
    }

    /// Letters and digits of a name, for local ids (`#facility-…`); a hash keeps ids of names
    /// differing only in punctuation apart.
    static func slug(_ name: String) -> String {
        var h: UInt32 = 2_166_136_261
        for b in name.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        let letters = String(name.lowercased().unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }.prefix(32).map(Character.init))
        return letters + "-" + String(format: "%08x", h)
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
