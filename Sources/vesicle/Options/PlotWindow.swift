// The time window of a figure (`plot raster|membrane --from … --to …`): times with units through
// TimeOption, so `--from -5` is a range error naming the valid range, not "Missing value" (issue 15).

import ArgumentParser

enum PlotWindow {
    /// Refuses a negative or non-finite start, a non-positive end, and an end not after the start.
    /// - Complexity: O(1).
    static func validate(from: TimeOption?, to: TimeOption?) throws {
        try from?.validate(flag: "--from", allowZero: true)
        try to?.validate(flag: "--to")
        if let from, let to, to.milliseconds <= from.milliseconds {
            throw ValidationError("--to \(to.text) must be after --from \(from.text)")
        }
    }
}
