import Foundation

/// A normalised Digital Object Identifier: resolver prefixes, `doi:` and braces removed,
/// white space trimmed, lower-cased (DOIs are case-insensitive by definition).
///
/// An empty or prefix-less string is *not* a DOI: `DOI(_:)` returns nil, so two records
/// without DOI can never be joined on an empty one.
public struct DOI: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let value: String

    private static let prefixes = [
        "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
        "doi.org/", "dx.doi.org/", "doi:", "doi ",
    ]

    public init?(_ raw: String) {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        s = s.trimmingCharacters(in: CharacterSet(charactersIn: "{}\"'<>"))
        var lowered = s.lowercased()
        var stripped = true
        while stripped {
            stripped = false
            for prefix in DOI.prefixes where lowered.hasPrefix(prefix) {
                lowered.removeFirst(prefix.count)
                lowered = lowered.trimmingCharacters(in: .whitespaces)
                stripped = true
            }
        }
        lowered = lowered.trimmingCharacters(in: CharacterSet(charactersIn: " .;,{}"))
        // Every DOI starts with the directory indicator "10." and has a suffix after "/".
        guard lowered.hasPrefix("10."), let slash = lowered.firstIndex(of: "/"),
              lowered.index(after: slash) < lowered.endIndex else { return nil }
        value = lowered
    }

    public var description: String { value }
    public static func < (lhs: DOI, rhs: DOI) -> Bool { lhs.value < rhs.value }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let doi = DOI(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a DOI: \(raw)"))
        }
        self = doi
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
