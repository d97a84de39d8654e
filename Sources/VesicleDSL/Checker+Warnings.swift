// Warnings once per cause (docs/LANGUAGE.md, "Checks and diagnostics"): a connect over 8 x 8
// populations would otherwise print the same four-line warning for each of its 64 projections. Warnings
// that differ only in the names they quote ('L23E->L4E') are one cause: the first is kept, with a note
// that counts the others and names a few.

extension Checker {
    /// Replaces each group of warnings of one cause by its first, noting how many it stands for.
    /// - Complexity: O(diagnostics).
    func mergeRepeatedWarnings() {
        var firstOfCause: [String: Int] = [:]
        var repeats: [Int: [Diagnostic]] = [:]
        var kept: [Diagnostic] = []
        for diagnostic in diagnostics {
            guard diagnostic.severity == .warning else { kept.append(diagnostic); continue }
            let cause = "\(diagnostic.check)|" + Self.withoutQuotedNames(diagnostic.message)
            if let first = firstOfCause[cause] {
                repeats[first, default: []].append(diagnostic)
            } else {
                firstOfCause[cause] = kept.count
                kept.append(diagnostic)
            }
        }
        for (index, others) in repeats {
            let names = others.map { Self.quotedNames(in: $0.message).first.map { "'\($0)'" } ?? "line \($0.line)" }
            let shown = names.prefix(4).joined(separator: ", ") + (names.count > 4 ? " and \(names.count - 4) more" : "")
            kept[index].notes.append("the same warning applies \(others.count) more time\(others.count == 1 ? "" : "s") (shown once): \(shown)")
        }
        diagnostics = kept
    }

    /// The message with every 'quoted' part replaced by '*'.
    static func withoutQuotedNames(_ message: String) -> String {
        var out = ""
        var inQuote = false
        for character in message {
            if character == "'" {
                inQuote.toggle()
                out.append(inQuote ? "'*" : "'")
            } else if !inQuote {
                out.append(character)
            }
        }
        return out
    }

    static func quotedNames(in message: String) -> [String] {
        let parts = message.split(separator: "'", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count - 1, by: 2).map { String(parts[$0]) }
    }
}
