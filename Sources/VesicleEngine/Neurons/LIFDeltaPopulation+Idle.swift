/// An idle `lif_delta` neuron costs nothing (docs/DESIGN.md, Lazy state; issue 14, "An idle neuron
/// costs nothing").
///
/// Short delays make short windows: the delta CUBA network (delay 0.125 ms) has 80 000 windows per
/// simulated second. Two things used to touch every neuron at every window end, whatever it did:
/// - bringing it to the window end, which for a drifting neuron (V_inf above threshold) computed its
///   analytic crossing, a logarithm, each time;
/// - moving the epoch of the scaled potential, a multiply per neuron.
/// Now a neuron without a fused drive carries `wake`, a time before which nothing is pending (its
/// next drive arrival, or a lower bound of its drift crossing), and is brought forward only when a
/// window end or an input comes at or after it; and the epoch moves only once it lags the window end
/// by `rebaseSpan` time constants. Both leave the arithmetic of every update as it was: a skipped
/// advance is one that would have changed nothing, and the scale factors stay below e^(1/16), inside
/// the table of `smallArgumentExp`, so no precision is lost.
extension LIFDeltaPopulation {
    /// The epoch moves at a window end once it lags by this many tau_m. Windows at least this long
    /// (Brunel: 1.5 ms / 20 ms) move it at every end, as before; a window of D < rebaseSpan tau_m keeps
    /// (t - epoch) / tau_m below 2 rebaseSpan = 1/16 for every t in it.
    static let rebaseSpan = 1.0 / 32

    /// Moves the epoch to the window end when it lags by `rebaseSpan` (`NeuronPopulation.endWindow`).
    /// - Complexity: O(count) when it moves, O(1) otherwise.
    func endWindow(movingEpochTo end: Double) {
        if (end - epoch) * inverseTau >= Self.rebaseSpan { rebase(to: end) }
    }

    /// A time no later than `crossing` as `advanceWithDrift` computes it at any later epoch: the
    /// formula epoch + tau ln(scaled / gap) moves by a few ulp when the epoch moves and `scaled` is
    /// rescaled (one rounding), far below this margin of 2^-40 relative plus 1e-9 ms. An early wake
    /// only costs one advance that finds nothing.
    @inline(__always)
    static func lowerBound(ofCrossing crossing: Double) -> Double {
        crossing - (abs(crossing) * 0x1.0p-40 + 1e-9)
    }

    /// The wake of drifting neuron j (gap < 0) after an excitatory jump at t (clock value `scale`), which
    /// brings its crossing forward, without a logarithm. Below threshold at t, x = scaled / (gap scale)
    /// exceeds 1 and the crossing is t + tau ln x >= t + tau (1 - 1/x) (ln x >= 1 - 1/x). The bound is
    /// tight when the crossing is near (x near 1) and early otherwise, which costs one advance that
    /// then finds the exact time. At or above threshold (a held crossing): -infinity.
    /// - Complexity: O(1), one division.
    @inline(__always)
    func earlyWake(_ j: Int, at t: Double, scale: Double) -> Double {
        let scaled = state[j].scaled, level = state[j].thresholdGap * scale
        guard scaled < level else { return -.infinity }
        return min(state[j].nextDrive, Self.lowerBound(ofCrossing: t + tau * (1 - level / scaled)))
    }

    /// The window end: every neuron of `range` whose wake is before t is brought forward (the others
    /// have nothing pending). The wakes are read four at a time first, so that the common case, no
    /// neuron of four due, is a few loads and compares.
    /// - Complexity: O(range) compares, plus the advances of the due neurons.
    @inline(__always)
    func advanceDue(_ range: Range<Int>, before t: Double) {
        let wake = self.wake
        var j = range.lowerBound
        while j + 4 <= range.upperBound {
            if min(min(wake[j], wake[j + 1]), min(wake[j + 2], wake[j + 3])) < t {
                for k in j..<(j + 4) where wake[k] < t { advance(k, before: t) }
            }
            j += 4
        }
        while j < range.upperBound {
            if wake[j] < t { advance(j, before: t) }
            j += 1
        }
    }
}
