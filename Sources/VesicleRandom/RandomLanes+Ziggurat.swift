// Standard normals four at a time by the ziggurat (docs/MODEL.md §3: one normal per synaptic release).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomLanes {
    /// The largest magnitude the lanes' ziggurat returns: r + a, a = -ln(u)/r, from the tail's
    /// smallest uniform u = 2^-53 (13.708); the fast path and the wedges stay below r.
    public static let largestZigguratNormal = NormalZiggurat.r - log(0x1p-53) / NormalZiggurat.r

    /// The normals of a row of `blocks` blocks of four, one per lane, by Marsaglia & Tsang's ziggurat
    /// on the layers of `NormalZiggurat` (pass `NormalZiggurat.layers` and `.densities`), with its
    /// rejections deferred to the end of the row.
    ///
    /// First every block takes the lanes' next words through the fast path, the same in every lane:
    /// layer i from the low 8 bits of the lane's word, the sign from bit 8, u from the top 52 bits (so
    /// u lies on the 52-bit grid of [0, 1)), and the candidate u x_i accepted when below x_(i+1)
    /// (98.8% of draws). Then, in block order and lane order, each draw that failed is finished by the
    /// exact wedge and tail tests (`finishZigguratDraw`), from further words of its own lane. Every
    /// word is an independent uniform whichever draw it serves, so each normal is exact in
    /// distribution (up to the grid; the tail beyond r = 3.654 uses Marsaglia's exact method with
    /// 53-bit uniforms and reaches `largestZigguratNormal`), and the lanes' words for the fast path
    /// do not depend on which draws failed. That is why the rejections wait: a vector loop then never
    /// waits on a failed draw, whose test depends on two table lookups, before it draws the next block.
    ///
    /// `block(b, normals)` is called for every block b in order with the fast path's normals (a lane
    /// that failed holds a placeholder), then again for each block that had a failure, in block order,
    /// with all four normals: the last call for a block carries its normals.
    @inlinable
    public mutating func zigguratBlocks(_ blocks: Int, layers x: UnsafePointer<Double>,
                                        densities f: UnsafePointer<Double>,
                                        _ block: (Int, SIMD4<Double>) -> Void) {
        var rng = self
        defer { self = rng }
        // At most one record per block; on the stack for ordinary rows.
        withUnsafeTemporaryAllocation(of: ZigguratRejection.self, capacity: max(blocks, 1)) { rejections in
            var n = 0
            for b in 0..<blocks {
                let draw = rng.nextZigguratFastPath(layers: x)
                if draw.rejected != 0 {
                    rejections.initializeElement(at: n, to: ZigguratRejection(block: b, lanes: draw.rejected,
                                                                              words: draw.words, normals: draw.normals))
                    n += 1
                }
                block(b, draw.normals)
            }
            for rejection in rejections[..<n] {
                var normals = rejection.normals
                for lane in 0..<4 where rejection.lanes >> lane & 1 == 1 {
                    let finished = rng.finishZigguratDraw(lane: lane, word: rejection.words[lane], layers: x, densities: f)
                    normals[lane] = finished.normal
                    rng = finished.lanes
                }
                block(rejection.block, normals)
            }
        }
    }

    /// The fast path of four draws, one per lane, from the lanes' next words: the normals of the lanes
    /// that pass it, and the lanes that fail (bit j for lane j, whose normal is a placeholder) with
    /// the words they failed on.
    @inlinable @inline(__always)
    public mutating func nextZigguratFastPath(layers x: UnsafePointer<Double>)
        -> (normals: SIMD4<Double>, rejected: Int, words: Words) {
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
        // candidate is +0 or positive, so candidate - inner is negative exactly when candidate < inner
        // (never -0): the lanes that fail are those whose sign bit is clear. All pass (the common case)
        // when the AND of the four sign bits is set, cheaper than collecting them.
        let below = F.bits(candidate - inner)
        let halves = below.lowHalf & below.highHalf
        if (halves[0] & halves[1]) >> 63 == 1 { return (signed, 0, words) }
        let failed = ~below &>> 63
        let rejected = Int(truncatingIfNeeded: failed[0] | failed[1] << 1 | failed[2] << 2 | failed[3] << 3)
        return (signed, rejected, words)
    }

    /// A draw that failed the fast path on `word`, finished from lane `lane` alone: the wedge test of
    /// its layer or, for the base layer, the exact tail; on a wedge rejection a new draw of that lane
    /// starts over. It takes the lanes by value and returns them advanced, so that a caller's lanes
    /// can stay in registers.
    public func finishZigguratDraw(lane: Int, word: UInt64, layers x: UnsafePointer<Double>,
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

/// A block whose draws failed the ziggurat's fast path in `lanes` (bit j for lane j), on `words`;
/// `normals` holds the fast path's normals of the other lanes.
@usableFromInline
struct ZigguratRejection {
    @usableFromInline var block: Int
    @usableFromInline var lanes: Int
    @usableFromInline var words: RandomLanes.Words
    @usableFromInline var normals: SIMD4<Double>

    @inlinable
    init(block: Int, lanes: Int, words: RandomLanes.Words, normals: SIMD4<Double>) {
        self.block = block
        self.lanes = lanes
        self.words = words
        self.normals = normals
    }
}
