// R(z) = phi(z) / Phi(z), the inverse Mills ratio of the cerebellar rule (docs/MODEL.md §4).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// R(z) = phi(z)/Phi(z) for the standard normal density phi and distribution Phi.
///
/// For z >= -3 the direct quotient is accurate: Phi(z) = erfc(-z/sqrt 2)/2 is at least 1.3e-3 and
/// glibc's erfc and exp are accurate to about an ulp, so the relative error is a few 1e-15
/// (it grows to ~1e-14 near z = 37 through the rounding of z^2/2 inside exp; beyond z ~ 37.5 the
/// result underflows, as the true value does in Double).
/// For z < -3 both phi and Phi underflow long before z = -40, so R is evaluated as the reciprocal
/// of the Mills ratio of x = -z through Laplace's continued fraction
/// `1/M(x) = x + 1/(x + 2/(x + 3/(x + ...)))`, evaluated backward from 64 terms: at x = 3 it has
/// converged to ~1e-16 after 40 terms (checked against mpmath), and it converges faster for larger x.
/// R(z) ~ -z for large negative z, so it never overflows.
@inlinable
public func inverseMillsRatio(_ z: Double) -> Double {
    if z >= -3 {
        let phi = exp(-0.5 * z * z) * 0.398_942_280_401_432_677_94
        let cdf = 0.5 * erfc(-z * 0.707_106_781_186_547_524_40)
        return phi / cdf
    }
    let x = -z
    var tail = x
    var n = 64.0
    while n >= 1 {
        tail = x + n / tail
        n -= 1
    }
    return tail
}
