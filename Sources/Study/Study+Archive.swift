import Core
import GRDB

extension Study {
    /// Acquired images per technique from the archive index, folded as the source declares.
    func acquiredFromArchive(fold: [Technique: Technique]) throws -> [Technique: Int] {
        // The archive index arrives with the Archive stage (issue 5); until then it is empty.
        [:]
    }
}
