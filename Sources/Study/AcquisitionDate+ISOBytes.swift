import Archive

extension AcquisitionDate {
    /// Whether `description` (`YYYY-MM-DDTHH:MM:SS`) is exactly 19 ASCII bytes that
    /// `writeISOText` can write: every field within its digits (a record's fields are public and
    /// may hold anything; `AcquisitionDate(…)` itself only makes real dates).
    var hasFixedWidthISOText: Bool {
        UInt(bitPattern: year) <= 9999 && UInt(bitPattern: month) <= 99 && UInt(bitPattern: day) <= 99
            && UInt(bitPattern: hour) <= 99 && UInt(bitPattern: minute) <= 99 && UInt(bitPattern: second) <= 99
    }

    /// Writes the 19 bytes of `description` at `p`; only when `hasFixedWidthISOText`.
    ///
    /// Replaces `withISOText` (Archive) for the index writer: that one is generic over its
    /// closure's result and, called from this module, ran unspecialised (a metadata lookup and an
    /// enum-payload store per call) and wrote into a temporary buffer that was then copied into
    /// the statement's arena — twice per image row. This writes into the arena directly
    /// (`PreparedInsert.bindText(byteCount:_:)`). `ISODateBytesTests` compares it with
    /// `description`.
    func writeISOText(to p: UnsafeMutablePointer<UInt8>) {
        @inline(__always) func two(_ v: Int, _ i: Int) {
            let v = UInt8(truncatingIfNeeded: v)
            p[i] = 0x30 + v / 10
            p[i + 1] = 0x30 + v % 10
        }
        let y = UInt16(truncatingIfNeeded: year)
        two(Int(y / 100), 0); two(Int(y % 100), 2); p[4] = UInt8(ascii: "-")
        two(month, 5); p[7] = UInt8(ascii: "-")
        two(day, 8); p[10] = UInt8(ascii: "T")
        two(hour, 11); p[13] = UInt8(ascii: ":")
        two(minute, 14); p[16] = UInt8(ascii: ":")
        two(second, 17)
    }
}
