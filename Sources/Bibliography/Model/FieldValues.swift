/// One record's cleaned values by field, while `RecordBuilder` builds it: a flat array indexed by
/// the field's number. It is filled and read about twenty times per record; a `[Field: [String]]`
/// dictionary hashed (and allocated storage) on each of those.
struct FieldValues {
    private var slots = [[String]](repeating: [], count: Field.allCases.count)

    /// The values of `field`, nil when it has none (as a dictionary would answer).
    subscript(field: Field) -> [String]? {
        let v = slots[field.rawValue]
        return v.isEmpty ? nil : v
    }

    /// Adds `value` trimmed; a value that is empty once trimmed is not a value.
    mutating func add(_ value: String, to field: Field) {
        let cleaned = value.trimmed()
        if !cleaned.isEmpty { slots[field.rawValue].append(cleaned) }
    }

    /// Empties every field, keeping the arrays' storage: a reader that fills one record after
    /// another reuses it instead of allocating ~a dozen arrays per record.
    mutating func removeAll() {
        for i in slots.indices where !slots[i].isEmpty { slots[i].removeAll(keepingCapacity: true) }
    }
}
