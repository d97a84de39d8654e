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
}
