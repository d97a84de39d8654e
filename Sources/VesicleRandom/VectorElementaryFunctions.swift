// Elementary functions on SIMD4<Double> for batch samplers (the log-normal releases of a row,
// docs/MODEL.md §3). Written with integer bit operations, multiplies and adds only, so that they vectorise
// on the baseline x86-64 target (SSE2: no vector rounding, no vector integer-to-double conversion)
// without a library call per lane.

/// Vector bit casts, the split of ln 2 and the square root; accuracy against libm is checked in
/// `VectorElementaryFunctionsTests` (and `VectorExponentialTests` for `vectorExponential`).
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

    /// Square root of non-negative finite doubles (zero gives zero; negative, infinite and NaN inputs
    /// are outside its domain). `squareRoot()` of a SIMD4<Double> compiles on Linux to a scalar square
    /// root per lane with a libm call on negative input (errno), so it is built here from the
    /// reciprocal square root: a first guess from the bit pattern (relative error below 3.5%), three
    /// Newton steps y <- y (3/2 - x y^2 / 2) (error 1.7e-3, 4.4e-6, 3e-11), times x, and a last
    /// Newton step on the root r <- r + y (x - r^2) / 2. Within 1 ulp of libm on [2^-1020, 2^1020].
    @inlinable @inline(__always)
    public static func squareRoot(_ x: Vector) -> Vector {
        var y = double(0x5FE6_EB50_C7B5_37A9 &- (bits(x) &>> 1))
        let half = x * 0.5
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        // One Newton step on the root itself, quadratic too, takes x y (relative error 3e-11) to the
        // rounding of the last operations.
        let r = x * y
        return (r + (0.5 * y) * (x - r * r)).replacing(with: 0, where: x .== 0)
    }
}
