@testable import Bibliography
import XCTest

/// `Affiliation.list(from:)`: every reader's way of writing affiliations becomes one
/// deduplicated list of addresses, with the authors the record places at each.
final class AffiliationTests: XCTestCase {
    func testWoSPlainTextLinesKeepTheirAuthors() {
        let list = Affiliation.list(from: ["[Smith, John] Univ A, Dept Mat, City, Country.", "[Doe, Anna; Roe, Rita] Univ B, Lab X, Town, Country."])
        XCTAssertEqual(list, [
            Affiliation(authors: ["Smith, John"], address: "Univ A, Dept Mat, City, Country."),
            Affiliation(authors: ["Doe, Anna", "Roe, Rita"], address: "Univ B, Lab X, Town, Country."),
        ])
    }

    func testWoSTabDelimitedCellCutInsideBracketsIsJoinedAgain() {
        // What RecordBuilder's split on ";" makes of "[Smith, John; Doe, Anna] Univ A; [Roe, R] Univ B".
        let list = Affiliation.list(from: ["[Smith, John", "Doe, Anna] Univ A, City", "[Roe, R] Univ B"])
        XCTAssertEqual(list, [Affiliation(authors: ["Smith, John", "Doe, Anna"], address: "Univ A, City"),
                              Affiliation(authors: ["Roe, R"], address: "Univ B")])
    }

    func testWoSBibTeXReprintAddressJoinsTheSameAddress() {
        let value = "D'Ambrosio, A (Reprint Author), Univ Naples Federico II, Dept Econ, Naples, Italy.\n   Univ Naples Federico II, Dept Econ, Naples, Italy.\n Univ Salerno, Italy."
        XCTAssertEqual(Affiliation.list(from: [value]), [
            Affiliation(authors: ["D'Ambrosio, A"], address: "Univ Naples Federico II, Dept Econ, Naples, Italy."),
            Affiliation(address: "Univ Salerno, Italy."),
        ])
        XCTAssertEqual(Affiliation.list(from: ["Toh, ML (corresponding author), Univ Technol Sarawak, Sibu, Malaysia."]),
                       [Affiliation(authors: ["Toh, ML"], address: "Univ Technol Sarawak, Sibu, Malaysia.")])
    }

    func testPlainListsAreDeduplicatedIgnoringCaseSpacingAndFullStop() {
        // Scopus "a; b" (already split), RIS AD, OpenAlex's raw string and institution name.
        let list = Affiliation.list(from: ["Department of Physics, University X", "department of physics,  University X.", "University X", ""])
        XCTAssertEqual(list.map(\.address), ["Department of Physics, University X", "University X"])
        XCTAssertEqual(Affiliation.list(from: ["[A, B] Univ Q", "[C, D] univ q."]), [Affiliation(authors: ["A, B", "C, D"], address: "Univ Q")])
    }

    /// White space: ASCII runs (the byte path) and Unicode spaces (the `Character` path) collapse
    /// alike; a reprint marker in any case is found; a parenthesis alone is not a marker.
    func testWhiteSpaceAndReprintMarkers() {
        XCTAssertEqual(Affiliation.list(from: ["  Univ A,\t Dept   Mat ,\t\tCity.  "]), [Affiliation(address: "Univ A, Dept Mat , City.")])
        XCTAssertEqual(Affiliation.list(from: ["Univ\u{3000}Tōkyō \u{A0} Dept. (NIMS)", "univ tōkyō dept. (nims)."]),
                       [Affiliation(address: "Univ Tōkyō Dept. (NIMS)")])
        XCTAssertEqual(Affiliation.list(from: ["Ito, A (REPRINT AUTHOR), Univ A, Sapporo.", "Univ A,  Sapporo"]),
                       [Affiliation(authors: ["Ito, A"], address: "Univ A, Sapporo.")])
        XCTAssertEqual(Affiliation.list(from: ["Ito, A (Corresponding Author) Univ B"]), [Affiliation(authors: ["Ito, A"], address: "Univ B")])
        XCTAssertEqual(Affiliation.list(from: ["Inst (author) X"]), [Affiliation(address: "Inst (author) X")])
    }

    /// Every line break splits a value: ASCII ones (CR LF among them) and the Unicode ones,
    /// which the byte check that skips the split for one-line values must not miss.
    func testEveryKindOfLineBreakSplitsAValue() {
        for br in ["\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"] {
            XCTAssertEqual(Affiliation.list(from: ["Univ A, Sapporo" + br + "Univ B, Tōkyō"]).map(\.address), ["Univ A, Sapporo", "Univ B, Tōkyō"],
                           "break \(br.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        XCTAssertEqual(Affiliation.list(from: ["Université Grenoble Alpes, CNRS — Institut Néel"]).map(\.address),
                       ["Université Grenoble Alpes, CNRS — Institut Néel"], "non-ASCII text without a break stays one line")
    }

    func testLineReadsBackToTheSameValue() {
        let list = [Affiliation(authors: ["Smith, John", "Doe, Anna"], address: "Univ A, City"), Affiliation(address: "Inst B <x> & \"y\"")]
        XCTAssertEqual(Affiliation.list(from: [list.map(\.line).joined(separator: "\n")]), list)
        XCTAssertEqual(Affiliation.list(from: []), [])
        XCTAssertEqual(Affiliation.list(from: ["[Only, Names]"]), [], "a bracket without an address is no affiliation")
    }

    func testReadersHandTheirAffiliationsOn() throws {
        // WoS plain text C1 (two lines), end to end through the reader.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("Fixtures/bibliography/wos_two_blocks.txt").path
        let records = try Bibliography.read(Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: path).records
        let smith = try XCTUnwrap(records.first { !$0.affiliations.isEmpty })
        XCTAssertEqual(Affiliation.list(from: smith.affiliations), [
            Affiliation(authors: ["Smith, John"], address: "Univ A, Dept Mat, City, Country."),
            Affiliation(authors: ["Doe, Anna"], address: "Univ B, Lab X, Town, Country."),
        ])
    }

    func testWoSBibTeXLinesNameTheirAuthorsFromTheEntrysAuthorList() throws {
        // Both WoS BibTeX shapes: names before each address (newer) and bare addresses (older).
        let bib = """
        @article{ WOS:000000000000001,
        Author = {D'Ambrosio, Antonio and Iorio, Carmela and Frasso, Gianluca},
        Title = {{A title}},
        Year = {{2016}},
        Affiliation = {{D'Ambrosio, A (Reprint Author), Univ Naples Federico II, Dept Econ \\& Stat, Naples, Italy.
           Iorio, Carmela; D'Ambrosio, Antonio, Univ Naples Federico II, Dept Econ \\& Stat, Naples, Italy.
           Frasso, Gianluca, Univ Liege, Belgium.
           Natl Taipei Univ Technol, Taipei 106, Taiwan.}},
        Unique-ID = {{WOS:000000000000001}},
        }

        """
        let record = try XCTUnwrap(try Bibliography.read(Array(bib.utf8), file: "t.bib", format: .wosBibTeX).records.first)
        XCTAssertEqual(Affiliation.list(from: record.affiliations), [
            Affiliation(authors: ["D'Ambrosio, Antonio", "Iorio, Carmela"], address: "Univ Naples Federico II, Dept Econ & Stat, Naples, Italy."),
            Affiliation(authors: ["Frasso, Gianluca"], address: "Univ Liege, Belgium."),
            Affiliation(address: "Natl Taipei Univ Technol, Taipei 106, Taiwan."),
        ])
    }

    /// `trimmed` cuts ASCII ends on bytes; on 20,000 random strings of white space, CR LF,
    /// control characters, punctuation, letters, combining marks and a prepending mark it cuts
    /// exactly where the `Character` walk does, for each of the affiliation list's `Ends`; and
    /// each `Ends`' byte test agrees with its `Character` test on all of ASCII.
    func testTrimmingOnBytesCutsWhereCharactersDo() {
        let ends: [(String, Affiliation.Ends)] = [("white space", .whiteSpace), ("separators", .separators), ("key", .keyPunctuation)]
        for (name, e) in ends {
            for b in UInt8(0)..<0x80 { XCTAssertEqual(e.byte(b), e.character(Character(Unicode.Scalar(b))), "\(name): byte \(b)") }
        }
        let alphabet: [String] = [" ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{1C}", ",", ";", ".", "a", "Z", "7", "é", "e\u{301}", "\u{301}",
                                  "\u{0600}", "\u{00A0}", "\u{2028}", "日", "]", "["]
        func byCharacters(_ s: Substring, _ drop: (Character) -> Bool) -> String {
            guard let first = s.firstIndex(where: { !drop($0) }), let last = s.lastIndex(where: { !drop($0) }) else { return "" }
            return String(s[first...last])
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            let padded = "x" + text + "y"
            let sub = padded.dropFirst().dropLast()   // a Substring too, as the readers pass
            for (name, e) in ends {
                XCTAssertEqual(Affiliation.trimmed(text, dropping: e), byCharacters(text[...], e.character), "\(name): \(text.unicodeScalars.map { String($0.value, radix: 16) })")
                XCTAssertEqual(Affiliation.trimmed(sub, dropping: e), byCharacters(sub, e.character), "\(name), substring: \(text.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
        XCTAssertEqual(Affiliation.trimmed("  Univ B, Tokyo.; ", dropping: .separators), "Univ B, Tokyo.")
        XCTAssertEqual(Affiliation.trimmed("\t Univ B \r\n", dropping: .whiteSpace), "Univ B")
    }

    /// The list as the plain `Character` walk makes it (the first shape of `list(from:)`, before
    /// byte fast paths): one dictionary of keys, every value split by lines, every piece's white
    /// space collapsed by `Character`, the key collapsed again after lowercasing.
    static func referenceList(_ values: [String]) -> [Affiliation] {
        func collapse(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        func trim(_ s: some StringProtocol, _ drop: (Character) -> Bool) -> String {
            guard let first = s.firstIndex(where: { !drop($0) }), let last = s.lastIndex(where: { !drop($0) }) else { return "" }
            return String(s[first...last])
        }
        var pieces: [String] = []
        var open: String?
        for value in values {
            for raw in value.split(whereSeparator: \.isNewline) {
                let line = trim(raw, \.isWhitespace)
                guard !line.isEmpty else { continue }
                let joined = open.map { $0 + "; " + line } ?? line
                if joined.filter({ $0 == "[" }).count > joined.filter({ $0 == "]" }).count { open = joined } else { open = nil; pieces.append(joined) }
            }
        }
        if let open { pieces.append(open) }
        var out: [Affiliation] = []
        var position: [String: Int] = [:]
        for piece in pieces {
            var text = collapse(piece)
            var authors: [String] = []
            if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                for name in text[text.index(after: text.startIndex)..<close].split(separator: ";") {
                    let name = trim(name, \.isWhitespace)
                    if !name.isEmpty { Affiliation.add(name, to: &authors) }
                }
                text = trim(text[text.index(after: close)...], \.isWhitespace)
            } else if let marker = text.range(of: #" \((reprint|corresponding) author\),? ?"#, options: [.regularExpression, .caseInsensitive]) {
                authors = [String(text[..<marker.lowerBound])]
                text = String(text[marker.upperBound...])
            }
            text = trim(text) { $0 == "," || $0 == ";" || $0 == " " }
            guard !text.isEmpty else { continue }
            let key = trim(collapse(text.lowercased())) { $0 == "." || $0 == "," || $0 == ";" || $0 == " " }
            if let at = position[key] {
                for name in Affiliation(authors: authors, address: text).authors { Affiliation.add(name, to: &out[at].authors) }
            } else {
                position[key] = out.count
                out.append(Affiliation(authors: authors, address: text))
            }
        }
        return out
    }

    /// `list(from:)` with its fast paths (a scan of keys for a short list, white space left
    /// alone when already single, brackets counted in one pass) makes the reference's list on
    /// random values: white space of every kind, brackets, reprint markers, case, full stops,
    /// non-ASCII letters, and lists long enough to cross from the scan to the dictionary.
    func testListMatchesTheCharacterWalkOnRandomValues() {
        let words = ["Univ", "univ", "B", "Tokyo", "Dept.", " ", "  ", "\t", "\n", "\r\n", "\u{00A0}", ", ", "; ", ".", "[", "]", "[Smith, J; Doe, A] ",
                     " (Reprint Author), ", " (corresponding author) ", "é", "É", "\u{2028}", "日本", "Lab"]
        var rng = SystemRandomNumberGenerator()
        for round in 0..<5_000 {
            let count = round % 10 == 0 ? Int.random(in: 30...60, using: &rng) : Int.random(in: 0...6, using: &rng)
            let values = (0..<count).map { _ in (0..<Int.random(in: 0...7, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined() }
            XCTAssertEqual(Affiliation.list(from: values), Self.referenceList(values), "\(values)")
            for v in values {
                XCTAssertEqual(Affiliation.collapsingWhitespace(v), v.split(whereSeparator: \.isWhitespace).joined(separator: " "), "\(v.unicodeScalars.map(\.value))")
            }
        }
    }
}
