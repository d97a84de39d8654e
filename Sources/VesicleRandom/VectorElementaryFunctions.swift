// Elementary functions on SIMD4<Double> for the batch normal sampler (`RandomLanes.nextNormals`).
// Written with integer bit operations, multiplies and adds only, so that they vectorise on the
// baseline x86-64 target (SSE2: no vector rounding, no vector integer-to-double conversion) without
// a library call per lane.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Vector elementary functions; accuracy against libm is checked in `VectorElementaryFunctionsTests`.
public enum VectorElementaryFunctions {
    public typealias Vector = SIMD4<Double>
    public typealias Bits = SIMD4<UInt64>

    /// ln 2 = ln2High + ln2Low: the high part has 21 significant bits, so `n * ln2High` is exact for
    /// |n| < 2^32; the low part is the rest of ln 2 (to 50 digits) rounded to a double.
    public static var ln2High: Double {
        @inlinable @inline(__always) get { 0.6931467056274414 }
    }
    public static var ln2Low: Double {
        @inlinable @inline(__always) get { 4.7493250390316726e-07 }
    }

    @inlinable @inline(__always)
    public static func bits(_ x: Vector) -> Bits { unsafeBitCast(x, to: Bits.self) }

    @inlinable @inline(__always)
    public static func double(_ b: Bits) -> Vector { unsafeBitCast(b, to: Vector.self) }

    /// Natural logarithm of positive normal doubles (every uniform of `RandomLanes.nextNormals` is one).
    ///
    /// x = 2^e m with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(s), s = (m - 1)/(m + 1), |s| < 0.172,
    /// by its Taylor series 2 (s + s^3/3 + ... + s^21/21) (truncation below 2.3e-17 relative);
    /// ln x = e ln2 + ln m with ln 2 split in two so the product is exact. Zero, negative, subnormal,
    /// infinite and NaN inputs are outside its domain and give meaningless results.
    @inlinable @inline(__always)
    public static func logarithm(_ x: Vector) -> Vector {
        let b = bits(x)
        // The biased exponent as a double without a conversion instruction: 2^52 + k, minus 2^52.
        let exponentBits = (b &>> 52) | 0x4330_0000_0000_0000
        var e = double(exponentBits) - (4_503_599_627_370_496.0 + 1023)
        var m = double((b & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        let high = m .> 1.4142135623730951
        m = m.replacing(with: m * 0.5, where: high)
        e = e.replacing(with: e + 1, where: high)
        let f = m - 1
        let s = f / (2 + f)
        let z = s * s
        var p: Vector = Vector(repeating: 1.0 / 21)
        p = p * z + 1.0 / 19
        p = p * z + 1.0 / 17
        p = p * z + 1.0 / 15
        p = p * z + 1.0 / 13
        p = p * z + 1.0 / 11
        p = p * z + 1.0 / 9
        p = p * z + 1.0 / 7
        p = p * z + 1.0 / 5
        p = p * z + 1.0 / 3
        let twoS = s + s
        return e * ln2High + (twoS + (twoS * z * p + e * ln2Low))
    }

    /// Square root of non-negative finite doubles (zero gives zero; negative, infinite and NaN inputs
    /// are outside its domain). `squareRoot()` of a SIMD4<Double> compiles on Linux to a scalar square
    /// root per lane with a libm call on negative input (errno), so it is built here from the
    /// reciprocal square root: a first guess from the bit pattern (relative error below 3.5%), four
    /// Newton steps y <- y (3/2 - x y^2 / 2) (error 1.7e-3, 4.4e-6, 3e-11, then rounding), times x,
    /// and a last Newton step on the root.
    @inlinable @inline(__always)
    public static func squareRoot(_ x: Vector) -> Vector {
        var y = double(0x5FE6_EB50_C7B5_37A9 &- (bits(x) &>> 1))
        let half = x * 0.5
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        // One Newton step on the root itself takes x y (3 ulp) to within 1 ulp.
        let r = x * y
        return (r + (0.5 * y) * (x - r * r)).replacing(with: 0, where: x .== 0)
    }

    /// (cos theta, sin theta) for theta = q pi/2 + y pi/2, with q the quadrant (0...3) and y in
    /// [-1/2, 1/2]: the angle of a Box-Muller pair, built from random bits without a 2 pi product.
    ///
    /// With phi = y pi/2 in [-pi/4, pi/4], sin phi and cos phi are their Taylor series through phi^17
    /// and phi^18 (truncation below 6e-17 and 2e-18); the quadrant rotates (cos phi, sin phi) by
    /// swapping and negating bit patterns.
    @inlinable @inline(__always)
    public static func cosineSine(quadrant q: Bits, fraction y: Vector) -> (cos: Vector, sin: Vector) {
        let phi = y * (Double.pi / 2)
        let z = phi * phi
        var sp: Vector = Vector(repeating: 1.0 / 355_687_428_096_000)  // 1/17!
        sp = sp * z - 1.0 / 1_307_674_368_000  // 1/15!
        sp = sp * z + 1.0 / 6_227_020_800  // 1/13!
        sp = sp * z - 1.0 / 39_916_800  // 1/11!
        sp = sp * z + 1.0 / 362_880  // 1/9!
        sp = sp * z - 1.0 / 5040
        sp = sp * z + 1.0 / 120
        sp = sp * z - 1.0 / 6
        let sine = phi + phi * z * sp
        var cp: Vector = Vector(repeating: -1.0 / 6_402_373_705_728_000)  // -1/18!
        cp = cp * z + 1.0 / 20_922_789_888_000  // 1/16!
        cp = cp * z - 1.0 / 87_178_291_200  // 1/14!
        cp = cp * z + 1.0 / 479_001_600  // 1/12!
        cp = cp * z - 1.0 / 3_628_800  // 1/10!
        cp = cp * z + 1.0 / 40320
        cp = cp * z - 1.0 / 720
        cp = cp * z + 1.0 / 24
        // 1 - z/2 rounded, then its rounding error restored (cos phi >= 0.707, z/2 <= 0.31).
        let halfZ = z * 0.5
        let w = 1 - halfZ
        let cosine = w + (((1 - w) - halfZ) + z * z * cp)
        // Quadrant q: (cos, sin) of theta = (c, s), (-s, c), (-c, -s), (s, -c).
        let swap = 0 &- (q & 1)
        let cb = bits(cosine), sb = bits(sine)
        let exchanged = (cb ^ sb) & swap
        let cosSign = ((q ^ (q &>> 1)) & 1) &<< 63
        let sinSign = ((q &>> 1) & 1) &<< 63
        return (double((cb ^ exchanged) ^ cosSign), double((sb ^ exchanged) ^ sinSign))
    }
}
