import Foundation
import PostgresNIO

/// COPY of rows that are produced while they are sent. The rows are rendered on a thread of their
/// own (reading a study's SQLite index is synchronous) into chunks of about a megabyte, which the
/// connection sends as they come; at most `depth` chunks wait, so memory stays flat whatever the
/// table's size, and reading the study overlaps with the server storing rows.
enum CopyStream {
    /// What the producer rendered: its row count, digest and the duplicates it left out.
    struct Summary: Sendable {
        var rows: Int
        var digest: RowDigest
        var duplicates: Int
    }

    /// Writes rows into a `CopyText` and hands over full chunks; `duplicate()` counts a row left out.
    final class Rows {
        fileprivate var text: CopyText
        fileprivate let send: ([UInt8]) throws -> Void
        fileprivate(set) var duplicates = 0
        static let chunkBytes = 1 << 20

        fileprivate init(prefix: String, send: @escaping ([UInt8]) throws -> Void) {
            text = CopyText(prefix: prefix, reservingCapacity: Self.chunkBytes + (64 << 10))
            self.send = send
        }

        /// Renders one row (`render` writes its fields) and sends the chunk once it is full.
        func row(_ render: (inout CopyText) -> Void) throws {
            render(&text)
            text.endRow()
            if text.bytes.count >= Self.chunkBytes { try send(text.take()) }
        }

        func duplicate() { duplicates += 1 }

        fileprivate func finish() throws -> Summary {
            if !text.bytes.isEmpty { try send(text.take()) }
            return Summary(rows: text.rows, digest: text.digest, duplicates: duplicates)
        }
    }

    /// COPYs into `table` (`columns` in order; each row starts with `prefix`, the facility) the
    /// rows `produce` writes, running it on its own thread. A failure on either side stops both:
    /// the producer's error fails the COPY (the server discards what it received), the server's
    /// error stops the producer at its next chunk.
    static func copy(into table: String, columns: [String], prefix: String, _ c: CatalogueConnection,
                     produce: @escaping @Sendable (Rows) throws -> Void) async throws -> Summary {
        let pipe = ChunkPipe(depth: 4)
        let result = ResultBox()
        let producer = Thread {
            do {
                let rows = Rows(prefix: prefix) { try pipe.send($0) }
                try produce(rows)
                result.set(.success(try rows.finish()))
                pipe.finish(throwing: nil)
            } catch {
                result.set(.failure(error))
                pipe.finish(throwing: error)
            }
        }
        producer.stackSize = 8 << 20
        producer.start()
        do {
            // postgres-nio writes `COPY "<table>"`: a schema-qualified name is passed with the
            // quotes around the dot (the names are the project's constants).
            try await c.connection.copyFrom(table: table.replacingOccurrences(of: ".", with: "\".\""), columns: columns, logger: c.logger) { writer in
                for try await chunk in pipe.stream {
                    try await writer.write(ByteBuffer(bytes: chunk))
                    pipe.taken()
                }
            }
        } catch {
            pipe.cancel()
            await result.wait()
            // The producer's own failure explains the COPY's; its CancellationError is only the
            // echo of the cancel above.
            if let producerError = result.error, !(producerError is CancellationError) { throw c.wrap(producerError) }
            throw c.wrap(error)
        }
        await result.wait()
        return try result.get()
    }
}

/// The hand-over between the producer thread and the async COPY writer: an AsyncThrowingStream
/// whose producer blocks (a semaphore of `depth` credits) while `depth` chunks wait unsent.
final class ChunkPipe: @unchecked Sendable {
    let stream: AsyncThrowingStream<[UInt8], Error>
    private let continuation: AsyncThrowingStream<[UInt8], Error>.Continuation
    private let credits: DispatchSemaphore
    private let lock = NSLock()
    private var cancelled = false

    init(depth: Int) {
        (stream, continuation) = AsyncThrowingStream<[UInt8], Error>.makeStream()
        credits = DispatchSemaphore(value: depth)
    }

    /// Producer: waits for a free place, then queues the chunk; throws once the consumer gave up.
    func send(_ chunk: [UInt8]) throws {
        credits.wait()
        if isCancelled { credits.signal(); throw CancellationError() }
        continuation.yield(chunk)
    }

    func finish(throwing error: Error?) {
        continuation.finish(throwing: error)
    }

    /// Consumer: one chunk was sent, its place is free.
    func taken() { credits.signal() }

    /// Consumer: it stopped reading; a waiting producer wakes and throws.
    func cancel() {
        lock.lock(); cancelled = true; lock.unlock()
        credits.signal()
    }

    private var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }
}

/// The producer's outcome, awaited by the consumer once the stream ended.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<CopyStream.Summary, Error>?
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func set(_ r: Result<CopyStream.Summary, Error>) {
        lock.lock()
        result = r
        let w = waiters
        waiters = []
        lock.unlock()
        for c in w { c.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if result != nil { lock.unlock(); c.resume(); return }
            waiters.append(c)
            lock.unlock()
        }
    }

    var error: Error? {
        lock.lock(); defer { lock.unlock() }
        if case .failure(let e) = result { return e }
        return nil
    }

    func get() throws -> CopyStream.Summary {
        lock.lock(); defer { lock.unlock() }
        return try result!.get()
    }
}
