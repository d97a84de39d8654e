// `vesicle rn` says "did you mean 'run'?" (issue 20 §4): an unknown first word is matched against
// the subcommands before ArgumentParser reports a bare "Unexpected argument".

import ArgumentParser
import Foundation

enum CommandSuggestion {
    /// Levenshtein distance between two short words.
    /// - Complexity: O(a.count x b.count).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }

    /// The message for an unknown subcommand, nil when `arguments` starts with a known one or an option.
    static func unknownCommand(_ arguments: [String], among names: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !names.contains(first), first != "help" else { return nil }
        let best = names.map { ($0, distance(first.lowercased(), $0)) }.min { $0.1 < $1.1 }
        var message = "error: unknown command '\(first)'"
        if let (name, d) = best, d <= max(1, name.count / 2) { message += "; did you mean '\(name)'?" }
        return message + "\ncommands: " + names.joined(separator: ", ")
    }
}
