/// One node of the taxonomy: a top-level category ("catalysis") or a subcategory
/// ("catalysis/heterogeneous"). Ids are stable — decisions and reports are keyed on them.
public struct Category: Hashable, Codable, Sendable {
    public var id: String
    public var name: String
    public var description: String
    /// The score at or above which the category is assigned.
    public var threshold: Double

    public init(id: String, name: String, description: String = "", threshold: Double) {
        self.id = id
        self.name = name
        self.description = description
        self.threshold = threshold
    }

    /// "materials" for "materials/soft"; nil for a top-level category.
    public var parentID: String? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        return String(id[..<slash])
    }

    public var isTopLevel: Bool { parentID == nil }
}

/// The categories in the order of the rules file (which is the order of reports), with lookups.
public struct Taxonomy: Hashable, Sendable {
    /// The category of articles no rule claims. Always present, never scored.
    public static let unclassified = "unclassified"

    /// The ids of the paper's Figure 3A (seed §2.4). The shipped rules define all of them; a
    /// user's rules file may add more, and is warned when it drops one.
    public static let paperCategoryIDs: [String] = [
        "materials", "materials/porous-membranes", "materials/composite-hybrid", "materials/soft",
        "materials/biomaterials", "materials/polymer", "materials/minerals-ceramics", "materials/carbon",
        "materials/metal-on-carbon", "materials/metal-nanoparticles", "materials/nonmetal-nanoparticles",
        "catalysis", "catalysis/heterogeneous", "catalysis/homogeneous-nano", "organic-chemistry",
        "ionic-liquids", "microscopic-control", unclassified,
    ]

    public let categories: [Category]
    private let index: [String: Int]

    public init(_ categories: [Category]) {
        self.categories = categories
        var index: [String: Int] = [:]
        for (i, c) in categories.enumerated() where index[c.id] == nil { index[c.id] = i }
        self.index = index
    }

    public subscript(id: String) -> Category? { index[id].map { categories[$0] } }
    public func contains(_ id: String) -> Bool { index[id] != nil }
    /// Position in the file, for deterministic ordering and tie-breaks.
    public func order(of id: String) -> Int { index[id] ?? Int.max }

    public var topLevel: [Category] { categories.filter(\.isTopLevel) }
    public func children(of id: String) -> [Category] { categories.filter { $0.parentID == id } }

    /// Sorts ids in taxonomy order (unknown ids last, alphabetically).
    public func sorted(_ ids: some Sequence<String>) -> [String] {
        ids.sorted { (order(of: $0), $0) < (order(of: $1), $1) }
    }
}

extension Taxonomy {
    /// A person's category choice in the stored form: primary first, then the others in taxonomy
    /// order, with the parent of every chosen subcategory added (as the classifier does) and the
    /// primary added when missing. The caller has checked that every id is known.
    public func normalisedDecision(_ categories: [String], primary: String?) -> [String] {
        let primary = primary ?? categories.first ?? Taxonomy.unclassified
        var all = Set(categories).union([primary])
        for c in all { if let parent = self[c]?.parentID { all.insert(parent) } }
        return [primary] + sorted(all.subtracting([primary]))
    }
}
