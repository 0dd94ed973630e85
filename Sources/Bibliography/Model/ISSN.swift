/// International Standard Serial Numbers: `NNNN-NNNC`, where C is a mod-11 check digit (`X` for
/// 10). A typo in a hand-typed ISSN (the study's list of translated journals) almost always breaks
/// the check digit, so it is caught where it is typed instead of silently never matching.
public enum ISSN {
    /// Why `text` is not an ISSN, or nil when it is one (hyphen and case are free).
    public static func problem(_ text: String) -> String? {
        let chars = Array(text.uppercased().filter { $0 != "-" && $0 != " " })
        guard chars.count == 8, chars.prefix(7).allSatisfy({ $0.isASCII && $0.isNumber }),
              chars[7] == "X" || (chars[7].isASCII && chars[7].isNumber) else {
            return "not an ISSN (8 characters, such as 1063-7834)"
        }
        let sum = chars.prefix(7).enumerated().reduce(0) { $0 + Int(String($1.element))! * (8 - $1.offset) }
        let check = (11 - sum % 11) % 11
        let expected: Character = check == 10 ? "X" : Character(String(check))
        return chars[7] == expected ? nil : "its check digit should be \(expected), not \(chars[7]) — a typo?"
    }
}
