import Core
import Foundation

/// The rules file shipped with lostdata (Resources/rules.yaml): the paper's taxonomy with rules
/// written from the seed's §2.4 descriptions. `lostdata rules init` copies it for editing.
public enum ShippedRules {
    public static let fileName = "rules.yaml"
    /// SwiftPM's name for this target's resource bundle, installed next to the executable.
    static let bundleName = "lostdata_Classification.resources"

    /// Where the shipped file is. Looked up by hand rather than through `Bundle.module`, whose
    /// generated accessor stops the program when the bundle is missing; here a missing bundle is
    /// a plain error the user can act on.
    public static func url() throws -> URL {
        var places: [URL] = []
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            places.append(exe.deletingLastPathComponent())
        }
        if let r = Bundle.main.resourceURL { places.append(r) }
        places.append(Bundle.main.bundleURL)
        for dir in places {
            for candidate in [dir.appendingPathComponent(bundleName).appendingPathComponent(fileName),
                              dir.appendingPathComponent(bundleName).appendingPathComponent("Resources").appendingPathComponent(fileName),
                              dir.appendingPathComponent("lostdata_Classification.bundle/Contents/Resources").appendingPathComponent(fileName)]
            where FileManager.default.fileExists(atPath: candidate.path) {
                return candidate
            }
        }
        throw InputError("the shipped rules file is missing from this installation (looked for \(bundleName) next to the program); give a rules file with 'classification: rules:' in study.yaml",
                         file: fileName)
    }

    /// The text of the shipped file, byte for byte.
    public static func text() throws -> String {
        let url = try url()
        do { return try String(contentsOf: url, encoding: .utf8) } catch {
            throw InputError("cannot read the shipped rules: \(error.localizedDescription)", file: url.path)
        }
    }

    /// The shipped rules, parsed.
    public static func load(checkingPatterns: Bool = true) throws -> RuleSet {
        let url = try url()
        return try RuleSet(yaml: try text(), file: url.path, checkingPatterns: checkingPatterns)
    }
}
