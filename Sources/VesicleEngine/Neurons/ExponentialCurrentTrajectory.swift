import Foundation

/// The closed-form membrane trajectory of a `lif_exp` neuron between events (MODEL.md §2):
///
///   tau_m dV/dt = -(V - V_inf) + R (I_e + I_i),  dI_x/dt = -I_x / tau_x,
///   V(s) = V_inf + (V0 - V_inf) e^{-s/tau_m} + sum_x (I_x0 / C) H_x(s),
///   H_x(s) = (e^{-s/tau_x} - e^{-s/tau_m}) / (1/tau_m - 1/tau_x) = s e^{-s/tau_m} expm1(s d_x)/(s d_x),
///
/// with d_x = 1/tau_m - 1/tau_x. The expm1 form stays accurate when tau_x is close to tau_m and is
/// exactly s e^{-s/tau_m} when they are equal.
struct ExponentialCurrentTrajectory {
    let asymptote: Double       // V_inf, mV
    let tauM: Double
    let capacitance: Double
    let tauE: Double
    let tauI: Double
    let v0: Double
    let iE0: Double
    let iI0: Double

    @inline(__always)
    static func kernel(_ s: Double, tauM: Double, tauX: Double) -> Double {
        let d = 1 / tauM - 1 / tauX
        let z = s * d
        let ratio = z == 0 ? 1 : expm1(z) / z
        return s * exp(-s / tauM) * ratio
    }

    /// Time at which H_x peaks: ln(tau_x/tau_m) / d_x, or tau_m when the constants coincide.
    static func kernelPeak(tauM: Double, tauX: Double) -> Double {
        let diff = tauX - tauM
        if abs(diff) <= 1e-12 * tauM { return tauM }
        return tauM * tauX * log(tauX / tauM) / diff
    }

    @inline(__always)
    func potential(at s: Double) -> Double {
        asymptote + (v0 - asymptote) * exp(-s / tauM)
            + iE0 / capacitance * Self.kernel(s, tauM: tauM, tauX: tauE)
            + iI0 / capacitance * Self.kernel(s, tauM: tauM, tauX: tauI)
    }

    /// An upper bound of V on [a, b]. Each term is bounded on its own: the leak term is monotone and
    /// each H_x is unimodal with its peak at `kernelPeak`, so the bound is rigorous (up to rounding)
    /// and tightens linearly as the interval shrinks.
    func upperBound(_ a: Double, _ b: Double) -> Double {
        var bound = asymptote
        let leakA = (v0 - asymptote) * exp(-a / tauM), leakB = (v0 - asymptote) * exp(-b / tauM)
        bound += max(leakA, leakB)
        bound += currentTermBound(iE0, tauX: tauE, a, b)
        bound += currentTermBound(iI0, tauX: tauI, a, b)
        return bound
    }

    @inline(__always)
    private func currentTermBound(_ i0: Double, tauX: Double, _ a: Double, _ b: Double) -> Double {
        if i0 == 0 { return 0 }
        let c = i0 / capacitance
        let ha = Self.kernel(a, tauM: tauM, tauX: tauX), hb = Self.kernel(b, tauM: tauM, tauX: tauX)
        if c < 0 { return c * min(ha, hb) }
        let peak = min(max(Self.kernelPeak(tauM: tauM, tauX: tauX), a), b)
        return c * max(Self.kernel(peak, tauM: tauM, tauX: tauX), ha, hb)
    }

    /// The first s in (0, h] at which V reaches `threshold`, to full double precision, or nil.
    /// Requires V(0) < threshold. Branch and bound, left half first: an interval is discarded only
    /// when its rigorous upper bound lies below threshold, so no crossing is ever missed, however
    /// grazing; the search ends on adjacent doubles, returning the first one with V >= threshold.
    func firstCrossing(threshold: Double, within h: Double) -> Double? {
        if upperBound(0, h) < threshold { return nil }
        var stack: [(Double, Double)] = [(0, h)]
        while let (lo, hi) = stack.popLast() {
            if upperBound(lo, hi) < threshold { continue }
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi {
                if potential(at: hi) >= threshold { return hi }
                continue
            }
            stack.append((mid, hi))
            stack.append((lo, mid))
        }
        return nil
    }
}
