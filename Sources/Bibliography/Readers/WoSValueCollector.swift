/// Gathers one WoS plain-text record's identifying values straight into `FieldValues`, for an
/// identification read (`bib inspect`): no `RawRecord` with its tag array and two-letter tag
/// Strings per record, no alias dictionary lookup per value — those were about a quarter of
/// reading a WoS file. Only the kept tags' values become Strings; every other line is skipped by
/// the reader without one.
///
/// It gives exactly what `RecordBuilder.build(_:)` gathers from the raw record the full read
/// keeps:
/// - a value is its tag line's text, with each wrapped continuation line joined by one space
///   *before* trimming (as `RawRecord` values are joined, then trimmed by `FieldValues.add`);
///   joining the bytes and decoding once equals decoding each piece and joining the Strings,
///   since a space never completes or continues a UTF-8 sequence;
/// - a field fed by two tags (WoS `PD` and `EA` both give `.date`) gets the values of the tag
///   that appeared first in the record, then the other's — the raw record groups values by tag
///   in order of first appearance, so a repeated tag's later values move up with its first.
struct WoSValueCollector {
    /// Kept tag slot (1-based; 0 = not kept) by the tag's 16-bit code.
    private var slotOfCode: [UInt8]
    private var fieldOfSlot: [Field] = []
    /// Slots whose field is fed by more than one tag: their values wait until the record ends.
    private var sharedSlot: [Bool] = []
    private var waiting: [[String]] = []
    private var waitingOrder: [Int] = []

    private(set) var values = FieldValues()
    /// Whether any kept tag line appeared (empty or not): a record without one is "empty", as a
    /// raw record with no tags is.
    private(set) var sawKeptTag = false

    /// The open value: its slot (0 = none), its tag line's bytes, and its joined text once a
    /// continuation line arrived.
    private var openSlot = 0
    private var openStart = 0, openEnd = 0
    private var joined: [UInt8] = []
    private var isJoined = false

    init(aliases: [String: Field]) {
        slotOfCode = [UInt8](repeating: 0, count: 65536)
        var tagsPerField: [Field: Int] = [:]
        // Sorted, so slot numbers do not depend on dictionary order (they never show, but stable
        // is easier to reason about).
        for (tag, field) in aliases.sorted(by: { $0.key < $1.key }) {
            let code = WoSPlainText.code(tag)
            guard code != 0, fieldOfSlot.count < 255 else { continue }
            fieldOfSlot.append(field)
            slotOfCode[Int(code)] = UInt8(fieldOfSlot.count)
            tagsPerField[field, default: 0] += 1
        }
        sharedSlot = fieldOfSlot.map { tagsPerField[$0, default: 0] > 1 }
        waiting = Array(repeating: [], count: fieldOfSlot.count + 1)
    }

    /// Whether the tag with this code is one the identification read keeps.
    @inline(__always) func keeps(_ code: UInt16) -> Bool { slotOfCode[Int(code)] != 0 }

    /// Starts a new record. The last record's value arrays are emptied, keeping their storage
    /// (no fresh arrays per record), and so are values left by a record that was rejected.
    mutating func reset() {
        if sawKeptTag {
            values.removeAll()
            for slot in waitingOrder { waiting[slot].removeAll(keepingCapacity: true) }
            waitingOrder.removeAll(keepingCapacity: true)
        }
        sawKeptTag = false
        openSlot = 0
    }

    /// A kept tag's line: its value is `text[start..<end]` (empty when the line is only the tag).
    mutating func begin(_ code: UInt16, _ start: Int, _ end: Int, in text: UnsafeBufferPointer<UInt8>) {
        close(in: text)
        openSlot = Int(slotOfCode[Int(code)])
        openStart = start; openEnd = end
        isJoined = false
        sawKeptTag = true
    }

    /// A continuation line of the open value (a wrapped, non-list value): joined with one space.
    mutating func join(_ start: Int, _ end: Int, in text: UnsafeBufferPointer<UInt8>) {
        guard openSlot != 0 else { return }
        if !isJoined {
            joined.removeAll(keepingCapacity: true)
            joined.append(contentsOf: UnsafeBufferPointer(rebasing: text[openStart..<openEnd]))
            isJoined = true
        }
        joined.append(0x20)
        joined.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<end]))
    }

    /// Ends the open value (a tag line that is not kept ends it too): it becomes a String and
    /// goes to its field.
    mutating func close(in text: UnsafeBufferPointer<UInt8>) {
        guard openSlot != 0 else { return }
        let slot = openSlot
        openSlot = 0
        let value = isJoined
            ? String(decoding: joined, as: UTF8.self)
            : String(decoding: UnsafeBufferPointer(rebasing: text[openStart..<openEnd]), as: UTF8.self)
        if sharedSlot[slot - 1] {
            if waiting[slot].isEmpty { waitingOrder.append(slot) }
            waiting[slot].append(value)
        } else {
            values.add(value, to: fieldOfSlot[slot - 1])
        }
    }

    /// Ends the record: the values of shared fields go in, tag by tag in order of appearance.
    /// `values` is then complete (until the next `reset`).
    mutating func finish(in text: UnsafeBufferPointer<UInt8>) {
        close(in: text)
        for slot in waitingOrder {
            for v in waiting[slot] { values.add(v, to: fieldOfSlot[slot - 1]) }
            waiting[slot].removeAll(keepingCapacity: true)
        }
        waitingOrder.removeAll(keepingCapacity: true)
    }
}
