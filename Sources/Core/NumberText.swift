/// A measured number written for people: rounded to a whole number, without a fraction.
///
/// `String(Int(v))` traps when `v` is not finite or beyond `Int`'s range, and such values come
/// from the files people have: a broken or fuzzed Zeiss header can state a width of 1e300 m,
/// a server a `Retry-After` of 1e400 s. Those are written as Swift writes a `Double` instead.
public enum NumberText {
    /// `v` rounded to the nearest whole number ("1024", "-3"); "1e+300", "inf" or "nan" when that
    /// is no `Int`.
    public static func rounded(_ v: Double) -> String {
        Int(exactly: v.rounded()).map { String($0) } ?? String(v)
    }
}
