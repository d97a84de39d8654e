import Foundation

/// Rigorous bounds of V on an interval from the samples at its ends, with no further exponentials,
/// and the cheap crossing test every `lif_exp` update runs (docs/MODEL.md §2).
///
/// Two upper bounds, the smaller is used:
/// - separable: the leak term is monotone and each H_x is unimodal with a known peak, so each term's
///   range on [a, b] follows from its end values; tightens linearly with the width w;
/// - curvature: if V'' >= -M on [a, b], then V - (the chord) is at most M (s - a)(b - s)/2, so
///   V <= max(V(a), V(b)) + M w^2/8; tightens quadratically, which bounds the search's work when the
///   maximum lies just below threshold (a linear bound needs ~1/sqrt(gap) intervals there). M comes
///   from V'' = (V - V_inf)/tau_m^2 - sum_x (I_x/C)(1/tau_m + 1/tau_x), each part bounded on [a, b].
/// The bounds use the state (V, I_x), never the coefficients of the three exponentials, which cancel
/// when tau_x is close to tau_m.
extension ExponentialCurrentTrajectory {
    /// A touch within this distance of threshold (mV) counts as a crossing: the search looks for the
    /// first time V >= theta - touchTolerance. It is about 70 ulp of V at |V| ~ 65 mV, so rounding in
    /// V's evaluation (a few ulp, ~1e-14 mV) can never hide a true crossing of theta, and it is three
    /// orders below the 1e-9 mV margins the tests resolve. In the spirit of NEST's lossless test
    /// (`iaf_psc_exp_ps_lossless`), which decides a crossing from the state rather than by sampling;
    /// here the decision is exact up to this stated tolerance. A spike found through a touch is at most
    /// touchTolerance / V'(t) earlier than the exact crossing of theta (1e-12 ms at 1 mV/ms).
    static let touchTolerance = 1e-12

    struct IntervalBound {
        /// V <= upper on [a, b].
        var upper: Double
        /// V' >= slopeLow on [a, b] (a positive value means one crossing at most).
        var slopeLow: Double
    }

    /// - Complexity: O(1), about 40 floating-point operations and no exponentials.
    @inline(__always)
    func bound(_ a: Sample, _ b: Sample) -> IntervalBound {
        let c = v0 - asymptote
        let aE = iE0 / capacitance, aI = iI0 / capacitance
        let leakA = c * a.decayM, leakB = c * b.decayM
        let hE = excitatory.range(a.s, a.kernelE, b.s, b.kernelE)
        let hI = inhibitory.range(a.s, a.kernelI, b.s, b.kernelI)
        let eHigh = aE >= 0 ? aE * hE.high : aE * hE.low, eLow = aE >= 0 ? aE * hE.low : aE * hE.high
        let iHigh = aI >= 0 ? aI * hI.high : aI * hI.low, iLow = aI >= 0 ? aI * hI.low : aI * hI.high
        let upperOffset = max(leakA, leakB) + eHigh + iHigh      // bounds of V - V_inf
        let lowerOffset = min(leakA, leakB) + eLow + iLow
        // I_x(s)/C = a_x e^{-s/tau_x}: its magnitude falls with s.
        let eCurrentHigh = aE >= 0 ? aE * a.decayE : aE * b.decayE, eCurrentLow = aE >= 0 ? aE * b.decayE : aE * a.decayE
        let iCurrentHigh = aI >= 0 ? aI * a.decayI : aI * b.decayI, iCurrentLow = aI >= 0 ? aI * b.decayI : aI * a.decayI
        let curvatureLow = lowerOffset / (tauM * tauM)
            - eCurrentHigh * excitatory.curvature - iCurrentHigh * inhibitory.curvature
        let m = max(0, -curvatureLow)
        let w = b.s - a.s
        let chordBound = max(a.potential, b.potential) + m * w * w * 0.125
        let slopeLow = -upperOffset / tauM + eCurrentLow + iCurrentLow
        return IntervalBound(upper: min(asymptote + upperOffset, chordBound), slopeLow: slopeLow)
    }

    /// An upper bound of V on [a, b] (for callers that have no samples).
    /// - Complexity: O(1), six exponentials.
    func upperBound(_ a: Double, _ b: Double) -> Double {
        bound(a == 0 ? start : sample(at: a), sample(at: b)).upper
    }

    /// The smaller of the two upper bounds of V on [0, end.s] that `mayCross` tries in turn: the quiet
    /// horizon keeps its distance below the level as headroom for later inputs.
    /// - Complexity: O(1), no exponentials.
    @inline(__always)
    func upperBound(before end: Sample) -> Double {
        let c = v0 - asymptote
        let aE = iE0 / capacitance, aI = iI0 / capacitance
        let h = end.s
        let kE = h <= excitatory.peak ? end.kernelE : excitatory.peakValue
        let kI = h <= inhibitory.peak ? end.kernelI : inhibitory.peakValue
        let separable = asymptote + max(c, c * end.decayM) + (aE > 0 ? aE * kE : 0) + (aI > 0 ? aI * kI : 0)
        let lowerOffset = min(c, c * end.decayM) + (aE < 0 ? aE * kE : 0) + (aI < 0 ? aI * kI : 0)
        let curvatureLow = lowerOffset / (tauM * tauM)
            - (aE >= 0 ? aE : aE * end.decayE) * excitatory.curvature
            - (aI >= 0 ? aI : aI * end.decayI) * inhibitory.curvature
        let m = max(0, -curvatureLow)
        return min(separable, max(v0, end.potential) + m * h * h * 0.125)
    }

    /// An upper bound of V at every s >= 0 without input: the leak term (V0 - V_inf) e^{-s/tau_m}
    /// is at most max(V0 - V_inf, 0), and a current's term (I_x0/C) H_x(s) at most (I_x0/C) H_x's
    /// peak when I_x0 > 0 and 0 otherwise (0 <= H_x <= its peak). `excitatoryReach` and
    /// `inhibitoryReach` are the peaks over C, rounded up (`LIFExpPopulation.excitatoryReach`). Below
    /// theta - touchTolerance, no crossing can come before the next input, however far ahead.
    /// - Complexity: O(1), a few operations.
    @inline(__always)
    func foreverBound(excitatoryReach: Double, inhibitoryReach: Double) -> Double {
        asymptote + max(v0 - asymptote, 0) + max(iE0, 0) * excitatoryReach + max(iI0, 0) * inhibitoryReach
    }

    /// The cheap conservative test: false means V stays below theta - touchTolerance on (0, end.s],
    /// so no crossing is possible before the next event; true means the rigorous search must run.
    /// `end` is the sample the update computes anyway, so the test costs a few operations: `bound`
    /// on [0, end.s], written out for a left end at the last event (e^0 = 1, H(0) = 0), with the
    /// separable bound tried first and the curvature bound only when that one fails.
    /// - Complexity: O(1), no exponentials.
    @inline(__always)
    func mayCross(threshold: Double, before end: Sample) -> Bool {
        let level = threshold - Self.touchTolerance
        let c = v0 - asymptote
        let aE = iE0 / capacitance, aI = iI0 / capacitance
        let h = end.s
        // A current's term a H(s) has its maximum at s = 0 (0) when a < 0; when a > 0 at min(h, peak).
        let eHigh = aE > 0 ? aE * (h <= excitatory.peak ? end.kernelE : excitatory.peakValue) : 0
        let iHigh = aI > 0 ? aI * (h <= inhibitory.peak ? end.kernelI : inhibitory.peakValue) : 0
        let separable = asymptote + max(c, c * end.decayM) + eHigh + iHigh
        if separable < level { return false }
        let eLow = aE < 0 ? aE * (h <= excitatory.peak ? end.kernelE : excitatory.peakValue) : 0
        let iLow = aI < 0 ? aI * (h <= inhibitory.peak ? end.kernelI : inhibitory.peakValue) : 0
        let lowerOffset = min(c, c * end.decayM) + eLow + iLow
        let curvatureLow = lowerOffset / (tauM * tauM)
            - (aE >= 0 ? aE : aE * end.decayE) * excitatory.curvature
            - (aI >= 0 ? aI : aI * end.decayI) * inhibitory.curvature
        let m = max(0, -curvatureLow)
        return max(v0, end.potential) + m * h * h * 0.125 >= level
    }
}
