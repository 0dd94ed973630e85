@testable import Catalogue
import Core
import Foundation
import Ledger
import Study
import XCTest

/// The RO-Crate export checked against RO-Crate 1.1's structural requirements
/// (https://www.researchobject.org/ro-crate/1.1/root-data-entity.html and metadata.html).
final class CatalogueROCrateTests: XCTestCase {
    /// What the spec requires of `ro-crate-metadata.json`, checked one by one: the problems
    /// found (empty when the crate is well formed) and the graph by id.
    static func problems(_ text: String) -> (problems: [String], byID: [String: [String: Any]]) {
        var problems: [String] = []
        guard let root = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return (["not a JSON object"], [:]) }
        if root["@context"] as? String != "https://w3id.org/ro/crate/1.1/context" { problems.append("@context is not RO-Crate 1.1's") }
        guard let graph = root["@graph"] as? [[String: Any]] else { return (problems + ["no @graph array"], [:]) }
        var byID: [String: [String: Any]] = [:]
        for entity in graph {
            guard let id = entity["@id"] as? String else { problems.append("an entity without @id"); continue }
            if byID[id] != nil { problems.append("@id \(id) twice") }
            if entity["@type"] == nil { problems.append("\(id) has no @type") }
            byID[id] = entity
            // Flattened: a property's object is a value or a reference {"@id": …}, never a nested entity.
            for (key, value) in entity where !key.hasPrefix("@") {
                for v in (value as? [Any]) ?? [value] {
                    if let object = v as? [String: Any], Array(object.keys) != ["@id"] { problems.append("\(id).\(key) nests an entity") }
                }
            }
        }
        // Metadata descriptor.
        if let descriptor = byID["ro-crate-metadata.json"] {
            if descriptor["@type"] as? String != "CreativeWork" { problems.append("the descriptor is not a CreativeWork") }
            if (descriptor["conformsTo"] as? [String: Any])?["@id"] as? String != "https://w3id.org/ro/crate/1.1" { problems.append("the descriptor does not conform to 1.1") }
            if (descriptor["about"] as? [String: Any])?["@id"] as? String != "./" { problems.append("the descriptor is not about ./") }
        } else {
            problems.append("no metadata descriptor ro-crate-metadata.json")
        }
        // Root data entity: a Dataset with name, description, datePublished (ISO 8601), license.
        if let rootEntity = byID["./"] {
            if rootEntity["@type"] as? String != "Dataset" { problems.append("the root is not a Dataset") }
            for key in ["name", "description", "datePublished", "license"] where rootEntity[key] == nil { problems.append("the root lacks \(key)") }
            if ISO8601DateFormatter().date(from: rootEntity["datePublished"] as? String ?? "") == nil { problems.append("datePublished is not ISO 8601") }
        } else {
            problems.append("no root data entity ./")
        }
        // Every local reference (#… or ./) resolves within the graph.
        for entity in graph {
            for (_, value) in entity {
                for v in (value as? [Any]) ?? [value] {
                    if let ref = (v as? [String: Any])?["@id"] as? String, ref.hasPrefix("#") || ref == "./", byID[ref] == nil {
                        problems.append("dangling reference \(ref)")
                    }
                }
            }
        }
        return (problems, byID)
    }

    func testTheExportHasROCrateRequiredEntitiesAndDescribesTheSets() async throws {
        let server = try TestServer.shared()
        let address = try server.freshDatabase("crate")
        let facility = "Facility \"Q\" <&>"
        var images: [CatalogueExport.Image] = []
        for i in 0..<10 {
            let year = i < 6 ? 2019 : 2020
            let date = i < 6 ? "2019-0\(i + 1)-15" : "2020-02-0\(i - 5)"
            let detector = i % 2 == 0 ? "SE" : "BSE"
            let decade: Double = i < 3 ? 100 : 1000
            images.append(CatalogueExport.Image(id: "i\(i)", year: year, date: date, instrument: "S-4800", technique: "SEM",
                                                countedAs: "SEM", detectorClass: detector, magnification: 1000,
                                                fovNm: Double(1000 * (i + 1)), scaleBarDecadeNm: decade, sizeBytes: 5))
        }
        let export = CatalogueExport(facility: facility, techniques: [.sem], acquiredMode: .archive, declaredAcquired: [:],
                                     images: images, articles: [], articleImages: [ArticleImages(id: "a", images: [.sem: 2])],
                                     baselines: [], decisions: [])
        let c = try await CatalogueConnection.open(address)
        _ = try await CataloguePush.push(export, to: c)
        let text = try await CatalogueROCrate.metadata(c)
        await c.close()
        let (problems, byID) = Self.problems(text)
        XCTAssertEqual(problems, [])
        let sets = byID.values.filter { ($0["@id"] as? String)?.hasPrefix("#imageset-") == true && $0["@type"] as? String == "Dataset" }
        XCTAssertEqual(sets.count, 2)
        let set2019 = try XCTUnwrap(sets.first { ($0["name"] as? String)?.hasSuffix("2019") == true })
        XCTAssertEqual(set2019["temporalCoverage"] as? String, "2019-01-15/2019-06-15")
        XCTAssertEqual(set2019["measurementTechnique"] as? String, "SEM")
        XCTAssertEqual(set2019["keywords"] as? [String], ["detector: BSE", "detector: SE"])
        let properties = (set2019["variableMeasured"] as? [[String: Any]] ?? []).compactMap { byID[$0["@id"] as? String ?? ""] }
        let byName = Dictionary(uniqueKeysWithValues: properties.map { ($0["name"] as! String, $0) })
        XCTAssertEqual(byName["images"]?["value"] as? Int, 6)
        XCTAssertEqual(byName["field of view"]?["minValue"] as? Int, 1000)
        XCTAssertEqual(byName["field of view"]?["maxValue"] as? Int, 6000)
        XCTAssertEqual(byName["scale-bar decade"]?["minValue"] as? Int, 100)
        // 2 published of 10 acquired: 20 %.
        XCTAssertEqual((byName["facility published fraction"]?["value"] as? NSNumber)?.doubleValue, 20)
        let provider = try XCTUnwrap((set2019["provider"] as? [String: Any])?["@id"] as? String)
        XCTAssertEqual(byID[provider]?["name"] as? String, facility)
    }

    func testTheCheckerCatchesABrokenCrate() throws {
        // The structural check must be able to fail: a crate without the descriptor, and one
        // with a dangling reference.
        let missing = ##"{"@context":"https://w3id.org/ro/crate/1.1/context","@graph":[{"@id":"./","@type":"Dataset","name":"x","description":"y","datePublished":"2020-01-01T00:00:00Z","license":{"@id":"#gone"}}]}"##
        XCTAssertEqual(Self.problems(missing).problems, ["no metadata descriptor ro-crate-metadata.json", "dangling reference #gone"])
        let nested = #"{"@context":"https://w3id.org/ro/crate/1.1/context","@graph":[{"@id":"a","@type":"Thing","p":{"@id":"b","name":"n"}}]}"#
        XCTAssertTrue(Self.problems(nested).problems.contains("a.p nests an entity"))
    }
}
