import Foundation

/// Values at a dotted path in a JSON document as `JSONSerialization` gives it. Every array met
/// on the way is walked, so "authorships.author.display_name" yields each author's name and
/// "issued.date-parts" the flattened parts: the same flattening OpenAlex's own CSV export uses
/// for its column names, which keeps each API's field table one line per field.
enum JSONPath {
    static func values(_ object: Any?, _ path: [Substring]) -> [String] {
        var out: [String] = []
        collect(object, path[...], into: &out)
        return out
    }

    private static func collect(_ object: Any?, _ path: ArraySlice<Substring>, into out: inout [String]) {
        guard let object, !(object is NSNull) else { return }
        if let array = object as? [Any] {
            for item in array { collect(item, path, into: &out) }
            return
        }
        guard let key = path.first else {
            if let s = scalar(object) { out.append(s) }
            return
        }
        guard let dict = object as? [String: Any] else { return }
        collect(dict[String(key)], path.dropFirst(), into: &out)
    }

    /// A scalar as text; numbers as written (a year is "2012", not "2012.0"), booleans as
    /// "true"/"false". Objects are not scalars.
    static func scalar(_ v: Any) -> String? {
        if let s = v as? String { return s }
        if let n = v as? NSNumber {
            // JSON's true/false arrive as NSNumbers of C type "c" (char); numbers never do.
            if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
            if let i = Int(exactly: n.doubleValue) { return String(i) }
            return n.stringValue
        }
        return nil
    }
}
