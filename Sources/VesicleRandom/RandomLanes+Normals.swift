// Standard normals in batches for posterior sampling (MODEL.md §3: one normal per synaptic release).

extension RandomLanes {
    /// The largest |normal| `nextNormals` can return: sqrt(-2 ln 2^-52) = 8.4908 (a radius from the
    /// smallest uniform, 2^-52). Mass beyond it under N(0, 1): 2e-17.
    public static let normalTruncation = (-2 * (-52) * 0.6931471805599453).squareRoot()

    /// Eight independent standard normals, four per vector, by the Box-Muller transform
    /// (Box & Muller 1958): (r cos theta, r sin theta) with r = sqrt(-2 ln u), theta uniform on the circle.
    ///
    /// u = 1 - k 2^-52 (k the top 52 bits of one output word) lies on the grid of 52-bit uniforms in
    /// (0, 1]; the other word gives the quadrant (2 bits) and a 52-bit uniform angle inside it. The
    /// transform is exact in distribution but for that grid: r is truncated at `normalTruncation`
    /// (8.49 sd) and takes discrete values in the far tail. The logarithm, sine and cosine are the
    /// vector polynomials and Newton steps of `VectorElementaryFunctions` (within 1 ulp of libm), so every lane
    /// runs the same instructions: no rejection, no table, no branch.
    @inlinable @inline(__always)
    public mutating func nextNormals() -> (SIMD4<Double>, SIMD4<Double>) {
        typealias F = VectorElementaryFunctions
        let radial = next(), angular = next()
        // [1, 2) from 52 bits, then 2 - v = 1 - k 2^-52 in (0, 1], exactly.
        let u = 2 - F.double((radial &>> 12) | 0x3FF0_0000_0000_0000)
        let r = F.squareRoot(-2 * F.logarithm(u))
        // [1, 2) - 1.5 = [-1/2, 1/2) exactly, from the 52 bits below the two quadrant bits.
        let y = F.double(((angular &<< 2) &>> 12) | 0x3FF0_0000_0000_0000) - 1.5
        let (c, s) = F.cosineSine(quadrant: angular &>> 62, fraction: y)
        return (r * c, r * s)
    }
}
