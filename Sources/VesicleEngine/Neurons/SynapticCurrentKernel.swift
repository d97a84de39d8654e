import Foundation

/// The membrane response to a unit exponential current (docs/MODEL.md §2, `lif_exp`):
///
///   H(s) = (e^{-s/tau_x} - e^{-s/tau_m}) / d = s e^{-s/tau_m} phi(s d),  d = 1/tau_m - 1/tau_x,
///   phi(z) = expm1(z)/z,
///
/// with the constants a population needs for bounds, computed once: the peak time, the peak value and
/// the factor (1/tau_m + 1/tau_x) of the current's contribution to V''.
///
/// Both forms of H are exact; they differ in rounding. The difference form divides two nearly equal
/// numbers when |s d| is small (tau_x close to tau_m, or a short interval), so below |s d| = 1/2 the
/// series of phi is used instead (degree 15: the truncation error 0.5^16/17! < 5e-19 is below one ulp);
/// above, the difference of two correctly rounded exponentials loses at most about two bits.
struct SynapticCurrentKernel {
    let tauM: Double
    let tauX: Double
    /// 1/tau_m - 1/tau_x, 1/ms.
    let d: Double
    /// The time of H's maximum, ms (H rises from 0, peaks once and decays).
    let peak: Double
    /// H(peak), ms.
    let peakValue: Double
    /// 1/tau_m + 1/tau_x: V'' gets -(I_x/C) times this.
    let curvature: Double
    /// The table of `smallArgumentDecay`, read once here rather than through its lazy global at every
    /// sample.
    let decays: UnsafePointer<Double>

    init(tauM: Double, tauX: Double) {
        self.tauM = tauM
        self.tauX = tauX
        d = 1 / tauM - 1 / tauX
        peak = Self.peakTime(tauM: tauM, tauX: tauX)
        curvature = 1 / tauM + 1 / tauX
        decays = SmallArgumentExpTable.decays
        let p = peak
        let eM = exp(-p / tauM), eX = exp(-p / tauX)
        peakValue = Self.value(p, decayM: eM, decayX: eX, d: 1 / tauM - 1 / tauX)
    }

    /// The peak time tau_m tau_x ln(tau_x/tau_m)/(tau_x - tau_m), written as tau_x log1p(r)/r with
    /// r = (tau_x - tau_m)/tau_m. The quotient form loses all digits as tau_x -> tau_m (log of a
    /// number near 1 over a tiny difference, about 1e-11 relative difference was already wrong);
    /// here tau_x - tau_m is exact for close constants (Sterbenz) and log1p(r)/r is accurate for
    /// every r, with the limit tau_m at r = 0.
    /// - Complexity: O(1).
    static func peakTime(tauM: Double, tauX: Double) -> Double {
        let r = (tauX - tauM) / tauM
        if r == 0 { return tauM }
        return tauX * (log1p(r) / r)
    }

    /// phi(z) = expm1(z)/z by its Taylor series, for |z| <= 1/2: sum_{k=0}^{15} z^k/(k+1)!, evaluated
    /// by Estrin's scheme (pairs, then powers z^2, z^4, z^8) rather than Horner's, so that the 15
    /// multiply-adds form four dependent levels instead of one chain of 15: every `lif_exp` update
    /// evaluates it, and Horner's chain was most of an update's latency. All terms are positive for
    /// z > 0 and alternate mildly for z < 0 with |z| <= 1/2, so either order rounds to within about
    /// an ulp of phi.
    ///
    /// For |z| <= 1/16, the arguments of most updates (an interval of a fraction of a millisecond),
    /// degree 8 is enough: the first omitted term is below (1/16)^9/10! < 5e-18, a twentieth of an ulp
    /// of phi ~ 1, and the sum takes three levels and half the multiply-adds.
    @inline(__always)
    static func phiSeries(_ z: Double) -> Double {
        let z2 = z * z, z4 = z2 * z2, z8 = z4 * z4
        if abs(z) <= 0.0625 {
            let p0 = 1 + z * 0.5
            let p1 = 1.0 / 6 + z * (1.0 / 24)
            let p2 = 1.0 / 120 + z * (1.0 / 720)
            let p3 = 1.0 / 5_040 + z * (1.0 / 40_320)
            let q0 = p0 + z2 * p1, q1 = p2 + z2 * p3
            return q0 + z4 * q1 + z8 * (1.0 / 362_880)
        }
        let p0 = 1 + z * 0.5
        let p1 = 1.0 / 6 + z * (1.0 / 24)
        let p2 = 1.0 / 120 + z * (1.0 / 720)
        let p3 = 1.0 / 5_040 + z * (1.0 / 40_320)
        let p4 = 1.0 / 362_880 + z * (1.0 / 3_628_800)
        let p5 = 1.0 / 39_916_800 + z * (1.0 / 479_001_600)
        let p6 = 1.0 / 6_227_020_800 + z * (1.0 / 87_178_291_200)
        let p7 = 1.0 / 1_307_674_368_000 + z * (1.0 / 20_922_789_888_000)
        let q0 = p0 + z2 * p1, q1 = p2 + z2 * p3, q2 = p4 + z2 * p5, q3 = p6 + z2 * p7
        let r0 = q0 + z4 * q1, r1 = q2 + z4 * q3
        return r0 + z8 * r1
    }

    /// H(s) from the two decay factors e^{-s/tau_m} and e^{-s/tau_x}, which the caller has anyway.
    @inline(__always)
    static func value(_ s: Double, decayM: Double, decayX: Double, d: Double) -> Double {
        let z = s * d
        if abs(z) <= 0.5 { return s * decayM * phiSeries(z) }
        return (decayX - decayM) / d
    }

    @inline(__always)
    func value(_ s: Double, decayM: Double, decayX: Double) -> Double {
        Self.value(s, decayM: decayM, decayX: decayX, d: d)
    }

    /// H on [a, b] lies between the returned bounds, given its values at the ends (unimodality).
    @inline(__always)
    func range(_ a: Double, _ ha: Double, _ b: Double, _ hb: Double) -> (low: Double, high: Double) {
        if b <= peak { return (ha, hb) }
        if a >= peak { return (hb, ha) }
        return (min(ha, hb), peakValue)
    }
}
