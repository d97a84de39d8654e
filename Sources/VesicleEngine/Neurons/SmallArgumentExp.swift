import Foundation

/// e^x for the arguments of the scaled-potential factors, which lie in [0, window/tau_m] and are
/// usually below 0.1. For |x| <= 1/8 a degree-13 Taylor polynomial in Horner form has truncation
/// error below 1e-23, far under one ulp, so the result equals libm's to rounding (tested against
/// `Foundation.exp`); larger arguments go to libm. It is inlined into the delivery loop, where a
/// library call per Poisson arrival was a fifth of the run time.
@inline(__always)
func smallArgumentExp(_ x: Double) -> Double {
    if abs(x) > 0.125 { return exp(x) }
    var p = 1.0 / 6_227_020_800            // 1/13!
    p = p * x + 1.0 / 479_001_600           // 1/12!
    p = p * x + 1.0 / 39_916_800
    p = p * x + 1.0 / 3_628_800
    p = p * x + 1.0 / 362_880
    p = p * x + 1.0 / 40_320
    p = p * x + 1.0 / 5_040
    p = p * x + 1.0 / 720
    p = p * x + 1.0 / 120
    p = p * x + 1.0 / 24
    p = p * x + 1.0 / 6
    p = p * x + 0.5
    p = p * x + 1
    return p * x + 1
}
