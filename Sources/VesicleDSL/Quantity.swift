// A number with a physical dimension. `value` is in the storage unit of the dimension
// (`Dimension.storageExponent`): ms, mV, pA, pF, GOhm, nS, fC, and Hz for rates. Keeping rates in Hz
// rather than 1/ms makes `300 Hz` exactly 300 and lets `theta / (J C_E tau_m)` convert with the
// same single multiplication by 1000 that a hand-written Swift formula would use.

struct Quantity: Sendable, Equatable {
    var value: Double
    var dimension: Dimension

    init(_ value: Double, _ dimension: Dimension = .dimensionless) {
        self.value = value
        self.dimension = dimension
    }

    static func * (a: Quantity, b: Quantity) -> Quantity {
        let dimension = a.dimension * b.dimension
        let exponent = a.dimension.storageExponent + b.dimension.storageExponent - dimension.storageExponent
        return Quantity(rescale(a.value * b.value, byPowerOfTen: exponent), dimension)
    }

    static func / (a: Quantity, b: Quantity) -> Quantity {
        let dimension = a.dimension / b.dimension
        let exponent = a.dimension.storageExponent - b.dimension.storageExponent - dimension.storageExponent
        return Quantity(rescale(a.value / b.value, byPowerOfTen: exponent), dimension)
    }

    /// The square root, if the dimension has one.
    var squareRoot: Quantity? {
        guard let dimension = dimension.squareRoot else { return nil }
        let base = Quantity.rescale(value, byPowerOfTen: self.dimension.storageExponent)
        return Quantity(Quantity.rescale(base.squareRoot(), byPowerOfTen: -dimension.storageExponent), dimension)
    }

    /// value * 10^exponent, multiplying or dividing by an exact power of ten so that the result is
    /// correctly rounded (x / 1000, not x * 0.001).
    static func rescale(_ value: Double, byPowerOfTen exponent: Int) -> Double {
        if exponent == 0 { return value }
        var power = 1.0
        for _ in 0..<min(abs(exponent), 400) { power *= 10 }
        return exponent > 0 ? value * power : value / power
    }

    /// How a value reads in messages, e.g. "1.5 ms", "-0.669".
    var formatted: String {
        let number = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        return dimension.isDimensionless ? number : "\(number) \(dimension.storageUnit)"
    }
}
