// The units a number may carry. A unit is only ever recognised directly after a number literal
// (`1.5 ms`); a bare identifier is never a unit. Unit symbols cannot be declared as names, because
// `population P = 10 X` would read X as a unit; so no single capital letter is a unit (siemens
// appears only with a prefix: mS, uS, nS, pS).

struct Unit: Sendable {
    var symbol: String
    var dimension: Dimension
    /// The unit's size in the storage unit of its dimension (ms, mV, pA, pF, Hz, GOhm, nS, fC).
    var scale: Double

    static let all: [Unit] = [
        Unit(symbol: "s", dimension: .time, scale: 1_000),
        Unit(symbol: "ms", dimension: .time, scale: 1),
        Unit(symbol: "us", dimension: .time, scale: 1e-3),
        Unit(symbol: "V", dimension: .voltage, scale: 1_000),
        Unit(symbol: "mV", dimension: .voltage, scale: 1),
        Unit(symbol: "uV", dimension: .voltage, scale: 1e-3),
        Unit(symbol: "mA", dimension: .current, scale: 1e9),
        Unit(symbol: "uA", dimension: .current, scale: 1e6),
        Unit(symbol: "nA", dimension: .current, scale: 1_000),
        Unit(symbol: "pA", dimension: .current, scale: 1),
        Unit(symbol: "fA", dimension: .current, scale: 1e-3),
        Unit(symbol: "uF", dimension: .capacitance, scale: 1e6),
        Unit(symbol: "nF", dimension: .capacitance, scale: 1_000),
        Unit(symbol: "pF", dimension: .capacitance, scale: 1),
        Unit(symbol: "fF", dimension: .capacitance, scale: 1e-3),
        Unit(symbol: "Hz", dimension: .frequency, scale: 1),
        Unit(symbol: "kHz", dimension: .frequency, scale: 1_000),
        Unit(symbol: "Ohm", dimension: .resistance, scale: 1e-9),
        Unit(symbol: "kOhm", dimension: .resistance, scale: 1e-6),
        Unit(symbol: "MOhm", dimension: .resistance, scale: 1e-3),
        Unit(symbol: "GOhm", dimension: .resistance, scale: 1),
        Unit(symbol: "mS", dimension: .conductance, scale: 1e6),
        Unit(symbol: "uS", dimension: .conductance, scale: 1_000),
        Unit(symbol: "nS", dimension: .conductance, scale: 1),
        Unit(symbol: "pS", dimension: .conductance, scale: 1e-3),
        Unit(symbol: "nC", dimension: .charge, scale: 1e6),
        Unit(symbol: "pC", dimension: .charge, scale: 1_000),
        Unit(symbol: "fC", dimension: .charge, scale: 1),
    ]

    static let bySymbol: [String: Unit] = Dictionary(uniqueKeysWithValues: all.map { ($0.symbol, $0) })

    /// The unit each dimension's values are stored in, for messages.
    static let preferred: [Dimension: String] = [
        .time: "ms", .voltage: "mV", .current: "pA", .capacitance: "pF", .frequency: "Hz",
        .resistance: "GOhm", .conductance: "nS", .charge: "fC", .inverseVoltage: "1/mV",
    ]
}
