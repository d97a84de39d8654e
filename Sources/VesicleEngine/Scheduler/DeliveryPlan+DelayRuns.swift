/// Where each delay step's synapses start in every row of a projection with per-synapse delays,
/// computed once when the plan is made (docs/DESIGN.md, One scheduler; issue 14).
///
/// A row sorted by delay step holds one contiguous run per step (`SynapseTable.sortRowsByDelay`),
/// and every delivery reads one member's run. It was found by bisecting the row's steps, whose
/// probes land on lines of the row not yet in the cache and whose branches the predictor cannot
/// learn: with the microcircuit's normal delays (about 40 steps, a run of about ten synapses per
/// row and member) that bisection was three quarters of the walk's own samples and a seventh of the
/// 0.1-scale run's simulation (perf, 2026-12-07). The table holds the same bounds the bisection
/// gives, so deliveries are unchanged: two adjacent loads instead of a search.
extension DeliveryPlan {
    /// Per row of one projection, the offsets from the row's start at which the runs of its
    /// members' steps begin and end: run c (the projection's c-th member step, ascending) is
    /// `ends[row * width + c] ..< ends[row * width + c + 1]`, width = steps + 1.
    struct DelayRuns {
        let ends: UnsafeMutablePointer<UInt16>
        let width: Int
        /// The member steps, ascending: a member's run index is its step's place here.
        let steps: [UInt16]

        /// Row `row`'s run of member step index c, as indices into the table's synapses.
        @inline(__always)
        func run(_ c: Int, row: Int, rowStart: Int) -> Range<Int> {
            let p = ends + row * width + c
            return (rowStart + Int(p[0]))..<(rowStart + Int(p[1]))
        }

        func deallocate() { ends.deallocate() }
    }

    /// The runs of `table`'s rows for the member steps `steps` (every step some delay class of the
    /// projection delivers), or nil when the bisection stays: a uniform delay, a row longer than
    /// UInt16 offsets reach, or a synapse whose step is not among `steps` (it would never be
    /// delivered; no build makes one).
    /// - Complexity: O(synapses + rows * steps), one pass over the delay steps.
    static func delayRuns(of table: SynapseTable, steps: [UInt16]) -> DelayRuns? {
        guard table.uniformDelay == nil, !steps.isEmpty, table.sourceCount > 0 else { return nil }
        let width = steps.count + 1
        var longest = 0
        for row in 0..<table.sourceCount { longest = max(longest, table.rowStart[row + 1] - table.rowStart[row]) }
        guard longest <= Int(UInt16.max) else { return nil }
        let ends = UnsafeMutablePointer<UInt16>.allocate(capacity: table.sourceCount * width)
        let complete = table.rowStart.withUnsafeBufferPointer { rowStart in
            table.delaySteps.withUnsafeBufferPointer { delaySteps in
                steps.withUnsafeBufferPointer { steps in
                    for row in 0..<table.sourceCount {
                        let lo = rowStart[row], hi = rowStart[row + 1]
                        let out = ends + row * width
                        var k = lo
                        out[0] = 0
                        for c in 0..<steps.count {
                            // Run c: the synapses from k on whose step is steps[c].
                            while k < hi && delaySteps[k] == steps[c] { k += 1 }
                            out[c + 1] = UInt16(k - lo)
                        }
                        // Every synapse lies in some run: the row's steps ascend and all are members'.
                        if k != hi { return false }
                    }
                    return true
                }
            }
        }
        guard complete else {
            ends.deallocate()
            return nil
        }
        return DelayRuns(ends: ends, width: width, steps: steps)
    }
}
