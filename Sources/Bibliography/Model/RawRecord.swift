/// One record as read: its tags (or column headers) and their values in file order, and where it
/// sits in its file. Kept for provenance — `bib show` prints it, and nothing a reader did not
/// understand is lost.
public struct RawRecord: Hashable, Sendable, Codable {
    /// 1-based first and last line of the record in its file.
    public var line: Int
    public var endLine: Int
    /// Tag → values, in the order the tags first appear.
    public var tags: [Tag]

    public struct Tag: Hashable, Sendable, Codable {
        public var name: String
        public var values: [String]
        public init(name: String, values: [String]) { self.name = name; self.values = values }
    }

    public init(line: Int, endLine: Int, tags: [Tag] = []) {
        self.line = line
        self.endLine = endLine
        self.tags = tags
    }

    /// Appends `value` to tag `name`, creating the tag at the end when it is new.
    /// Tags repeat in a handful per record, so a linear search beats hashing here.
    public mutating func append(_ name: String, _ value: String) {
        if let i = tags.lastIndex(where: { $0.name == name }) {
            tags[i].values.append(value)
        } else {
            tags.append(Tag(name: name, values: [value]))
        }
    }

    public func values(_ name: String) -> [String] {
        tags.first { $0.name == name }?.values ?? []
    }
}
