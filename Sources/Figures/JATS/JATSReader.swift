import CLibXML2
import Core
import Foundation

/// Reads JATS XML into `JATSArticle` values with libxml2's pull parser (`xmlTextReader`).
///
/// Why a pull parser: it streams (no tree is built), it is as fast as libxml2's tree parser, and
/// it lets us keep only the few elements figure counting needs.
///
/// Why these options: JATS arrives from publishers' APIs and from strangers' archives, so the
/// reader never touches the network (`XML_PARSE_NONET`), never loads an external DTD or entity
/// (no `XML_PARSE_DTDLOAD`, no `XML_PARSE_NOENT`), keeps libxml2's built-in limits on depth, text
/// and entity amplification (no `XML_PARSE_HUGE`; a billion-laughs file fails with libxml2's
/// "entity reference loop" or "amplification" error), and refuses files above `maxBytes`.
/// Internal DTD subsets (the Springer API's `<!DOCTYPE response [ … ]>`) are parsed, not loaded.
public struct JATSReader: Sendable {
    /// Files larger than this are refused before parsing. Real articles are 50 kB–2 MB.
    public var maxBytes: Int

    public static let defaultMaxBytes = 64 * 1024 * 1024

    public init(maxBytes: Int = JATSReader.defaultMaxBytes) {
        self.maxBytes = maxBytes
    }

    static let parseOptions: Int32 = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOERROR.rawValue)

    /// Every top-level `<article>` in `data` (a bare article, a `<pmc-articleset>`, a publisher
    /// wrapper such as `<response><records><article>`). Throws an `InputError` naming `file` and
    /// the line when the bytes are not well-formed XML, too large, or hold no article.
    public func read(_ data: Data, file: String) throws -> [JATSArticle] {
        guard data.count <= maxBytes else {
            throw InputError("the file is \(data.count) bytes, above the limit of \(maxBytes) bytes; "
                             + "raise it with --max-bytes if the file is genuine", file: file)
        }
        guard !data.isEmpty else { throw InputError("the file is empty", file: file) }
        JATSReader.initialiseOnce
        let sink = ErrorSink()
        let articles: [JATSArticle] = try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self),
                  let reader = xmlReaderForMemory(base, Int32(clamping: raw.count), file, nil, JATSReader.parseOptions)
            else { throw InputError("libxml2 could not start reading the file", file: file) }
            defer { xmlFreeTextReader(reader) }
            let box = Unmanaged.passUnretained(sink).toOpaque()
            xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
                guard let context, let error else { return }
                let sink = Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue()
                sink.record(error.pointee)
            }, box)
            var walker = JATSWalker(reader: reader)
            while true {
                let status = xmlTextReaderRead(reader)
                if status == 1 { walker.step(); continue }
                if status == 0 { break }
                let worst = sink.firstFatal ?? sink.firstError
                // Errors inside an entity's replacement text carry the entity's own line 1.
                let line = (worst?.inDocument ?? false) ? worst?.line ?? 0 : Int(xmlTextReaderGetParserLineNumber(reader))
                var message = worst?.message ?? "malformed XML"
                if message.lowercased().contains("entit") {
                    message += " (entity expansion is bounded: the file may be a billion-laughs attack)"
                }
                throw InputError("not well-formed XML: \(message)", file: file, line: line > 0 ? line : nil)
            }
            if let fatal = sink.firstFatal {
                throw InputError("not well-formed XML: \(fatal.message)", file: file, line: fatal.line > 0 ? fatal.line : nil)
            }
            return walker.finish()
        }
        guard !articles.isEmpty else {
            throw InputError("no <article> element: this is not JATS full text", file: file)
        }
        return articles
    }

    /// libxml2 must be initialised once before parsers run on several threads.
    private static let initialiseOnce: Void = { xmlInitParser() }()
}

/// Collects libxml2's errors for one parse (libxml2 calls back on the parsing thread).
private final class ErrorSink: @unchecked Sendable {
    struct Entry { var message: String; var line: Int; var inDocument: Bool }
    /// The first fatal error (the parse stops) and the first error of any severity.
    private(set) var firstFatal: Entry?
    private(set) var firstError: Entry?

    func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let text = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        let entry = Entry(message: text.trimmingCharacters(in: .whitespacesAndNewlines), line: Int(error.line),
                          inDocument: error.file != nil)
        if firstError == nil { firstError = entry }
        if error.level.rawValue >= XML_ERR_FATAL.rawValue, firstFatal == nil { firstFatal = entry }
    }
}
