/// The version `lostdata --version` prints and reports embed.
public enum LostData {
    public static let version = "0.1.0"
}
