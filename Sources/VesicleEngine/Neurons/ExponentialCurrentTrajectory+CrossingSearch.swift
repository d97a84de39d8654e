import Foundation

/// The rigorous search for the first threshold crossing of a `lif_exp` trajectory (docs/MODEL.md §2),
/// run only when the cheap test (`mayCross`) cannot exclude one.
///
/// Branch and bound, left half first: an interval is discarded only when its rigorous upper bound
/// (`bound`) lies below theta - touchTolerance, so no crossing is missed, however grazing. An interval
/// on which V' is provably positive holds at most one crossing; there the bracket is refined by the
/// Illinois variant of regula falsi (bisection when a step would not shrink it) instead of halving.
/// Both end on adjacent doubles and return the first one with V >= theta - touchTolerance.
///
/// Work: a transversal crossing takes about 10-60 samples. Near a maximum just below theta the
/// quadratic (curvature) bound discards all but O(1) intervals per halving level, so the search visits
/// O(levels) ~ O(60) intervals however small the gap; the touch tolerance makes gaps below 1e-12 mV
/// crossings. `maximumVisits` caps the work regardless: on the (not observed) chance it is reached,
/// the search reports a touch at the right end of the leftmost undecided interval, which keeps the
/// rule "never miss a crossing" at the price of a spike where V came within its bound of theta.
extension ExponentialCurrentTrajectory {
    static let maximumVisits = 4096

    struct CrossingSearchResult {
        /// The crossing time after the last event, or nil.
        var time: Double?
        /// The sample at `time` (or the end sample when there is none).
        var sample: Sample
        /// Intervals visited plus refinement steps: the work, for tests.
        var visits: Int
    }

    /// The first s in (0, end.s] at which V(s) >= threshold - touchTolerance, or nil (0 when V(0) is
    /// already there: a touch at the last event). `end` is the sample at the interval's end.
    /// - Complexity: O(log(h/ulp)) samples for a crossing or a graze; at most `maximumVisits`.
    func searchCrossing(threshold: Double, end: Sample) -> CrossingSearchResult {
        let level = threshold - Self.touchTolerance
        if v0 >= level { return CrossingSearchResult(time: 0, sample: start, visits: 0) }
        var visits = 0
        var stack: [(Sample, Sample)] = [(start, end)]
        stack.reserveCapacity(64)
        while let (lo, hi) = stack.popLast() {
            visits += 1
            // A left end at the level is a crossing the interval before it could not resolve (its
            // bound rounded an ulp below its own end value): report it rather than refine past it.
            if lo.potential >= level { return CrossingSearchResult(time: lo.s, sample: lo, visits: visits) }
            let b = bound(lo, hi)
            if b.upper < level { continue }
            if visits >= Self.maximumVisits {
                return CrossingSearchResult(time: hi.s, sample: hi, visits: visits)
            }
            if b.slopeLow > 0 {
                // Monotone: a crossing here exists iff V(hi) reaches the level, and it is the only one.
                if hi.potential < level { continue }
                return refineMonotone(level: level, lo, hi, visits: visits)
            }
            let mid = lo.s + (hi.s - lo.s) / 2
            if mid <= lo.s || mid >= hi.s {
                if hi.potential >= level { return CrossingSearchResult(time: hi.s, sample: hi, visits: visits) }
                continue
            }
            let m = sample(at: mid)
            stack.append((m, hi))
            stack.append((lo, m))
        }
        return CrossingSearchResult(time: nil, sample: end, visits: visits)
    }

    /// Refines a bracket V(lo) < level <= V(hi) on which V increases to adjacent doubles.
    private func refineMonotone(level: Double, _ lo: Sample, _ hi: Sample, visits: Int) -> CrossingSearchResult {
        var lo = lo, hi = hi, visits = visits
        var fLo = lo.potential - level, fHi = hi.potential - level
        var side = 0     // which end the last step kept (Illinois: halve the stale end's value)
        // Regula falsi can creep by an ulp at a time once rounding dominates f: when two steps have not
        // halved the bracket, the next step bisects, so the refinement takes O(log) steps at worst.
        var widths = (Double.infinity, Double.infinity)   // the bracket's width two and one steps ago
        while visits < Self.maximumVisits {
            visits += 1
            let mid = lo.s + (hi.s - lo.s) / 2
            if mid <= lo.s || mid >= hi.s { break }
            var s = hi.s - fHi * (hi.s - lo.s) / (fHi - fLo)
            if !(s > lo.s && s < hi.s) || hi.s - lo.s > 0.5 * widths.0 { s = mid }
            widths = (widths.1, hi.s - lo.s)
            let m = sample(at: s)
            let fm = m.potential - level
            if fm >= 0 {
                hi = m; fHi = fm
                if side == 1 { fLo *= 0.5 }
                side = 1
            } else {
                lo = m; fLo = fm
                if side == -1 { fHi *= 0.5 }
                side = -1
            }
        }
        return CrossingSearchResult(time: hi.s, sample: hi, visits: visits)
    }

    /// The first s in (0, h] at which V reaches `threshold` (within `touchTolerance`), or nil.
    /// - Complexity: O(1) when the cheap test excludes a crossing, else as `searchCrossing`.
    func firstCrossing(threshold: Double, within h: Double) -> Double? {
        let end = sample(at: h)
        if !mayCross(threshold: threshold, before: end) { return nil }
        return searchCrossing(threshold: threshold, end: end).time
    }
}
