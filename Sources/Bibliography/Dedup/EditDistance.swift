/// Levenshtein distance on bytes with an upper bound: computes only the diagonal band of width
/// 2·limit+1 and stops as soon as every cell in a row exceeds the limit, so rejecting a pair is
/// O(n·limit) and usually much less.
enum EditDistance {
    /// The distance if it is ≤ `limit`, else nil.
    static func bounded(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int? {
        let n = a.count, m = b.count
        if abs(n - m) > limit { return nil }
        if n == 0 || m == 0 { return max(n, m) <= limit ? max(n, m) : nil }
        let big = limit + 1
        var prev = [Int](repeating: big, count: m + 1)
        var cur = [Int](repeating: big, count: m + 1)
        for j in 0...min(m, limit) { prev[j] = j }
        for i in 1...n {
            let lo = max(1, i - limit), hi = min(m, i + limit)
            cur[lo - 1] = (lo - 1 == 0) ? i : big
            if hi < m { cur[hi + 1] = big }
            var rowMin = cur[lo - 1]
            let ai = a[i - 1]
            for j in lo...hi {
                let cost = ai == b[j - 1] ? 0 : 1
                var v = prev[j - 1] + cost
                let del = prev[j] + 1
                if del < v { v = del }
                let ins = cur[j - 1] + 1
                if ins < v { v = ins }
                cur[j] = min(v, big)
                if v < rowMin { rowMin = v }
            }
            if rowMin > limit { return nil }
            // Cells outside the next row's band are never read, so no reset is needed.
            swap(&prev, &cur)
        }
        return prev[m] <= limit ? prev[m] : nil
    }
}
