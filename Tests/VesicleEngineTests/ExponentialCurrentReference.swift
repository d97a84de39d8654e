import Foundation

/// An independent, higher-precision (Float80) evaluation of the lif_exp trajectory for the crossing
/// tests, written from the sum-of-exponentials form rather than the engine's state form:
///
///   V(s) = V_inf + c e^{-s/tau_m} + sum_x a_x (e^{-s/tau_x} - e^{-s/tau_m}) / d_x,  d_x = 1/tau_m - 1/tau_x,
///
/// and its exact maximum on [0, h]. With g(s) = V'(s) e^{s/tau_m},
///   g(s) = K - sum_x (a_x / (d_x tau_x)) e^{s d_x},  g'(s) = -sum_x (a_x / tau_x) e^{s d_x},
/// g' has at most one zero (closed form), so g is monotone on at most two pieces and each zero of V'
/// is found by bisection on its piece: the maximum is at 0, h or one of at most two critical points.
/// The difference form needs |d_x| bounded away from 0 (the random tests draw tau_x at least 5 %
/// away from tau_m); the near-equal tests use `NearEqualKernelReference` instead.
struct ExponentialCurrentReference {
    typealias F = Float80
    let vInf: F, c: F, tauM: F
    let aE: F, tauE: F, aI: F, tauI: F

    init(asymptote: Double, v0: Double, tauM: Double, capacitance: Double,
         iE0: Double, tauE: Double, iI0: Double, tauI: Double) {
        vInf = F(asymptote); c = F(v0) - F(asymptote); self.tauM = F(tauM)
        aE = F(iE0) / F(capacitance); self.tauE = F(tauE)
        aI = F(iI0) / F(capacitance); self.tauI = F(tauI)
    }

    private func d(_ tauX: F) -> F { 1 / tauM - 1 / tauX }

    func potential(_ s: F) -> F {
        let eM = expl(-s / tauM)
        var v = vInf + c * eM
        v += aE * (expl(-s / tauE) - eM) / d(tauE)
        v += aI * (expl(-s / tauI) - eM) / d(tauI)
        return v
    }

    /// The same formula in double precision (for a cheap pre-check with a wide margin; its error
    /// is below 1e-12 mV for the constants the tests draw).
    func potentialInDouble(_ s: Double) -> Double {
        let tm = Double(tauM), te = Double(tauE), ti = Double(tauI)
        let eM = exp(-s / tm)
        return Double(vInf) + Double(c) * eM + Double(aE) * (exp(-s / te) - eM) / (1 / tm - 1 / te)
            + Double(aI) * (exp(-s / ti) - eM) / (1 / tm - 1 / ti)
    }

    /// V'(s) e^{s/tau_m}.
    private func g(_ s: F) -> F {
        let k = -c / tauM + aE / (d(tauE) * tauM) + aI / (d(tauI) * tauM)
        return k - aE / (d(tauE) * tauE) * expl(s * d(tauE)) - aI / (d(tauI) * tauI) * expl(s * d(tauI))
    }

    /// max of V on [0, h] and where.
    func maximum(within h: Double) -> (value: F, at: F) {
        let h = F(h)
        var pieces: [F] = [0]
        // g'(s) = 0: (aE/tauE) e^{s dE} = -(aI/tauI) e^{s dI}.
        let dE = d(tauE), dI = d(tauI)
        if aE != 0, aI != 0, dE != dI {
            let ratio = -(aI / tauI) / (aE / tauE)
            if ratio > 0 {
                let s0 = logl(ratio) / (dE - dI)
                if s0 > 0 && s0 < h { pieces.append(s0) }
            }
        }
        pieces.append(h)
        var best = (value: potential(0), at: F(0))
        let vh = potential(h)
        if vh > best.value { best = (vh, h) }
        for k in 0..<(pieces.count - 1) {
            var lo = pieces[k], hi = pieces[k + 1]
            var gLo = g(lo)
            let gHi = g(hi)
            if (gLo > 0) == (gHi > 0) || gLo == 0 || gHi == 0 {
                for s in [lo, hi] where s > 0 && s < h {
                    let v = potential(s); if v > best.value { best = (v, s) }
                }
                continue
            }
            for _ in 0..<90 {
                let mid = (lo + hi) / 2
                if mid <= lo || mid >= hi { break }
                let gm = g(mid)
                if (gm > 0) == (gLo > 0) { lo = mid; gLo = gm } else { hi = mid }
            }
            let v = potential(lo), w = potential(hi)
            if v > best.value { best = (v, lo) }
            if w > best.value { best = (w, hi) }
        }
        return best
    }
}

/// H(s) for tau_x = tau_m (1 + eps) by series in Float80, for the near-equal tests: with x = s/tau_m,
/// y = x eps/(1 + eps), H = s e^{-x} (e^y - 1)/y = s e^{-x} sum_k y^k/(k+1)!, and the peak time
/// tau_x ln(1 + eps)/eps with ln(1 + eps)/eps = sum_k (-eps)^k/(k+1). Both series are summed until
/// the terms fall below 1e-30, so they are exact to Float80 rounding for |eps| <= 1e-3.
enum NearEqualKernelReference {
    typealias F = Float80

    static func kernel(_ s: F, tauM: F, eps: F) -> F {
        let x = s / tauM
        let y = x * eps / (1 + eps)
        var term: F = 1, sum: F = 0, k: F = 1
        while abs(term) > 1e-30 {
            sum += term
            k += 1
            term *= y / k
        }
        return s * expl(-x) * sum
    }

    static func peakTime(tauM: F, eps: F) -> F {
        var term: F = 1, sum: F = 0, k: F = 1
        while abs(term) > 1e-30 {
            sum += term
            term *= -eps * k / (k + 1)
            k += 1
        }
        return tauM * (1 + eps) * sum
    }
}

/// SplitMix64: the tests' own seeded generator.
struct TestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }
    mutating func logUniform(_ a: Double, _ b: Double) -> Double { exp(uniform(log(a), log(b))) }
}
