// A misspelt unit after a number (`20 msec`, `40 hz`, `0.1 sec`) is reported as an unknown unit at
// the word, with the symbol meant, wherever a number stands (issue 15: "unknown-unit help everywhere
// a unit can stand"); before, the expression simply ended there and the error named whatever the
// statement expected next (a ')' or a clause).
//
// Only words that are plainly units are taken so: the spellings below, and a unit symbol in the
// wrong case. After a number a word can also be a neuron or constant name (`population E = 100
// cell`), so a name the file declares is never one.

extension Unit {
    /// Spellings of units that are not their symbols.
    static let spellings: [String: String] = [
        "sec": "s", "secs": "s", "second": "s", "seconds": "s",
        "msec": "ms", "msecs": "ms", "millisecond": "ms", "milliseconds": "ms",
        "usec": "us", "usecs": "us", "microsecond": "us", "microseconds": "us",
        "hertz": "Hz", "kilohertz": "kHz",
        "volt": "V", "volts": "V", "millivolt": "mV", "millivolts": "mV", "microvolt": "uV", "microvolts": "uV",
        "picoampere": "pA", "picoamperes": "pA", "nanoampere": "nA", "nanoamperes": "nA",
        "picofarad": "pF", "picofarads": "pF", "nanofarad": "nF", "nanofarads": "nF",
        "ohm": "Ohm", "ohms": "Ohm", "megaohm": "MOhm", "megaohms": "MOhm", "gigaohm": "GOhm", "gigaohms": "GOhm",
        "nanosiemens": "nS",
    ]

    /// The symbol a word that is not a unit most likely means, if it is plainly a unit.
    /// - Complexity: O(units).
    static func meant(by word: String) -> String? {
        if let symbol = spellings[word] ?? spellings[word.lowercased()] { return symbol }
        return all.first { $0.symbol.lowercased() == word.lowercased() }?.symbol
    }
}

extension Parser {
    /// Names the statements of `tokens` declare: the word after a statement keyword at a line's start.
    static func declaredNames(in tokens: [Token]) -> Set<String> {
        var names = Set<String>()
        for k in tokens.indices.dropLast() where tokens[k].startsLine {
            guard let keyword = tokens[k].identifier.flatMap(StatementKeyword.init(rawValue:)),
                  [.let, .neuron, .population, .input, .synapse, .kernel].contains(keyword),
                  let name = tokens[k + 1].identifier else { continue }
            names.insert(name)
        }
        return names
    }

    /// Called right after a number without a unit: throws if the next word on its line is a unit
    /// misspelt.
    mutating func refuseMisspeltUnit() throws(Failure) {
        guard let word = current.identifier, !current.startsLine, !declaredNames.contains(word),
              let symbol = Unit.meant(by: word) else { return }
        throw failure("unknown unit '\(word)'", at: current.range, suggestion: symbol,
                      notes: ["known units: " + Unit.all.map(\.symbol).joined(separator: " ")])
    }
}
