/// HTML built by hand, for the few places that mark words inside text (the words each rule
/// matched, panel labels): the text is escaped first, then `<mark>` is wrapped around the ranges.
enum HTMLText {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `text` escaped, with every case-insensitive occurrence of each phrase marked (longest
    /// phrases first; overlapping matches merged).
    static func highlight(_ text: String, phrases: [String]) -> String {
        let lower = text.lowercased()
        // Lower-casing can change lengths outside ASCII; mark only when it did not.
        guard lower.count == text.count else { return escape(text) }
        let chars = Array(text), lowerChars = Array(lower)
        var marked = [Bool](repeating: false, count: chars.count)
        for phrase in Set(phrases.map { $0.lowercased() }).sorted(by: { $0.count > $1.count }) where phrase.count >= 2 {
            let p = Array(phrase)
            guard p.count <= lowerChars.count else { continue }
            var i = 0
            while i + p.count <= lowerChars.count {
                if lowerChars[i] == p[0] && Array(lowerChars[i..<(i + p.count)]) == p {
                    for j in i..<(i + p.count) { marked[j] = true }
                    i += p.count
                } else {
                    i += 1
                }
            }
        }
        var out = ""
        var open = false
        for (i, c) in chars.enumerated() {
            if marked[i] && !open { out += "<mark>"; open = true }
            if !marked[i] && open { out += "</mark>"; open = false }
            out += escape(String(c))
        }
        if open { out += "</mark>" }
        return out
    }

    /// `text` escaped, with `<mark>` around the given ranges of it (the classifier's matches;
    /// overlapping or touching ranges become one mark). Every character is escaped, marked or not.
    static func highlight(_ text: String, ranges: [Range<String.Index>]) -> String {
        var merged: [Range<String.Index>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !r.isEmpty {
            if let last = merged.last, r.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        var out = ""
        var cursor = text.startIndex
        for r in merged {
            out += escape(String(text[cursor..<r.lowerBound])) + "<mark>" + escape(String(text[r])) + "</mark>"
            cursor = r.upperBound
        }
        return out + escape(String(text[cursor...]))
    }
}
