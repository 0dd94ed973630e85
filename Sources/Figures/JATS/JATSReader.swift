import CLibXML2
import Core
import Foundation

/// Reads JATS XML into `JATSArticle` values with libxml2's SAX2 parser.
///
/// Why SAX: it streams, builds no tree and no per-node objects (the pull parser `xmlTextReader`
/// builds and frees a node for every element, which measured slower), and hands over text as
/// bytes, which are decoded only inside captions, labels and the DOI.
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
                             + "raise it with --max-file-mb if the file is genuine", file: file)
        }
        guard !data.isEmpty else { throw InputError("the file is empty", file: file) }
        JATSReader.initialiseOnce
        // The parse state lives at a fixed address that libxml2's callbacks reach through the
        // context's `_private` pointer: no reference counting, no dynamic exclusivity checks.
        let parse = UnsafeMutablePointer<SAXParse>.allocate(capacity: 1)
        parse.initialize(to: SAXParse())
        defer {
            parse.deinitialize(count: 1)
            parse.deallocate()
        }
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else {
                throw InputError("the file is empty", file: file)
            }
            var handler = JATSReader.makeHandler()
            guard let ctxt = xmlCreatePushParserCtxt(&handler, nil, nil, 0, file) else {
                throw InputError("libxml2 could not start reading the file", file: file)
            }
            defer {
                if let doc = ctxt.pointee.myDoc { xmlFreeDoc(doc) }
                xmlFreeParserCtxt(ctxt)
            }
            xmlCtxtUseOptions(ctxt, JATSReader.parseOptions)
            ctxt.pointee._private = UnsafeMutableRawPointer(parse)
            parse.pointee.context = ctxt
            _ = xmlParseChunk(ctxt, base, Int32(clamping: raw.count), 1)
            if ctxt.pointee.wellFormed == 0 || parse.pointee.firstFatal != nil {
                let worst = parse.pointee.firstFatal ?? parse.pointee.firstError
                // Errors inside an entity's replacement text carry the entity's own line 1.
                let line = (worst?.inDocument ?? false) ? worst?.line ?? 0 : Int(xmlSAX2GetLineNumber(ctxt))
                var message = worst?.message ?? "malformed XML"
                if message.lowercased().contains("entit") {
                    message += " (entity expansion is bounded: the file may be a billion-laughs attack)"
                }
                throw InputError("not well-formed XML: \(message)", file: file, line: line > 0 ? line : nil)
            }
        }
        let articles = parse.pointee.walker.finish()
        guard !articles.isEmpty else {
            throw InputError("no <article> element: this is not JATS full text", file: file)
        }
        return articles
    }

    /// libxml2 must be initialised once before parsers run on several threads.
    private static let initialiseOnce: Void = { xmlInitParser() }()

    /// libxml2's SAX2 defaults (which handle the DTD's entity declarations and their limits) with
    /// element, text and error events sent to the walker, and no tree built.
    private static func makeHandler() -> xmlSAXHandler {
        var h = xmlSAXHandler()
        xmlSAXVersion(&h, 2)
        h.startElementNs = { ctx, localName, _, _, _, _, count, _, attributes in
            guard let parse = SAXParse.from(ctx), let localName else { return }
            let attrs = SAXAttributes(pointer: attributes, count: Int(count))
            let line = parse.pointee.context.map { Int(xmlSAX2GetLineNumber($0)) } ?? 0
            parse.pointee.walker.start(localName, attributes: attrs, line: line)
        }
        h.endElementNs = { ctx, _, _, _ in
            SAXParse.from(ctx)?.pointee.walker.end()
        }
        h.characters = { ctx, bytes, length in
            guard let parse = SAXParse.from(ctx), let bytes, length > 0 else { return }
            parse.pointee.walker.characters(UnsafeBufferPointer(start: bytes, count: Int(length)))
        }
        h.ignorableWhitespace = h.characters
        h.cdataBlock = h.characters
        // No tree: references, comments and processing instructions are not kept.
        h.reference = { _, _ in }
        h.comment = nil
        h.processingInstruction = nil
        h.startElement = nil
        h.endElement = nil
        h.serror = { ctx, error in
            guard let parse = SAXParse.from(ctx), let error else { return }
            parse.pointee.record(error.pointee)
        }
        return h
    }
}

/// The state of one parse, reached from libxml2's callbacks through the parser context's
/// `_private` pointer (libxml2 calls back on the parsing thread, one parse per context).
private struct SAXParse {
    struct Entry { var message: String; var line: Int; var inDocument: Bool }
    var walker = JATSWalker()
    var context: xmlParserCtxtPtr?
    /// The first fatal error (the parse stops) and the first error of any severity.
    private(set) var firstFatal: Entry?
    private(set) var firstError: Entry?

    static func from(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<SAXParse>? {
        guard let ctx, let priv = ctx.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
        return priv.assumingMemoryBound(to: SAXParse.self)
    }

    mutating func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let text = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        let entry = Entry(message: text.trimmingCharacters(in: .whitespacesAndNewlines), line: Int(error.line),
                          inDocument: error.file != nil)
        if firstError == nil { firstError = entry }
        if error.level.rawValue >= XML_ERR_FATAL.rawValue, firstFatal == nil { firstFatal = entry }
    }
}

/// The attributes of a SAX2 start tag: `count` groups of five pointers (local name, prefix, URI,
/// value start, value end), valid only during the callback.
struct SAXAttributes {
    let pointer: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    static var none: SAXAttributes { SAXAttributes(pointer: nil, count: 0) }

    /// The value of `name` ("id", or "xlink:href" with its prefix).
    func value(_ name: String) -> String? {
        guard let pointer, count > 0 else { return nil }
        var local = Substring(name)
        var prefix: Substring?
        if let colon = name.firstIndex(of: ":") {
            prefix = name[..<colon]
            local = name[name.index(after: colon)...]
        }
        for i in 0..<count {
            let base = i * 5
            guard let l = pointer[base], Self.equal(l, local) else { continue }
            if let prefix {
                guard let p = pointer[base + 1], Self.equal(p, prefix) else { continue }
            }
            guard let start = pointer[base + 3], let end = pointer[base + 4] else { return "" }
            return String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
        }
        return nil
    }

    private static func equal(_ c: UnsafePointer<xmlChar>, _ s: Substring) -> Bool {
        var i = 0
        for b in s.utf8 {
            if c[i] != b { return false }
            i += 1
        }
        return c[i] == 0
    }
}
