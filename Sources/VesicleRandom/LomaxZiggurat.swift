#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Marsaglia & Tsang's ziggurat (J. Stat. Softw. 5(8), 2000) for the Lomax distribution (Pareto
/// type II) with shape alpha and unit scale: density alpha (1 + y)^-(alpha + 1) on y >= 0.
///
/// Why this distribution: if an inter-arrival interval is exponential, delta ~ Exp(rate), then
/// e^(delta/tau) - 1 is exactly Lomax(alpha = tau * rate). A neuron that keeps its clock as the
/// scale factor s = e^((t - epoch)/tau) of the scaled membrane potential (docs/MODEL.md §2) needs, per
/// Poisson arrival, only the next arrival's factor s (1 + Y); drawing Y directly replaces an
/// exponential draw plus an exponential function by one draw and one multiply-add.
///
/// 256 layers of equal area v under f(y) = (1 + y)^-(alpha + 1); the base layer holds the tail
/// beyond r, which is sampled exactly by inversion. The tables are solved numerically for each
/// shape (bisection on r until the top layer closes at f(0) = 1), as the classic exponential
/// table is.
public final class LomaxZiggurat: @unchecked Sendable {
    // @unchecked: the tables are written once in init and only read afterwards.
    public let shape: Double
    /// Start of the tail.
    public let r: Double
    /// Area of each layer under the unnormalised density f.
    public let v: Double
    /// x[0] = v / f(r) (virtual width of the base), x[1] = r, ..., x[256] = 0.
    public let layers: UnsafePointer<Double>
    /// f(x[i]).
    public let densities: UnsafePointer<Double>
    /// f'(x[i]): the tangent at a layer's outer edge, for the wedge test's squeeze.
    let slopes: UnsafePointer<Double>

    /// The smallest shape accepted: below it the tail is so heavy that factors of several orders of
    /// magnitude are common, which the scaled clock was not made for.
    public static let minimumShape = 1.0

    public init?(shape alpha: Double) {
        guard alpha.isFinite, alpha >= Self.minimumShape else { return nil }
        shape = alpha
        // Bisection on z = alpha log1p(r), the tail start in units of the equivalent exponential
        // (7.697 for the exponential ziggurat): too small a tail start gives layers that reach the
        // top before the last one, too large one that stop short of it.
        var lo = 1.0, hi = 40.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if Self.residual(r: expm1(mid / alpha), alpha: alpha) > 0 { lo = mid } else { hi = mid }
            if hi - lo <= 4 * lo.ulp { break }
        }
        let r = expm1(0.5 * (lo + hi) / alpha)
        self.r = r
        let v = r * Self.density(r, alpha) + Self.tailArea(r, alpha)
        self.v = v
        let x = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        x[0] = v / Self.density(r, alpha)
        x[1] = r
        for i in 1..<255 { x[i + 1] = Self.inverseDensity(Self.density(x[i], alpha) + v / x[i], alpha) }
        x[256] = 0
        let f = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        for i in 0...256 { f[i] = Self.density(x[i], alpha) }
        let slope = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        for i in 0...256 { slope[i] = -(alpha + 1) * f[i] / (1 + x[i]) }
        layers = UnsafePointer(x)
        densities = UnsafePointer(f)
        slopes = UnsafePointer(slope)
    }

    deinit {
        UnsafeMutablePointer(mutating: layers).deallocate()
        UnsafeMutablePointer(mutating: densities).deallocate()
        UnsafeMutablePointer(mutating: slopes).deallocate()
    }

    /// f(y) = (1 + y)^-(alpha + 1).
    @inlinable
    public static func density(_ y: Double, _ alpha: Double) -> Double { exp(-(alpha + 1) * log1p(y)) }

    /// The y with f(y) = h, for 0 < h <= 1.
    static func inverseDensity(_ h: Double, _ alpha: Double) -> Double { expm1(-log(h) / (alpha + 1)) }

    /// The integral of f from r to infinity.
    static func tailArea(_ r: Double, _ alpha: Double) -> Double { exp(-alpha * log1p(r)) / alpha }

    /// f(x_255) + v / x_255 - f(0) for the layers built from tail start r: positive when they would
    /// overshoot the top (r too small).
    static func residual(r: Double, alpha: Double) -> Double {
        let v = r * density(r, alpha) + tailArea(r, alpha)
        var x = r
        for _ in 1..<255 {
            let h = density(x, alpha) + v / x
            if h >= 1 { return 1 }
            x = inverseDensity(h, alpha)
        }
        return density(x, alpha) + v / x - 1
    }

    /// The tables and constants without the owner, for hot loops: a plain value, so that calls
    /// through it involve no reference counting. Valid while this object lives.
    public var tables: LomaxZigguratTables {
        LomaxZigguratTables(shape: shape, r: r, layers: layers, densities: densities, slopes: slopes)
    }
}

/// A `LomaxZiggurat`'s tables as a plain value (see `LomaxZiggurat.tables`).
public struct LomaxZigguratTables: @unchecked Sendable {
    // @unchecked: read-only pointers into tables their owner never writes after init.
    public let shape: Double
    public let r: Double
    public let layers: UnsafePointer<Double>
    public let densities: UnsafePointer<Double>
    let slopes: UnsafePointer<Double>

    init(shape: Double, r: Double, layers: UnsafePointer<Double>, densities: UnsafePointer<Double>,
         slopes: UnsafePointer<Double>) {
        self.shape = shape
        self.r = r
        self.layers = layers
        self.densities = densities
        self.slopes = slopes
    }

    /// The draw after a first candidate `y` in `layer` failed the fast test (y < x[layer + 1]): the
    /// tail or the wedge test, then fresh draws. Out of line, so that hot loops keep only the fast
    /// path inline. The generator goes in by value and comes back: a hot loop whose generator's
    /// address were passed would keep it in memory instead of in registers.
    @inline(never)
    public func rejected(_ first: Double, layer firstLayer: Int, from start: RandomStream) -> (Double, RandomStream) {
        var stream = start
        return (rejectedDraw(first, layer: firstLayer, &stream), stream)
    }

    /// The same for a drive's counter-keyed stream (`DriveStream`).
    @inline(never)
    public func rejected(_ first: Double, layer firstLayer: Int, from start: DriveStream) -> (Double, DriveStream) {
        var stream = start
        return (rejectedDraw(first, layer: firstLayer, &stream), stream)
    }

    @inline(__always)
    private func rejectedDraw<G: RandomNumberGenerator>(_ first: Double, layer firstLayer: Int, _ stream: inout G) -> Double {
        var y = first, layer = firstLayer
        while true {
            if layer == 0 {
                // Beyond r, (1 + Y)/(1 + r) is Pareto(alpha): inversion with U in (0, 1].
                return expm1(log1p(r) - log(Double((stream.next() >> 11) &+ 1) * 0x1.0p-53) / shape)
            }
            // The wedge: accept y if a uniform height under the layer's top lies below f(y). f is
            // convex, so it lies above its tangent at the outer edge x[layer] and below the chord
            // of the layer: heights below the one accept and above the other reject without f.
            let outer = layers[layer], inner = layers[layer + 1]
            let low = densities[layer], high = densities[layer + 1]
            let height = low + (Double(stream.next() >> 11) * 0x1.0p-53) * (high - low)
            if height <= low + slopes[layer] * (y - outer) { return y }
            if height < low + (high - low) * (outer - y) / (outer - inner),
               height < LomaxZiggurat.density(y, shape) {
                return y
            }
            let bits = stream.next()
            layer = Int(bits & 0xFF)
            y = Double(bits >> 11) * 0x1.0p-53 * layers[layer]
            if y < layers[layer + 1] { return y }
        }
    }
}

extension RandomStream {
    /// A Lomax(`ziggurat.shape`) variate: the fast path here, the rest in
    /// `LomaxZigguratTables.rejected`. Hot loops that inline the fast path must draw exactly as this does.
    @inlinable @inline(__always)
    public mutating func lomax(_ ziggurat: LomaxZiggurat) -> Double { lomax(ziggurat.tables) }

    /// The same from the tables.
    @inlinable @inline(__always)
    public mutating func lomax(_ z: LomaxZigguratTables) -> Double {
        let bits = next()
        let layer = Int(bits & 0xFF)
        let y = Double(bits >> 11) * 0x1.0p-53 * z.layers[layer]
        if y < z.layers[layer + 1] { return y }
        let (draw, after) = z.rejected(y, layer: layer, from: self)
        self = after
        return draw
    }
}
