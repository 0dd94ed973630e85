/// Gatan DigitalMicrograph DM3/DM4. Only the header is checked for now: the tag tree
/// (calibrations, `Microscope Info`) is not read yet, so a DM file counts as an image without
/// metadata and its instrument and technique come from the folder map (docs/archive.md, limits).
public enum GatanDM {
    public static func read(_ source: some ByteSource, fileSize: Int) throws(MetadataProblem) -> AcquisitionMetadata? {
        let head = source.read(at: 0, count: 4)
        guard head.count == 4 else { throw .truncated("DM header shorter than 4 bytes") }
        let version = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
        guard version == 3 || version == 4 else { throw .unparseable("not a DigitalMicrograph file (version \(version), expected 3 or 4)") }
        return nil
    }
}
