/// Web of Science tab-delimited ("Win" UTF-16LE or "UTF-8" with BOM): the same two-letter tags as
/// the plain-text export, as a header row. No CSV quoting — fields contain literal `"` — and rows
/// of some years end with a trailing tab the header lacks. Columns move between years (2023 adds
/// C3, FP, DL, WE; UT moves to the end), so they are found by name.
enum WoSTabDelimited {
    static let reader = TabularReader(format: .wosTabDelimited, separator: UInt8(ascii: "\t"), quotes: false,
                                      aliases: WoSTags.aliases, authorStyle: .semicolons, allowsTrailingEmptyField: true)
}
