import Core
import Dispatch
import Foundation

/// Reads one export fed in chunks, so that a 100 MB file is never in memory at once: complete
/// records are parsed as soon as a chunk holds them, the incomplete tail waits for the next chunk.
/// Gives the same records, rejects and line numbers as `Bibliography.read` on the whole file.
///
/// Chunks are cut only where a record ends (after a WoS `ER` or RIS `ER  -` line, before a BibTeX
/// `@entry{`, after a CSV row outside any quotes), so every reader sees whole records. UTF-16
/// files are transcoded whole (they are small: WoS caps them at 1,000 records).
public struct ExportStream {
    public let file: String
    let forced: ExportFormat?
    let detail: ReadDetail
    var pending: [UInt8] = []
    var started = false
    var wholeFile = false
    var format: ExportFormat?
    var encoding: InputText.Encoding = .utf8
    var nextLine = 1
    var header: [String]? = nil
    var result: FileReadResult?

    /// Bytes needed before the format is guessed.
    static let sniffSize = 65536

    public init(file: String, format: ExportFormat? = nil, detail: ReadDetail = .full) {
        self.file = file
        self.forced = format
        self.detail = detail
    }

    /// Appends up to `capacity` bytes written by `fill` (which returns how many it wrote, 0 at the
    /// end of the input) straight after the unread tail — one copy fewer than `feed(_:)`.
    /// Returns the number of bytes added.
    public mutating func feed(capacity: Int, _ fill: (UnsafeMutableBufferPointer<UInt8>) -> Int) throws(UnreadableFile) -> Int {
        let tail = pending
        var added = 0
        pending = [UInt8](unsafeUninitializedCapacity: tail.count + capacity) { buffer, count in
            tail.withUnsafeBufferPointer { t in
                if let base = t.baseAddress { buffer.baseAddress!.update(from: base, count: t.count) }
            }
            added = max(0, min(capacity, fill(UnsafeMutableBufferPointer(rebasing: buffer[tail.count...]))))
            count = tail.count + added
        }
        if added > 0 { try afterFeed() }
        return added
    }

    /// Appends a copy of `bytes` (typically a reused read buffer). The stream's own buffer keeps
    /// its capacity between chunks, so after the first chunk no fresh memory is touched.
    public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) throws(UnreadableFile) {
        pending.append(contentsOf: bytes)
        try afterFeed()
    }

    public mutating func feed(_ chunk: [UInt8]) throws(UnreadableFile) {
        if pending.isEmpty { pending = chunk } else { pending += chunk }
        try afterFeed()
    }

    /// Feeds bytes that stay valid only during the call (a window of a mapped file). Delimited
    /// exports are parsed where the bytes are — only an unfinished last row is copied — instead of
    /// copying every window into the stream's buffer first (5 % of reading a Scopus CSV). Other
    /// formats, and the first window (before format and header are known), take `feed(_:)`.
    public mutating func feed(borrowing bytes: UnsafeBufferPointer<UInt8>) throws(UnreadableFile) {
        if started, !wholeFile, format == .wosPlainText, result != nil { feedWoS(borrowing: bytes); return }
        guard started, !wholeFile, header != nil, let format, Self.isDelimited(format) else { try feed(bytes); return }
        guard let start = stitch(bytes) else { return }
        let rest = UnsafeBufferPointer(rebasing: bytes[start...])
        let consumed = parseDelimited(rest, final: false)
        if consumed < rest.count { pending.append(contentsOf: UnsafeBufferPointer(rebasing: rest[consumed...])) }
    }

    /// WoS plain text fed by windows: the records the last window left unfinished are finished
    /// through the buffer (with the start of this window, as for delimited rows); the window's
    /// complete records are then parsed where they are, and only its unfinished tail is copied.
    /// Copying every 8 MB window into the buffer first was done on one core, and it was where
    /// each page of the mapped file was first touched — now both parsing threads touch them.
    mutating func feedWoS(borrowing bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = stitch(bytes) else { return }
        let rest = UnsafeBufferPointer(rebasing: bytes[start...])
        let end = Self.boundary(rest, .wosPlainText)
        if end > 0 { parseWoS(rest, end: end) }
        if end < rest.count { pending.append(contentsOf: UnsafeBufferPointer(rebasing: rest[end...])) }
    }

    /// Finishes the row or record the last window left unfinished: it and the start of this window
    /// go through the buffer. Returns where in `bytes` parsing in place resumes (after what the
    /// buffer's complete rows took), or nil when the whole window had to go through the buffer
    /// (the row is longer still, or the window small).
    mutating func stitch(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !pending.isEmpty else { return 0 }
        let tail = pending.count
        let k = min(bytes.count, Self.stitchSize)
        pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<k]))
        parseComplete(final: false)
        let resume = tail + k - pending.count   // first unread byte, counted over tail + window
        guard resume >= tail, k < bytes.count else {
            if k < bytes.count {
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[k...]))
                parseComplete(final: false)
            }
            return nil
        }
        pending.removeAll(keepingCapacity: true)
        return resume - tail
    }

    /// How much of a window `feed(borrowing:)` copies to finish a row left over from the last one.
    static let stitchSize = 1 << 20

    static func isDelimited(_ format: ExportFormat) -> Bool {
        switch format {
        case .scopusCSV, .wosTabDelimited, .lensCSV, .openAlexCSV: return true
        default: return false
        }
    }

    /// Parses the complete rows in `b` (a delimited format), adds them to the result and returns
    /// the bytes they took (all of `b` when `final`). Reads the header first when not known yet.
    mutating func parseDelimited(_ b: UnsafeBufferPointer<UInt8>, final: Bool) -> Int {
        guard let format else { return 0 }
        let reader: TabularReader
        switch format {
        case .scopusCSV: reader = ScopusCSV.reader
        case .wosTabDelimited: reader = WoSTabDelimited.reader
        case .lensCSV: reader = LensCSV.reader
        default: reader = OpenAlexCSV.reader
        }
        let r: FileReadResult
        let consumed: Int
        if header != nil, b.count >= Self.parallelThreshold, let mid = Self.rowBoundary(b, near: b.count / 2, quoted: format != .wosTabDelimited) {
            // Adds its records to `result` itself.
            (consumed, nextLine) = parseRowsInTwo(reader, b, mid: mid, final: final)
            return consumed
        } else {
            var state = TabularReader.StreamState(isFinal: final)
            var header = self.header
            r = reader.read(b, file: file, encoding: encoding, detail: detail, firstLine: nextLine, header: &header, state: &state)
            self.header = header
            consumed = final ? b.count : state.consumed
            nextLine = state.nextLine
        }
        add(r)
        return consumed
    }

    mutating func afterFeed() throws(UnreadableFile) {
        if !started {
            guard pending.count >= Self.sniffSize else { return }
            try start()
        }
        if !wholeFile { parseComplete(final: false) }
    }

    public mutating func finish() throws(UnreadableFile) -> FileReadResult {
        if !started {
            if pending.isEmpty { throw UnreadableFile(error: InputError("the file is empty", file: file)) }
            try start()
        }
        if wholeFile {
            return try Bibliography.read(pending, file: file, format: format, detail: detail)
        }
        parseComplete(final: true)
        guard let result, !(result.records.isEmpty && result.rejected.isEmpty) else {
            throw UnreadableFile(error: InputError("no records found in this \(format?.rawValue ?? "") file", file: file))
        }
        return result
    }

    mutating func start() throws(UnreadableFile) {
        started = true
        if pending.starts(with: [0xEF, 0xBB, 0xBF]) {
            pending.removeFirst(3); encoding = .utf8BOM
        } else if pending.starts(with: [0xFF, 0xFE]) || pending.starts(with: [0xFE, 0xFF]) || (pending.count >= 4 && pending[1] == 0 && pending[3] == 0) {
            wholeFile = true; format = forced; return
        }
        if InputText.looksBinary(pending) {
            throw UnreadableFile(error: InputError("this is a binary file, not a Scopus, Web of Science, Lens, OpenAlex, RIS or BibTeX export", file: file))
        }
        guard let f = forced ?? FormatDetector.detect(Array(pending.prefix(Self.sniffSize))) else {
            throw UnreadableFile(error: InputError("not a recognised export (expected Scopus CSV/RIS/BibTeX, WoS plain text/tab-delimited/RIS/BibTeX, Lens or OpenAlex CSV); use --format to force one", file: file, line: 1))
        }
        format = f
        result = FileReadResult(file: file, format: f, encoding: encoding)
    }

    mutating func parseComplete(final: Bool) {
        guard let format else { return }
        let r: FileReadResult
        var consumed: Int
        switch format {
        case .scopusCSV, .wosTabDelimited, .lensCSV, .openAlexCSV:
            // Delimited readers stop by themselves before a row that may continue in the next chunk.
            do {
                let text = pending
                consumed = text.withUnsafeBufferPointer { parseDelimited($0, final: final) }
            }
            if consumed >= pending.count { pending.removeAll(keepingCapacity: true) } else if consumed > 0 { pending.removeFirst(consumed) }
            return
        case .wosPlainText, .scopusRIS, .wosRIS, .ris:
            consumed = final ? pending.count : boundary(format)
            guard consumed > 0 else { return }
            // `parseLines` adds its records to `result` itself (no joined copy in between).
            parseLines(format, end: consumed)
            if consumed >= pending.count { pending.removeAll(keepingCapacity: true) } else { pending.removeFirst(consumed) }
            return
        default:
            consumed = final ? pending.count : boundary(format)
            guard consumed > 0 else { return }
            switch format {
            // Line-based readers read the complete records in place (no copy of the chunk).
            case .wosPlainText: r = WoSPlainText.read(pending, file: file, encoding: encoding, detail: detail, firstLine: nextLine, end: consumed)
            case .scopusRIS: r = ScopusRIS.reader.read(pending, file: file, encoding: encoding, detail: detail, firstLine: nextLine, end: consumed)
            case .wosRIS: r = WoSRIS.reader.read(pending, file: file, encoding: encoding, detail: detail, firstLine: nextLine, end: consumed)
            case .ris: r = RISReader.generic.read(pending, file: file, encoding: encoding, detail: detail, firstLine: nextLine, end: consumed)
            case .scopusBibTeX:
                let part = consumed == pending.count ? pending : Array(pending[..<consumed])
                r = ScopusBibTeX.reader.read(part, file: file, encoding: encoding, detail: detail, firstLine: nextLine)
            case .wosBibTeX:
                let part = consumed == pending.count ? pending : Array(pending[..<consumed])
                r = WoSBibTeX.reader.read(part, file: file, encoding: encoding, detail: detail, firstLine: nextLine)
            default:
                let part = consumed == pending.count ? pending : Array(pending[..<consumed])
                r = BibTeXReader.generic.read(part, file: file, encoding: encoding, detail: detail, firstLine: nextLine)
            }
            nextLine = r.nextLine
        }
        add(r)
        if consumed >= pending.count { pending.removeAll(keepingCapacity: true) } else if consumed > 0 { pending.removeFirst(consumed) }
    }

    /// Line-based formats: the complete records in `pending[..<end]`, parsed on two cores when
    /// there is enough — split where a record ends, the second half's first line counted ahead.
    /// Each half's records go straight into `result`: joining the halves first and then adding
    /// the join copied every record twice (a copy-on-write of the first half, then the append) —
    /// each copy a retain of every field and a release when the source goes.
    mutating func parseLines(_ format: ExportFormat, end: Int) {
        let text = pending
        let (file, encoding, detail) = (self.file, self.encoding, self.detail)
        @Sendable func parse(_ start: Int, _ stop: Int, _ line: Int) -> FileReadResult {
            switch format {
            case .wosPlainText: return WoSPlainText.read(text, file: file, encoding: encoding, detail: detail, firstLine: line, start: start, end: stop)
            case .scopusRIS: return ScopusRIS.reader.read(text, file: file, encoding: encoding, detail: detail, firstLine: line, start: start, end: stop)
            case .wosRIS: return WoSRIS.reader.read(text, file: file, encoding: encoding, detail: detail, firstLine: line, start: start, end: stop)
            default: return RISReader.generic.read(text, file: file, encoding: encoding, detail: detail, firstLine: line, start: start, end: stop)
            }
        }
        if format == .wosPlainText, result != nil {
            text.withUnsafeBufferPointer { parseWoS($0, end: end) }
            return
        }
        let mid = end >= Self.parallelThreshold ? boundary(format, limit: end / 2) : 0
        let first = nextLine
        guard mid > 0, mid < end else {
            let r = parse(0, end, nextLine)
            add(r)
            nextLine = r.nextLine
            return
        }
        let secondLine = nextLine + LineScanner.count(text, 0, mid)
        let halves = ParallelPair { k in k == 0 ? parse(0, mid, first) : parse(mid, end, secondLine) }
        add(halves.first)
        add(halves.second)
        nextLine = halves.second.nextLine
    }

    /// WoS plain text, the complete records in `b[..<end]`, parsed on two cores when there is
    /// enough — split where a record ends. The reader appends to the stream's result itself (the
    /// first half, or the whole range), so only the second half's records are copied once.
    mutating func parseWoS(_ b: UnsafeBufferPointer<UInt8>, end: Int) {
        guard var target = result else { return }
        let text = SharedBytes(buffer: b)
        let (file, encoding, detail) = (self.file, self.encoding, self.detail)
        let mid = end >= Self.parallelThreshold ? Self.boundary(b, .wosPlainText, limit: end / 2) : 0
        let first = nextLine
        result = nil   // `target` is now the only reference: appending does not copy it
        defer { result = target; nextLine = target.nextLine }
        guard mid > 0, mid < end else {
            WoSPlainText.read(b, file: file, detail: detail, firstLine: first, start: 0, end: end, into: &target)
            return
        }
        @Sendable func parse(_ start: Int, _ stop: Int, _ line: Int) -> FileReadResult {
            var r = FileReadResult(file: file, format: .wosPlainText, encoding: encoding)
            WoSPlainText.read(text.buffer, file: file, detail: detail, firstLine: line, start: start, end: stop, into: &r)
            return r
        }
        // The second half is read as if it started at line 1 and its records are moved down
        // once the first half's reader knows where it ended (its `nextLine`): counting the
        // first half's lines up front ran on one core before both started (3.5 % of the
        // instructions of `bib inspect` on a WoS file). Reject messages quote line numbers,
        // so a second half with rejects (rare) is read again from its real first line.
        var second = withUnsafeMutablePointer(to: &target) { p -> FileReadResult in
            let slot = ResultSlot(pointer: p)
            let halves = ParallelPair { k -> FileReadResult? in
                if k == 0 {
                    WoSPlainText.read(text.buffer, file: file, detail: detail, firstLine: first, start: 0, end: mid, into: &slot.pointer.pointee)
                    return nil
                }
                return parse(mid, end, 1)
            }
            return halves.second!
        }
        let secondLine = target.nextLine
        if second.rejected.isEmpty {
            let shift = secondLine - 1
            for i in second.records.indices {
                second.records[i].source.line += shift
                second.records[i].source.endLine += shift
                second.records[i].raw.line += shift
                second.records[i].raw.endLine += shift
            }
            second.nextLine += shift
        } else {
            second = parse(mid, end, secondLine)
        }
        target.records += second.records
        target.rejected += second.rejected
        target.nextLine = second.nextLine
    }

    /// The stream's result, handed to the thread that parses the first half; the other thread
    /// does not touch it, and the caller reads it only after both finished.
    struct ResultSlot: @unchecked Sendable { let pointer: UnsafeMutablePointer<FileReadResult> }

    /// Appends one part's records and rejects to `result`, in place.
    mutating func add(_ r: FileReadResult) {
        if result?.records.isEmpty == true { result?.records = r.records } else { result?.records += r.records }
        if result?.rejected.isEmpty == true { result?.rejected = r.rejected } else { result?.rejected += r.rejected }
    }

    /// Delimited formats: rows before `mid` (all complete) and from `mid` on, parsed at once; the
    /// second half is read from line 1 and its lines shifted afterwards (no reject message of the
    /// delimited reader quotes a line number, so shifting the locations is enough).
    /// Both halves go straight into `result` (see `parseLines`): one copy of each record, not two.
    mutating func parseRowsInTwo(_ reader: TabularReader, _ b: UnsafeBufferPointer<UInt8>, mid: Int, final: Bool) -> (Int, Int) {
        let text = SharedBytes(buffer: b)
        let (file, encoding, detail, header, line) = (self.file, self.encoding, self.detail, self.header, self.nextLine)
        let halves = ParallelPair { k -> (FileReadResult, TabularReader.StreamState) in
            var state = TabularReader.StreamState(isFinal: k == 0 ? true : final)
            var h = header
            let b = text.buffer
            let part = k == 0 ? UnsafeBufferPointer(rebasing: b[..<mid]) : UnsafeBufferPointer(rebasing: b[mid...])
            let r = reader.read(part, file: file, encoding: encoding, detail: detail, firstLine: k == 0 ? line : 1, header: &h, state: &state)
            return (r, state)
        }
        add(halves.first.0)
        let shift = halves.first.1.nextLine - 1
        for var rec in halves.second.0.records {
            rec.source.line += shift; rec.source.endLine += shift
            rec.raw.line += shift; rec.raw.endLine += shift
            result?.records.append(rec)
        }
        for var e in halves.second.0.rejected {
            e.location.line = e.location.line.map { $0 + shift }
            result?.rejected.append(e)
        }
        let consumed = final ? b.count : mid + halves.second.1.consumed
        return (consumed, halves.second.1.nextLine + shift)
    }

    /// The start of a CSV row at or after `target`: the first line break after it with an even
    /// number of quotes before it (the buffer starts at a row start, outside quotes). Jumps from
    /// quote to quote with `memchr`.
    static func rowBoundary(_ b: UnsafeBufferPointer<UInt8>, near target: Int, quoted: Bool) -> Int? {
        do {
            guard let base = b.baseAddress else { return nil }
            let n = b.count
            var i = 0
            var inQuotes = false
            if quoted {
                // Parity up to `target`.
                while i < target, let q = memchr(base + i, 0x22, target - i) {
                    inQuotes.toggle()
                    i = base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
                }
            }
            i = target
            while i < n {
                if quoted, inQuotes {
                    guard let q = memchr(base + i, 0x22, n - i) else { return nil }
                    i = base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
                    inQuotes = false
                    continue
                }
                let c = base[i]
                if c == 0x22 && quoted { inQuotes = true } else if c == 0x0A { return i + 1 < n ? i + 1 : nil }
                i += 1
            }
            return nil
        }
    }

    /// Below this, one core is faster than two.
    static let parallelThreshold = 1 << 20

    /// Where the last complete record in `pending` ends (0 when none is complete yet).
    func boundary(_ format: ExportFormat, limit: Int? = nil) -> Int {
        pending.withUnsafeBufferPointer { Self.boundary($0, format, limit: limit) }
    }

    /// Where the last complete record in `b` (up to `limit`) ends (0 when none is complete).
    static func boundary(_ b: UnsafeBufferPointer<UInt8>, _ format: ExportFormat, limit: Int? = nil) -> Int {
        do {
            let n = min(limit ?? b.count, b.count)
            switch format {
            case .wosPlainText, .scopusRIS, .wosRIS, .ris:
                // The end of the last line starting with "ER" (WoS) or "ER  -" (RIS).
                var i = n - 1
                while i > 0 {
                    if b[i] == 0x0A, i + 2 < n, b[i + 1] == 0x45, b[i + 2] == 0x52,
                       i + 3 == n || b[i + 3] == 0x0A || b[i + 3] == 0x0D || b[i + 3] == 0x20 {
                        var e = i + 3
                        while e < n, b[e] != 0x0A { e += 1 }
                        return e < n ? e + 1 : 0
                    }
                    i -= 1
                }
                return 0
            case .scopusBibTeX, .wosBibTeX, .bibtex:
                // The start of the last line opening an entry ("@word{").
                var i = n - 2
                while i > 0 {
                    if b[i] == 0x0A, b[i + 1] == 0x40 { return i + 1 }
                    i -= 1
                }
                return 0
            case .wosTabDelimited:
                var i = n - 1
                while i >= 0, b[i] != 0x0A { i -= 1 }
                return i + 1
            case .scopusCSV, .lensCSV, .openAlexCSV:
                return 0   // delimited readers find their own stopping point (`parseComplete`)
            }
        }
    }
}

/// Runs two independent pieces of work at once and returns both results. The two slots are
/// written by one thread each and read only after both finished.
struct ParallelPair<T>: @unchecked Sendable {
    let first: T
    let second: T

    /// `sequential`: both on the calling thread, one after the other (small inputs, where
    /// starting the second thread costs more than it saves).
    init(sequential: Bool = false, _ work: @Sendable (Int) -> T) {
        if sequential {
            first = work(0)
            second = work(1)
            return
        }
        let slots = UnsafeMutablePointer<T?>.allocate(capacity: 2)
        slots.initialize(repeating: nil, count: 2)
        defer { slots.deinitialize(count: 2); slots.deallocate() }
        let box = SlotBox(slots: slots)
        DispatchQueue.concurrentPerform(iterations: 2) { k in box.slots[k] = work(k) }
        first = slots[0]!
        second = slots[1]!
    }

    struct SlotBox: @unchecked Sendable { let slots: UnsafeMutablePointer<T?> }
}

/// A read-only buffer handed to both halves of a parallel parse; it outlives the parse (the
/// caller's array or mapped window), and neither half writes to it.
struct SharedBytes: @unchecked Sendable { let buffer: UnsafeBufferPointer<UInt8> }
