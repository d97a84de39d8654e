#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Layers of Marsaglia & Tsang's ziggurat for the unit exponential (J. Stat. Softw. 5(8), 2000),
/// 256 layers of equal area. Sampling is exact in distribution (the tail beyond r is memoryless,
/// so it is r plus a fresh exponential); it replaces the logarithm of inversion on the hot path of
/// Poisson inputs, where it is measured to be several times faster.
public enum ExponentialZiggurat {
    /// Start of the tail.
    public static let r = 7.69711747013104972
    /// Area of each layer.
    public static let v = 3.949659822581572e-3

    /// x[0] = v / f(r) (virtual width of the base), x[1] = r, ..., x[256] = 0; f = exp(-x).
    // Written once by the lazy initialiser, read-only afterwards, so sharing across threads is safe.
    nonisolated(unsafe) public static let layers: UnsafePointer<Double> = {
        let x = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        x[0] = v / exp(-r)
        x[1] = r
        for i in 1..<255 { x[i + 1] = -log(exp(-x[i]) + v / x[i]) }
        x[256] = 0
        return UnsafePointer(x)
    }()

    nonisolated(unsafe) public static let densities: UnsafePointer<Double> = {
        let f = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        for i in 0...256 { f[i] = exp(-layers[i]) }
        return UnsafePointer(f)
    }()
}

extension RandomStream {
    /// Exponential with rate 1 by the ziggurat method.
    @inlinable
    public mutating func exponentialZiggurat() -> Double {
        exponentialZiggurat(layers: ExponentialZiggurat.layers, densities: ExponentialZiggurat.densities)
    }

    /// The same, with the tables passed in: a hot loop that keeps the two pointers avoids the lazy
    /// global's initialisation check on every draw.
    @inlinable @inline(__always)
    public mutating func exponentialZiggurat(layers x: UnsafePointer<Double>, densities f: UnsafePointer<Double>) -> Double {
        // The tail beyond r is r plus a fresh exponential (memorylessness), hence the offset loop.
        var offset = 0.0
        while true {
            let bits = next()
            let i = Int(bits & 0xFF)
            let u = Double(bits >> 11) * 0x1.0p-53
            let candidate = u * x[i]
            if candidate < x[i + 1] { return offset + candidate }
            if i == 0 {
                offset += ExponentialZiggurat.r
                continue
            }
            if f[i] + uniform() * (f[i + 1] - f[i]) < exp(-candidate) { return offset + candidate }
        }
    }
}
