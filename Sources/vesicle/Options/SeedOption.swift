// `--seed`: a whole number from 0 to 2^64 - 1. A negative or fractional value is a range error,
// not ArgumentParser's "Missing value" (its leading '-' looked like a flag).

import ArgumentParser
import Foundation

enum SeedOption {
    /// - Complexity: O(length of the text).
    static func parse(_ text: String) throws -> UInt64 {
        guard let seed = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("--seed \(text) is out of range: a seed is a whole number from 0 to 18446744073709551615 (2^64 - 1)")
        }
        return seed
    }
}
