// Standard normals four at a time by the ziggurat (MODEL.md §3: one normal per synaptic release).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomLanes {
    /// The largest magnitude `nextZigguratNormals` returns: r + a, a = -ln(u)/r, from the tail's
    /// smallest uniform u = 2^-53 (13.708); the fast path and the wedges stay below r.
    public static let largestZigguratNormal = NormalZiggurat.r - log(0x1p-53) / NormalZiggurat.r

    /// Four independent standard normals, one per lane, by Marsaglia & Tsang's ziggurat on the layers
    /// of `NormalZiggurat` (pass `NormalZiggurat.layers` and `.densities`, read once per batch).
    ///
    /// The fast path is the same in every lane: layer i from the low 8 bits of the lane's word, the
    /// sign from bit 8, u from the top 52 bits (so u lies on the 52-bit grid of [0, 1)), and the
    /// candidate u x_i accepted when below x_(i+1) (98.8% of draws). Only the lanes that fail go
    /// through the exact wedge and tail tests (`zigguratSlowPath`), which draw further words of that
    /// lane alone: lane j's normals are the scalar ziggurat run on lane j's stream. Exact in
    /// distribution up to that grid; the tail beyond r = 3.654 uses Marsaglia's exact method with
    /// 53-bit uniforms and reaches `largestZigguratNormal`.
    @inlinable @inline(__always)
    public mutating func nextZigguratNormals(layers x: UnsafePointer<Double>,
                                             densities f: UnsafePointer<Double>) -> SIMD4<Double> {
        typealias F = VectorElementaryFunctions
        let words = next()
        let layer = words & 0xFF
        let i0 = Int(truncatingIfNeeded: layer[0]), i1 = Int(truncatingIfNeeded: layer[1])
        let i2 = Int(truncatingIfNeeded: layer[2]), i3 = Int(truncatingIfNeeded: layer[3])
        let width = SIMD4(x[i0], x[i1], x[i2], x[i3])
        let inner = SIMD4(x[i0 + 1], x[i1 + 1], x[i2 + 1], x[i3 + 1])
        let u = F.double((words &>> 12) | 0x3FF0_0000_0000_0000) - 1
        let candidate = u * width
        let signed = F.double(F.bits(candidate) ^ ((words & 0x100) &<< 55))
        // all(candidate .< inner) as one AND of sign bits: candidate is +0 or positive, so
        // candidate - inner is negative exactly when candidate < inner (never -0), and the AND of
        // the two halves and then of two words is cheaper than the mask reduction `all` compiles to.
        // The lanes that failed are those whose sign bit is clear; testing them on `below` keeps
        // `inner` out of the registers the slow path has to save.
        let below = F.bits(candidate - inner)
        let halves = below.lowHalf & below.highHalf
        if (halves[0] & halves[1]) >> 63 == 1 { return signed }
        var result = signed
        for lane in 0..<4 where below[lane] >> 63 == 0 {
            let draw = zigguratSlowPath(lane: lane, word: words[lane], layers: x, densities: f)
            result[lane] = draw.normal
            self = draw.lanes
        }
        return result
    }

    /// The rest of one lane's ziggurat draw after its fast test failed on `word`: the wedge test of
    /// that layer or, for the base layer, the exact tail; on a wedge rejection a new draw of that lane
    /// starts over. Further words come from that lane alone (`next(lane:)`), so each lane is one
    /// stream whatever the other lanes needed. It takes the lanes by value and returns them advanced,
    /// so that a caller's lanes, not passed by address, can stay in registers through the fast path.
    @usableFromInline
    func zigguratSlowPath(lane: Int, word: UInt64, layers x: UnsafePointer<Double>,
                          densities f: UnsafePointer<Double>) -> (normal: Double, lanes: RandomLanes) {
        var lanes = self
        let normal = lanes.zigguratSlowDraw(lane: lane, word: word, layers: x, densities: f)
        return (normal, lanes)
    }

    private mutating func zigguratSlowDraw(lane: Int, word: UInt64, layers x: UnsafePointer<Double>,
                                           densities f: UnsafePointer<Double>) -> Double {
        var w = word
        while true {
            let i = Int(w & 0xFF)
            let sign: Double = w & 0x100 == 0 ? 1 : -1
            let u = Double(bitPattern: (w >> 12) | 0x3FF0_0000_0000_0000) - 1
            let candidate = u * x[i]
            if candidate < x[i + 1] { return sign * candidate }
            if i == 0 {
                // Tail beyond r (Marsaglia 1964): exact.
                let r = NormalZiggurat.r
                while true {
                    let a = -log(Double((next(lane: lane) >> 11) &+ 1) * 0x1.0p-53) / r
                    let b = -log(Double((next(lane: lane) >> 11) &+ 1) * 0x1.0p-53)
                    if 2 * b > a * a { return sign * (r + a) }
                }
            }
            let height = Double(next(lane: lane) >> 11) * 0x1.0p-53
            if f[i] + height * (f[i + 1] - f[i]) < exp(-candidate * candidate / 2) { return sign * candidate }
            w = next(lane: lane)
        }
    }
}
