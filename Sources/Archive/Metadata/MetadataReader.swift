import Foundation

/// Chooses the parser for a metadata source: a sidecar's text is sniffed (Hitachi section header,
/// JEOL `$CM_` keys, Tescan `[MAIN]`), a TIFF's private tags name their vendor.
public enum MetadataReader {
    /// Parses a sidecar file's bytes (`.txt` or `.hdr`).
    public static func sidecar(_ bytes: [UInt8], legacy: TextEncodingName? = nil) throws(MetadataProblem) -> AcquisitionMetadata {
        if bytes.isEmpty { throw .truncated("the sidecar is empty (0 bytes)") }
        let (utf8, _) = TextSniffing.utf8(bytes, legacy: legacy)
        // NULs among non-ASCII bytes in the first 512: binary. (A NUL is looked for with `memchr`
        // first — text has none — instead of two generic passes over an `ArraySlice` per sidecar.)
        if hasNUL(utf8, prefix: 512) && TextSniffing.hasHighByte(utf8, prefix: 512) {
            throw .unparseable("binary data, not a text sidecar")
        }
        if HitachiText.recognises(utf8) { return try HitachiText.parse(utf8: utf8, sidecar: true) }
        let text = LineText(utf8: utf8)
        if JEOLSidecar.recognises(text) { return try JEOLSidecar.parse(utf8: utf8) }
        if text.lines.contains(where: { $0.content.trimmingSpaces == "[MAIN]" }) { return try TescanHeader.parse(utf8: utf8) }
        if FEIText.recognises(text) { return try FEIText.parse(utf8: utf8) }
        throw .unparseable("not a metadata format lostdata reads (Hitachi, JEOL, Tescan, FEI)")
    }

    /// True when one of the first `prefix` bytes is 0.
    static func hasNUL(_ bytes: [UInt8], prefix: Int) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, !b.isEmpty else { return false }
            return memchr(base, 0, min(prefix, b.count)) != nil
        }
    }

    /// Metadata embedded in a TIFF's first IFD, or nil when it carries none. Tags are tried in
    /// order of how much they say.
    public static func embedded(_ tiff: TIFFHeader, legacy: TextEncodingName? = nil) throws(MetadataProblem) -> AcquisitionMetadata? {
        var m: AcquisitionMetadata
        if let xp = tiff.tags[40092] {
            // XPComment is a BYTE array holding UTF-16LE text without a BOM. Read in place (it was
            // copied behind a prepended BOM first — an array per TEM image — for the same result).
            let hasBOM = xp.count >= 2 && xp[0] == 0xFF && xp[1] == 0xFE
            let text = hasBOM ? TextSniffing.utf8(xp).bytes : TextSniffing.utf16(xp, from: 0, littleEndian: true)
            m = try HitachiText.parse(utf8: text, sidecar: false)
        } else if let ini = tiff.tags[34682] {
            m = try FEIText.parse(utf8: TextSniffing.utf8(ini, legacy: .cp1252).bytes)
        } else if let xml = tiff.tags[34683] {
            m = try FEIXML.parse(utf8: TextSniffing.utf8(xml).bytes)
        } else if let sfeg = tiff.tags[34680] {
            m = try sfegTag(sfeg)
        } else if let zeiss = tiff.tags[34118] {
            m = try ZeissSmartSEM.parse(latin1: zeiss, imageWidth: tiff.width, imageHeight: tiff.height)
        } else if let tescan = tiff.tags[50431] {
            m = try TescanHeader.parse(utf8: TextSniffing.utf8(tescan, legacy: .cp1252).bytes)
        } else {
            return nil
        }
        if m.widthPx == nil, let w = tiff.width { m.widthPx = w }
        if m.heightPx == nil, let h = tiff.height { m.heightPx = h }
        return m
    }

    /// Tag 34680: INI on old instruments, base64 of a UTF-8-BOM XML on newer ones.
    static func sfegTag(_ bytes: [UInt8]) throws(MetadataProblem) -> AcquisitionMetadata {
        let text = TextSniffing.utf8(bytes, legacy: .cp1252).bytes
        if text.prefix(64).contains(UInt8(ascii: "[")) { return try FEIText.parse(utf8: text) }
        let compact = String(decoding: text.filter { $0 > 0x20 }, as: UTF8.self)
        guard let decoded = Data(base64Encoded: compact) else {
            throw .unparseable("tag 34680 is neither INI text nor base64")
        }
        return try FEIXML.parse(utf8: TextSniffing.utf8(Array(decoded)).bytes)
    }
}
