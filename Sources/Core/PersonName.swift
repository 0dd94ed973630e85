import Foundation

/// "Family, Given" names compared the way two exports of one record differ: case, full stops
/// and spacing do not count, and initials stand for a given name ("D'Ambrosio, A" is
/// "D'Ambrosio, Antonio"; WoS prints C1's names in full and the reprint address's abbreviated).
/// Two people whose names differ only so ("Wang, J" and "Wang, Jian") are taken for one: an
/// export gives nothing else to tell them apart by.
public enum PersonName {
    public static func same(_ a: String, _ b: String) -> Bool {
        let x = parts(a), y = parts(b)
        guard x.family == y.family, !x.family.isEmpty else { return false }
        if x.given == y.given { return true }
        guard let f = x.given.first, f == y.given.first else { return false }
        return isInitials(x.given) || isInitials(y.given)
    }

    static func parts(_ name: String) -> (family: String, given: String) {
        let clean = name.lowercased().replacingOccurrences(of: ".", with: " ").split(separator: " ").joined(separator: " ")
        guard let comma = clean.firstIndex(of: ",") else { return (clean, "") }
        return (String(clean[..<comma]).trimmingCharacters(in: .whitespaces), String(clean[clean.index(after: comma)...]).trimmingCharacters(in: .whitespaces))
    }

    /// "a", "j p", "ml", "j-p": no word of more than two letters.
    static func isInitials(_ given: String) -> Bool {
        given.split(whereSeparator: { $0 == " " || $0 == "-" }).allSatisfy { $0.count <= 2 }
    }
}
