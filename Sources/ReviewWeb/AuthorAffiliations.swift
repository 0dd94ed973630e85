import Core
import Study

extension Handlers {
    /// The article page's authors and affiliations, as a paper prints them: the affiliations
    /// numbered, each author followed by the numbers of the addresses the record places them at.
    /// Records that do not say who is where (Scopus, RIS, the web APIs) get the plain list.
    /// Template values: `authorList` (name, marks, last), `affiliations` (number, address, names),
    /// `hasAffiliations`. Mustache escapes every one of them.
    static func authorsWithAffiliations(_ authors: String?, _ affiliations: [ReviewArticle.Affiliation]) -> [String: Any] {
        let names = (authors ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let authorList = names.enumerated().map { i, name -> [String: Any] in
            let numbers = affiliations.indices.filter { a in affiliations[a].authors.contains { PersonName.same($0, name) } }
            return ["name": name, "marks": numbers.isEmpty ? false : numbers.map { String($0 + 1) }.joined(separator: ","),
                    "last": i == names.count - 1]
        }
        let listed = affiliations.enumerated().map { i, a -> [String: Any] in
            ["number": String(i + 1), "address": a.address, "names": a.authors.isEmpty ? false : a.authors.joined(separator: "; ")]
        }
        return ["authorList": authorList, "affiliations": listed, "hasAffiliations": !listed.isEmpty]
    }
}
