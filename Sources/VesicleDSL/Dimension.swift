// Physical dimensions as exponent vectors over three base dimensions: time, voltage, current.
// Every electrical quantity a network file needs is a product of these: capacitance = current time /
// voltage, resistance = voltage / current, conductance = current / voltage, charge = current time.
// With base units ms, mV and pA these products are pF, GOhm, nS and fC.

struct Dimension: Sendable, Hashable, CustomStringConvertible {
    var time: Int
    var voltage: Int
    var current: Int

    /// Exponents are clamped so that absurd expressions (x*x*x*... nested) cannot overflow.
    private static let exponentLimit = 1_000

    init(time: Int = 0, voltage: Int = 0, current: Int = 0) {
        self.time = max(-Self.exponentLimit, min(Self.exponentLimit, time))
        self.voltage = max(-Self.exponentLimit, min(Self.exponentLimit, voltage))
        self.current = max(-Self.exponentLimit, min(Self.exponentLimit, current))
    }

    static let dimensionless = Dimension()
    static let time = Dimension(time: 1)
    static let voltage = Dimension(voltage: 1)
    static let current = Dimension(current: 1)
    static let frequency = Dimension(time: -1)
    static let capacitance = Dimension(time: 1, voltage: -1, current: 1)
    static let resistance = Dimension(voltage: 1, current: -1)
    static let conductance = Dimension(voltage: -1, current: 1)
    static let charge = Dimension(time: 1, current: 1)
    static let inverseVoltage = Dimension(voltage: -1)

    static func * (a: Dimension, b: Dimension) -> Dimension {
        Dimension(time: a.time + b.time, voltage: a.voltage + b.voltage, current: a.current + b.current)
    }

    static func / (a: Dimension, b: Dimension) -> Dimension {
        Dimension(time: a.time - b.time, voltage: a.voltage - b.voltage, current: a.current - b.current)
    }

    var isDimensionless: Bool { self == .dimensionless }

    /// Square root, if every exponent is even.
    var squareRoot: Dimension? {
        guard time % 2 == 0, voltage % 2 == 0, current % 2 == 0 else { return nil }
        return Dimension(time: time / 2, voltage: voltage / 2, current: current / 2)
    }

    /// Powers of ten between the base-unit product (ms^a mV^b pA^c) and the unit values of this
    /// dimension are stored in. Only rates differ: they are kept in Hz (10^-3 / ms), the unit
    /// NetworkSpec uses, so that `300 Hz` is stored as exactly 300.
    var storageExponent: Int { self == .frequency ? -3 : 0 }

    /// The field's name for the dimension, for messages.
    var name: String {
        switch self {
        case .dimensionless: return "a plain number"
        case .time: return "a time"
        case .voltage: return "a voltage"
        case .current: return "a current"
        case .frequency: return "a rate"
        case .capacitance: return "a capacitance"
        case .resistance: return "a resistance"
        case .conductance: return "a conductance"
        case .charge: return "a charge"
        case .inverseVoltage: return "an inverse voltage"
        default: return "a quantity in \(formula)"
        }
    }

    /// The name with the storage unit, e.g. "a voltage (mV)", "a quantity in mV^2".
    var described: String {
        Unit.preferred[self] != nil ? "\(name) (\(storageUnit))" : name
    }

    /// The unit values of this dimension are stored in, e.g. "ms", "Hz", "1/mV", "ms^2 mV".
    var storageUnit: String {
        if let named = Unit.preferred[self] { return named }
        return formula
    }

    var formula: String {
        var numerator: [String] = []
        var denominator: [String] = []
        for (symbol, exponent) in [("ms", time), ("mV", voltage), ("pA", current)] where exponent != 0 {
            let magnitude = abs(exponent)
            let term = magnitude == 1 ? symbol : "\(symbol)^\(magnitude)"
            if exponent > 0 { numerator.append(term) } else { denominator.append(term) }
        }
        let top = numerator.isEmpty ? "1" : numerator.joined(separator: " ")
        return denominator.isEmpty ? top : "\(top)/\(denominator.joined(separator: " "))"
    }

    var description: String { name }
}
