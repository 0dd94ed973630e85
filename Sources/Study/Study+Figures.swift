import Core
import GRDB
import Ledger

extension Study {
    /// Per-article EM image counts stored by `lostdata figures import` for a source.
    func publishedFromFigures(source: String) throws -> [ArticleImages] {
        // The figures store arrives with the Figures stage (issue 4); until then it is empty.
        []
    }
}
