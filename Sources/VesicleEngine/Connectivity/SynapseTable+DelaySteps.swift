/// Each row ordered by delay step, the order the delivery walk reads (`DeliveryPlan`: a row's
/// synapses of one delay are one contiguous range).
///
/// A counting sort per row: the delay steps of a row span a few hundred values at most (the
/// microcircuit's normal delays, 0.1-5 ms on a 0.1 ms grid: about 50), so two passes over the row
/// place every synapse, where a comparison sort with a closure was a quarter of the microcircuit's
/// build (callgrind, 2026-12-03). Stable, as before: synapses of equal delay keep their drawn order,
/// so the tables, and every run, are bit for bit those of the comparison sort.
extension SynapseTable {
    /// The widest span of delay steps in one row that the counting sort takes; a wider row (never in
    /// the shipped networks) takes the comparison sort.
    static let countingSortSpan = 4096

    /// Sorts each row by delay step (stable), permuting targets and weights alike.
    /// - Complexity: O(synapses + rows * the span of a row's steps); O(n log n) for a row whose steps
    ///   span more than `countingSortSpan`.
    mutating func sortRowsByDelay() {
        var counts = [Int](repeating: 0, count: Self.countingSortSpan + 1)
        var place: [Int] = []
        var scratch = RowScratch()
        for i in 0..<sourceCount {
            let lo = rowStart[i], hi = rowStart[i + 1]
            let n = hi - lo
            if n < 2 { continue }
            let (low, high, sorted) = delaySteps.withUnsafeBufferPointer { d -> (Int, Int, Bool) in
                var low = Int(d[lo]), high = low, sorted = true
                for k in (lo + 1)..<hi {
                    let v = Int(d[k])
                    if v < Int(d[k - 1]) { sorted = false }
                    low = min(low, v)
                    high = max(high, v)
                }
                return (low, high, sorted)
            }
            if sorted { continue }
            let span = high - low + 1
            if span > Self.countingSortSpan {
                comparisonSortRow(lo..<hi)
                continue
            }
            if place.count < n { place = [Int](repeating: 0, count: n) }
            counts.withUnsafeMutableBufferPointer { c in
                place.withUnsafeMutableBufferPointer { p in
                    delaySteps.withUnsafeBufferPointer { d in
                        for v in 0...span { c[v] = 0 }
                        for k in lo..<hi { c[Int(d[k]) - low + 1] += 1 }
                        // c[v]: where the first synapse of step low + v goes.
                        for v in 1...span { c[v] += c[v - 1] }
                        for k in lo..<hi {
                            let v = Int(d[k]) - low
                            p[k - lo] = c[v]
                            c[v] += 1
                        }
                    }
                }
            }
            Self.permute(&targets, lo, n, place, &scratch.targets)
            Self.permute(&delaySteps, lo, n, place, &scratch.steps)
            if !weights.isEmpty { Self.permute(&weights, lo, n, place, &scratch.weights) }
        }
    }

    private struct RowScratch {
        var targets: [UInt32] = []
        var steps: [UInt16] = []
        var weights: [Float] = []
    }

    /// values[lo + place[k]] = the old values[lo + k] for k < n.
    private static func permute<T: Numeric>(_ values: inout [T], _ lo: Int, _ n: Int, _ place: [Int], _ scratch: inout [T]) {
        if scratch.count < n { scratch = [T](repeating: 0, count: n) }
        values.withUnsafeMutableBufferPointer { v in
            scratch.withUnsafeMutableBufferPointer { s in
                place.withUnsafeBufferPointer { p in
                    for k in 0..<n { s[p[k]] = v[lo + k] }
                    for k in 0..<n { v[lo + k] = s[k] }
                }
            }
        }
    }

    /// The delay steps that occur, ascending: a presence bit per step value (8 KB), where a `Set` hashed
    /// every synapse (2 % of the microcircuit's build).
    /// - Complexity: O(synapses + 65 536 / 64).
    var distinctDelaySteps: [UInt16] {
        var present = [UInt64](repeating: 0, count: 1 << 10)
        present.withUnsafeMutableBufferPointer { bits in
            delaySteps.withUnsafeBufferPointer { d in
                for v in d { bits[Int(v) >> 6] |= 1 << UInt64(v & 63) }
            }
        }
        var steps: [UInt16] = []
        for (word, bits) in present.enumerated() where bits != 0 {
            for b in 0..<64 where bits & (1 << UInt64(b)) != 0 { steps.append(UInt16(word << 6 | b)) }
        }
        return steps
    }

    /// The comparison sort, for a row whose delay steps span more than `countingSortSpan`.
    private mutating func comparisonSortRow(_ range: Range<Int>) {
        let lo = range.lowerBound
        let order = range.sorted { (delaySteps[$0], $0) < (delaySteps[$1], $1) }
        let t = order.map { targets[$0] }, d = order.map { delaySteps[$0] }
        for (k, v) in t.enumerated() { targets[lo + k] = v }
        for (k, v) in d.enumerated() { delaySteps[lo + k] = v }
        if !weights.isEmpty {
            let w = order.map { weights[$0] }
            for (k, v) in w.enumerated() { weights[lo + k] = v }
        }
    }
}
