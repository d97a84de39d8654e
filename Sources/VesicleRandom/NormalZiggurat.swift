#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Layers of Marsaglia & Tsang's ziggurat for the standard normal (J. Stat. Softw. 5(8), 2000), 256
/// layers of equal area under f(x) = exp(-x^2/2) on x >= 0, with a random sign. Exact in
/// distribution; the tail beyond r uses Marsaglia's exact tail method. It replaced the Box-Muller
/// transform (a logarithm, a square root and a sine or cosine per variate) because posterior
/// sampling draws one normal per synaptic release.
public enum NormalZiggurat {
    public static let r = 3.6541528853610088
    public static let v = 0.00492867323399

    // Written once by the lazy initialiser, read-only afterwards, so sharing across threads is safe.
    nonisolated(unsafe) public static let layers: UnsafePointer<Double> = {
        let x = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        x[0] = v / exp(-r * r / 2)
        x[1] = r
        for i in 1..<255 { x[i + 1] = (-2 * log(exp(-x[i] * x[i] / 2) + v / x[i])).squareRoot() }
        x[256] = 0
        return UnsafePointer(x)
    }()

    nonisolated(unsafe) public static let densities: UnsafePointer<Double> = {
        let f = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        for i in 0...256 { f[i] = exp(-layers[i] * layers[i] / 2) }
        return UnsafePointer(f)
    }()
}

extension RandomStream {
    /// Standard normal by the ziggurat method.
    @inlinable
    public mutating func normalZiggurat() -> Double {
        let x = NormalZiggurat.layers, f = NormalZiggurat.densities
        while true {
            let bits = next()
            let i = Int(bits & 0xFF)
            let sign: Double = bits & 0x100 == 0 ? 1 : -1
            let u = Double(bits >> 11) * 0x1.0p-53
            let candidate = u * x[i]
            if candidate < x[i + 1] { return sign * candidate }
            if i == 0 {
                // Tail beyond r (Marsaglia 1964): exact.
                while true {
                    let a = -log(uniformPositive()) / NormalZiggurat.r
                    let b = -log(uniformPositive())
                    if 2 * b > a * a { return sign * (NormalZiggurat.r + a) }
                }
            }
            if f[i] + uniform() * (f[i + 1] - f[i]) < exp(-candidate * candidate / 2) { return sign * candidate }
        }
    }
}
