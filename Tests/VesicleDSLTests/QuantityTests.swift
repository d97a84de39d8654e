// Units and dimensions: conversions to NetworkSpec's canonical units, checked against values
// computed by hand in each test.

import XCTest
@testable import VesicleDSL
import VesicleModel

final class QuantityTests: XCTestCase {
    /// Evaluates the last `let` of `source` and returns its quantity.
    private func value(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> Quantity? {
        var lexer = Lexer(source: source, path: "q.vsl")
        var parser = Parser(tokens: lexer.tokenize(), path: "q.vsl")
        let statements = parser.parseProgram()
        let checker = Checker(path: "q.vsl", memoryLimit: .max)
        _ = checker.run(statements)
        XCTAssertEqual((lexer.diagnostics + parser.diagnostics + errors(checker.diagnostics)).map(\.description), [],
                       file: file, line: line)
        guard case .constant(let name, _)? = statements.last?.kind, case .quantity(let q)? = checker.constants[name.text] else {
            return nil
        }
        return q
    }

    func testThresholdRateHasDimensionOneOverTimeInHertz() {
        // theta / (J * C_E * tau_m) = 20 mV / (0.1 mV * 1000 * 20 ms) = 0.01 / ms = 10 Hz.
        let q = value("let theta = 20 mV\nlet J = 0.1 mV\nlet tau_m = 20 ms\nlet nu = theta / (J * 1000 * tau_m)")
        XCTAssertEqual(q?.dimension, .frequency)
        XCTAssertEqual(q?.dimension, Dimension(time: -1))
        XCTAssertEqual(q?.value ?? 0, 10, accuracy: 1e-12)
    }

    func testRatesAreExactInHertz() {
        XCTAssertEqual(value("let r = 300 Hz")?.value, 300)
        XCTAssertEqual(value("let r = 20 kHz")?.value, 20_000)
        // 300 Hz over 50 ms is 15 expected spikes.
        let count = value("let n = 300 Hz * 50 ms")
        XCTAssertEqual(count?.dimension, .dimensionless)
        XCTAssertEqual(count?.value ?? 0, 15, accuracy: 1e-12)
        // The period of 10 Hz is 100 ms.
        XCTAssertEqual(value("let T = 1 / (10 Hz)")?.value ?? 0, 100, accuracy: 1e-12)
        XCTAssertEqual(value("let T = 1 / (10 Hz)")?.dimension, .time)
    }

    func testElectricalUnitsCombine() {
        // tau = R C: 100 MOhm * 250 pF = 1e8 Ohm * 2.5e-10 F = 0.025 s = 25 ms.
        let tau = value("let tau = 100 MOhm * 250 pF")
        XCTAssertEqual(tau?.dimension, .time)
        XCTAssertEqual(tau?.value ?? 0, 25, accuracy: 1e-12)
        // Ohm's law: 1 nA * 20 MOhm = 1e-9 A * 2e7 Ohm = 0.02 V = 20 mV.
        let v = value("let v = 1 nA * 20 MOhm")
        XCTAssertEqual(v?.dimension, .voltage)
        XCTAssertEqual(v?.value ?? 0, 20, accuracy: 1e-12)
        // A conductance times a voltage is a current: 10 nS * 5 mV = 5e-11 A = 50 pA.
        let i = value("let i = 10 nS * 5 mV")
        XCTAssertEqual(i?.dimension, .current)
        XCTAssertEqual(i?.value ?? 0, 50, accuracy: 1e-12)
        // C = tau / R: 10 ms / 40 MOhm = 0.01 s / 4e7 Ohm = 2.5e-10 F = 250 pF.
        XCTAssertEqual(value("let C = 10 ms / (40 MOhm)")?.value ?? 0, 250, accuracy: 1e-9)
        XCTAssertEqual(value("let t = 1.5 s + 2 ms - 500 us")?.value ?? 0, 1501.5, accuracy: 1e-12)
        XCTAssertEqual(value("let u = 1 V - 2 uV")?.value ?? 0, 999.998, accuracy: 1e-12)
    }

    func testFunctions() {
        XCTAssertEqual(value("let a = sqrt(4 mV * 9 mV)")?.value ?? 0, 6, accuracy: 1e-12)
        XCTAssertEqual(value("let a = sqrt(4 mV * 9 mV)")?.dimension, .voltage)
        // sqrt(100 Hz^2) = 10 Hz, though Hz^2 is stored in 1/ms^2.
        XCTAssertEqual(value("let a = sqrt(100 Hz * 1 Hz)")?.value ?? 0, 10, accuracy: 1e-12)
        XCTAssertEqual(value("let a = log(exp(2))")?.value ?? 0, 2, accuracy: 1e-15)
        XCTAssertEqual(value("let a = min(3 ms, 1 s, 2 ms)")?.value, 2)
        XCTAssertEqual(value("let a = max(-1, -2 * 3)")?.value, -1)
        XCTAssertEqual(value("let a = -(2 + 3) * 4 / 8")?.value, -2.5)
        XCTAssertEqual(value("let a = 2 - -3")?.value, 5)
        XCTAssertEqual(value("let a = 12_500 / 5")?.value, 2500)
    }

    func testSquareRootOfOddDimensionIsAMismatch() {
        XCTAssertEqual(singleError("let a = sqrt(4 mV)", .dimensionMismatch)?.message,
                       "the square root of a voltage (mV) has no dimension")
    }

    func testExpOfAQuantityIsAMismatch() {
        XCTAssertEqual(singleError("let a = exp(1 ms)", .dimensionMismatch)?.message,
                       "the argument of 'exp' must be a plain number, found a time (ms)")
    }

    func testDimensionFormula() {
        XCTAssertEqual(Dimension(time: -2, voltage: 1).formula, "mV/ms^2")
        XCTAssertEqual(Dimension.capacitance.formula, "ms pA/mV")
        XCTAssertEqual(Dimension.inverseVoltage.storageUnit, "1/mV")
    }

    func testEveryUnitScaleMatchesItsSIPrefix() {
        // Each unit's size in storage units, computed from SI: storage units are ms, mV, pA (and their
        // products), and Hz for rates.
        let si: [String: Double] = [
            "s": 1, "ms": 1e-3, "us": 1e-6, "V": 1, "mV": 1e-3, "uV": 1e-6, "mA": 1e-3, "uA": 1e-6, "nA": 1e-9,
            "pA": 1e-12, "fA": 1e-15, "uF": 1e-6, "nF": 1e-9, "pF": 1e-12, "fF": 1e-15, "Hz": 1, "kHz": 1e3,
            "Ohm": 1, "kOhm": 1e3, "MOhm": 1e6, "GOhm": 1e9, "mS": 1e-3, "uS": 1e-6, "nS": 1e-9,
            "pS": 1e-12, "nC": 1e-9, "pC": 1e-12, "fC": 1e-15,
        ]
        for unit in Unit.all {
            let d = unit.dimension
            // SI size of the storage unit of this dimension: ms^t mV^v pA^c, times 10^storageExponent.
            let storage = pow(1e-3, Double(d.time)) * pow(1e-3, Double(d.voltage)) * pow(1e-12, Double(d.current))
                * pow(10, Double(d.storageExponent))
            let expected = si[unit.symbol]! / storage
            XCTAssertEqual(unit.scale, expected, accuracy: expected * 1e-12, unit.symbol)
        }
        XCTAssertEqual(Set(si.keys), Set(Unit.all.map(\.symbol)))
    }
}
