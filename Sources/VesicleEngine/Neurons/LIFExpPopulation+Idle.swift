/// An idle `lif_exp` neuron costs nothing at a window end (docs/DESIGN.md, Lazy state; issue 14, "An
/// idle neuron costs nothing").
///
/// A neuron whose quiet horizon covers the window end and whose next drive arrival is not before it
/// is left as it stands (`advance`); the window end used to read every neuron's 72-byte state to
/// find that out, which with 0.1 ms windows (CUBA: 10^4 windows per simulated second) streamed the
/// whole population through the cache at every window. `wake` keeps min(quietUntil, nextDrive) in a
/// plain array instead, a lower bound kept at every update, and the window end reads it four neurons
/// at a time, as `lif_delta` does (`LIFDeltaPopulation+Idle.swift`). A predicted crossing (drift)
/// is a quiet horizon too: the neuron is touched at its crossing or its next input.
extension LIFExpPopulation {
    /// After any update of neuron j: the time up to which a window end has nothing to do for it.
    @inline(__always)
    func refreshWake(_ j: Int) {
        wake[j] = min(state[j].quietUntil, state[j].nextDrive)
    }

    /// The window end: every neuron of `range` whose wake is before t is advanced (the others have
    /// nothing pending: no drive arrival and no possible crossing before t).
    /// - Complexity: O(range) compares of contiguous doubles, plus the advances of the due neurons.
    @inline(__always)
    func advanceDue(_ range: Range<Int>, before t: Double) {
        let wake = self.wake
        var j = range.lowerBound
        while j + 4 <= range.upperBound {
            if min(min(wake[j], wake[j + 1]), min(wake[j + 2], wake[j + 3])) < t {
                for k in j..<(j + 4) where wake[k] < t { advance(k, to: t) }
            }
            j += 4
        }
        while j < range.upperBound {
            if wake[j] < t { advance(j, to: t) }
            j += 1
        }
    }
}
