// "Did you mean" suggestions by edit distance.

enum Suggestion {
    /// The candidate closest to `word` by optimal-string-alignment distance (a transposition is one edit),
    /// if it is close enough to be a plausible typo: at most 1 edit for short words, about a third of
    /// the length for longer ones, and any candidate that differs only in case.
    static func closest(to word: String, among candidates: [String]) -> String? {
        // Every one- or two-letter name is one substitution away from every other, so for them only
        // a difference in case or one inserted or deleted letter ("Ii" for "I") is suggested.
        let length = word.count
        let limit = length <= 2 ? 1 : min(3, max(1, length / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let caseOnly = candidate.lowercased() == word.lowercased()
            var distance = caseOnly ? 0 : editDistance(word, candidate)
            if length <= 2, !caseOnly, candidate.count == length { distance = Int.max }
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// Optimal string alignment distance between two strings, over Unicode scalars.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { table[i][0] = i }
        for j in 0...y.count { table[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    value = min(value, table[i - 2][j - 2] + 1)
                }
                table[i][j] = value
            }
        }
        return table[x.count][y.count]
    }
}
