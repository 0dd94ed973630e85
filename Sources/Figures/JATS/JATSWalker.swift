import CLibXML2
import Foundation

/// The JATS elements the walker reacts to. Everything else is `.other` and only its text matters
/// (when it stands inside a caption or label).
enum JATSTag: Sendable {
    case article, subArticle, articleMeta, articleID, fig, label, caption, title, paragraph, listItem
    case graphic, supplementaryMaterial, media, texMath, xref, appendix, floatsGroup, bold, other

    /// Element local names → tags. Format knowledge lives here, not in the walker's conditionals.
    static let byName: [String: JATSTag] = [
        "article": .article, "sub-article": .subArticle, "response": .subArticle,
        "article-meta": .articleMeta, "article-id": .articleID,
        "fig": .fig, "label": .label, "caption": .caption, "title": .title,
        "p": .paragraph, "list-item": .listItem, "def": .paragraph, "attrib": .paragraph,
        "graphic": .graphic, "supplementary-material": .supplementaryMaterial, "media": .media,
        "tex-math": .texMath, "xref": .xref, "app": .appendix, "floats-group": .floatsGroup,
        "bold": .bold, "b": .bold,
    ]
    static let names = WordFilter(byName.keys)
}

/// Turns the SAX events of one parse into `JATSArticle`s. One walker per parse.
///
/// Element names come from libxml2's per-document dictionary, so the same name is always the same
/// pointer: the walker maps pointers to tags once and never decodes a name twice.
struct JATSWalker {
    private var tagCache: [UnsafeRawPointer: JATSTag] = [:]
    private var stack: [JATSTag] = []
    /// The current element's attributes and line, valid during `start`.
    private var attributes = SAXAttributes.none
    private var line = 0

    private var articles: [JATSArticle] = []
    private var article: JATSArticle?
    private var articleDepth = -1
    private var subArticleDepth = 0
    private var appendixDepth = 0
    private var metaDepth = -1

    /// Open figs and supplementary materials, innermost last; text goes to the innermost.
    /// Mutated in place (`holders[last].text…`) so caption strings are never copied.
    private struct Holder {
        let depth: Int
        var figure: JATSFigure?
        var supplement: JATSSupplement?
        var text = TextCollector()
    }
    private var holders: [Holder] = []

    private var doiBuffer: String?
    /// Depth of the element whose text is being skipped (`<tex-math>`, a bibliographic `<xref>`).
    private var skipDepth = -1

    init() {}

    mutating func start(_ localName: UnsafePointer<xmlChar>, attributes: SAXAttributes, line: Int) {
        self.attributes = attributes
        self.line = line
        open(tag(localName))
        self.attributes = .none
    }

    mutating func end() {
        close()
    }

    /// Text is decoded only where it is kept: a DOI, a label, a caption.
    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard skipDepth < 0 else { return }
        if doiBuffer != nil {
            doiBuffer? += String(decoding: bytes, as: UTF8.self)
            return
        }
        let last = holders.count - 1
        guard last >= 0, holders[last].text.target != nil else { return }
        holders[last].text.append(String(decoding: bytes, as: UTF8.self))
    }

    mutating func finish() -> [JATSArticle] {
        if let article { articles.append(article) }
        article = nil
        return articles
    }

    // MARK: - elements

    private mutating func tag(_ name: UnsafePointer<xmlChar>) -> JATSTag {
        // A direct-mapped cache in front of the dictionary: hashing a pointer per element
        // measured at 5% of the run; a slot compare is nearly free.
        let key = UnsafeRawPointer(name)
        let bits = UInt(bitPattern: key)
        let slot = Int(truncatingIfNeeded: (bits >> 3) ^ (bits >> 13)) & (Self.slots - 1)
        if recent[slot].key == key { return recent[slot].tag }
        let tag: JATSTag
        if let known = tagCache[key] {
            tag = known
        } else {
            // Most element names are none of ours: rule them out before decoding a `String`.
            tag = JATSTag.names.mayContain(cString: name) ? JATSTag.byName[String(cString: name)] ?? .other : .other
            tagCache[key] = tag
        }
        recent[slot] = (key, tag)
        return tag
    }

    /// A JATS file uses 100–200 element names: 64 slots collided often enough that the hashed
    /// fallback showed in profiles; 1,024 rarely do.
    private static let slots = 1024
    private var recent: [(key: UnsafeRawPointer?, tag: JATSTag)] = Array(repeating: (nil, .other), count: JATSWalker.slots)

    private func attribute(_ name: String) -> String? {
        attributes.value(name)
    }

    private mutating func open(_ tag: JATSTag) {
        let depth = stack.count
        stack.append(tag)
        switch tag {
        case .article:
            if article == nil && subArticleDepth == 0 {
                article = JATSArticle(articleType: attribute("article-type"), line: line)
                articleDepth = depth
            }
        case .subArticle:
            // `<response>` is also the Springer API's wrapper root: only inside an article is it
            // a peer-review response.
            if article != nil { subArticleDepth += 1 }
        case .articleMeta:
            if subArticleDepth == 0 && metaDepth < 0 && article?.doi == nil { metaDepth = depth }
        case .articleID:
            if metaDepth >= 0, attribute("pub-id-type") == "doi" { doiBuffer = "" }
        case .appendix, .floatsGroup:
            appendixDepth += 1
        case .fig:
            let f = JATSFigure(id: attribute("id"), figType: attribute("fig-type"), specificUse: attribute("specific-use"),
                               inSubArticle: subArticleDepth > 0, inAppendix: appendixDepth > 0, line: line)
            holders.append(Holder(depth: depth, figure: f))
        case .supplementaryMaterial:
            let s = JATSSupplement(id: attribute("id"), href: attribute("xlink:href"),
                                   mediaType: Self.mediaType(attribute("mimetype"), attribute("mime-subtype")),
                                   inSubArticle: subArticleDepth > 0, line: line)
            holders.append(Holder(depth: depth, supplement: s))
        case .media:
            article?.mediaCount += 1
            if subArticleDepth > 0 { article?.mediaInSubArticles += 1 }
            let last = holders.count - 1
            if last >= 0, holders[last].supplement != nil {
                let href = attribute("xlink:href")
                let type = Self.mediaType(attribute("mimetype"), attribute("mime-subtype"))
                if holders[last].supplement?.href == nil { holders[last].supplement?.href = href }
                if holders[last].supplement?.mediaType == nil { holders[last].supplement?.mediaType = type }
            }
        case .graphic:
            article?.graphicCount += 1
            let last = holders.count - 1
            if last >= 0, holders[last].figure != nil { holders[last].figure?.graphics += 1 }
        case .label, .caption:
            // Only the holder's own label/caption (a direct child), not a list item's label.
            updateHolder { text, holderDepth in
                if depth == holderDepth + 1 { text.target = tag == .label ? .label : .caption }
            }
        case .title, .paragraph, .listItem:
            updateHolder { text, _ in if text.target == .caption { text.separate() } }
        case .texMath:
            if skipDepth < 0 { skipDepth = depth }
        case .xref:
            // `<xref>` is the commonest element of body text: read the innermost holder in place
            // (`holders.last` would copy it, strings and all, for every citation).
            let last = holders.count - 1
            if skipDepth < 0, last >= 0, holders[last].text.target == .caption, attribute("ref-type") == "bibr" {
                skipDepth = depth
                updateHolder { text, _ in if text.target == .caption { text.citationPending = true } }
            }
        case .bold:
            updateHolder { text, _ in if text.target == .caption { text.beginBold() } }
        case .other:
            break
        }
    }

    private mutating func close() {
        guard let tag = stack.popLast() else { return }
        let depth = stack.count
        if depth == skipDepth {
            skipDepth = -1
            if tag == .xref { updateHolder { text, _ in if text.citationPending { text.citationEnded() } } }
        }
        switch tag {
        case .article:
            if depth == articleDepth, let done = article {
                articles.append(done)
                article = nil
                articleDepth = -1
                metaDepth = -1
            }
        case .subArticle:
            if subArticleDepth > 0 { subArticleDepth -= 1 }
        case .articleMeta:
            if depth == metaDepth { metaDepth = -1 }
        case .articleID:
            if let raw = doiBuffer {
                let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if article?.doi == nil, !trimmed.isEmpty { article?.doi = trimmed }
                doiBuffer = nil
            }
        case .appendix, .floatsGroup:
            appendixDepth = max(0, appendixDepth - 1)
        case .label, .caption:
            updateHolder { text, holderDepth in if depth == holderDepth + 1 { text.target = nil } }
        case .title:
            updateHolder { text, _ in if text.target == .caption { text.endTitle() } }
        case .bold:
            updateHolder { text, _ in text.endBold() }
        case .fig, .supplementaryMaterial:
            guard let top = holders.indices.last, holders[top].depth == depth else { break }
            let last = holders.removeLast()
            if var f = last.figure {
                f.label = CaptionText.normalise(last.text.label)
                f.caption = CaptionText.normalise(last.text.caption)
                f.endsWithCitation = last.text.endsWithCitation
                article?.figures.append(f)
            } else if var s = last.supplement {
                s.label = CaptionText.normalise(last.text.label)
                s.caption = CaptionText.normalise(last.text.caption)
                article?.supplements.append(s)
            }
        default:
            break
        }
    }

    // MARK: - text

    private mutating func updateHolder(_ body: (inout TextCollector, Int) -> Void) {
        let last = holders.count - 1
        guard last >= 0 else { return }
        body(&holders[last].text, holders[last].depth)
    }

    private static func mediaType(_ type: String?, _ subtype: String?) -> String? {
        switch (type, subtype) {
        case let (t?, s?): return "\(t)/\(s)"
        case let (t?, nil): return t
        case let (nil, s?): return s
        default: return nil
        }
    }
}

/// The label and caption text of one fig or supplementary material, as it streams in.
struct TextCollector {
    enum Target { case label, caption }
    var target: Target?
    var label = ""
    var caption = ""
    /// A bibliographic citation has just been dropped; it counts as "ending the caption" until
    /// real words follow.
    var citationPending = false
    var endsWithCitation = false

    /// Text of an open `<bold>` in the caption: Springer and Nature set panel letters in bold, so a
    /// bold "a" or "b–d" is marked as a label (`CaptionText.boldLabelMark`) when it closes.
    var bold: String?

    mutating func beginBold() {
        if bold == nil { bold = "" }
    }

    mutating func endBold() {
        guard let b = bold else { return }
        bold = nil
        append(CaptionText.looksLikeLabel(b) ? String(CaptionText.boldLabelMark) + b : b)
    }

    mutating func append(_ s: String) {
        if bold != nil, target == .caption {
            bold? += s
            return
        }
        switch target {
        case .label: label += s
        case .caption:
            caption += s
            if endsWithCitation, s.unicodeScalars.contains(where: { CharacterSet.alphanumerics.contains($0) }) {
                endsWithCitation = false
            }
        case nil: break
        }
    }

    /// A new paragraph, title or list item: keep words apart.
    mutating func separate() {
        if !caption.isEmpty && caption.last?.isWhitespace == false { caption += " " }
    }

    /// A caption title ends a sentence even when it has no full stop ("TEM images" + "(a) …").
    mutating func endTitle() {
        while let last = caption.unicodeScalars.last, last.properties.isWhitespace { caption.unicodeScalars.removeLast() }
        if let last = caption.unicodeScalars.last, !".:;?!".unicodeScalars.contains(last) { caption += ". " } else { caption += " " }
    }

    mutating func citationEnded() {
        citationPending = false
        endsWithCitation = true
    }
}
