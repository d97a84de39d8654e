import Foundation
import XCTest
@testable import VesicleEngine
import VesicleModel

/// The Gaussian noise current (`noise(mean, std, dt)`, NEST noise_generator) drawn during the run on
/// counter keys (Inputs/NoiseCurrents.swift; docs/DESIGN.md, Random keys): its values against
/// Philox4x32-10 and Box-Muller written out here, their distribution and independence, the membrane
/// they drive against its closed form, and that nothing is expanded at build time.
final class NoiseCurrentTests: XCTestCase {
    // MARK: Philox4x32-10 and Box-Muller, written out (Salmon et al., SC'11; Random123's philox.h).

    static func mulhilo(_ a: UInt32, _ b: UInt32) -> (hi: UInt32, lo: UInt32) {
        let p = UInt64(a) * UInt64(b)
        return (UInt32(p >> 32), UInt32(truncatingIfNeeded: p))
    }

    static func philox(_ counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)) -> [UInt32] {
        var c = [counter.0, counter.1, counter.2, counter.3]
        var k = [key.0, key.1]
        for round in 0..<10 {
            if round > 0 { k[0] &+= 0x9E37_79B9; k[1] &+= 0xBB67_AE85 }
            let (hi0, lo0) = mulhilo(0xD251_1F53, c[0])
            let (hi1, lo1) = mulhilo(0xCD9E_8D57, c[2])
            c = [hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0]
        }
        return c
    }

    /// xi of step `step` of target `target` of the input at network-file index `input`: the pair
    /// step >> 1 is the counter (pair >> 32, pair mod 2^32, target, 16 << 24 | input) under the seed;
    /// u1 = (top 53 bits of words 0-1 + 1) 2^-53, u2 = top 53 bits of words 2-3 times 2^-53; even steps
    /// take sqrt(-2 ln u1) cos(2 pi u2), odd ones the sine.
    static func expectedNormal(seed: UInt64, input: UInt32, target: UInt32, step: Int) -> Double {
        let pair = step >> 1
        let w = philox((UInt32(truncatingIfNeeded: pair >> 32), UInt32(truncatingIfNeeded: pair), target, 16 << 24 | input),
                       key: (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
        let u1 = Double(((UInt64(w[0]) << 32 | UInt64(w[1])) >> 11) + 1) * 0x1.0p-53
        let u2 = Double((UInt64(w[2]) << 32 | UInt64(w[3])) >> 11) * 0x1.0p-53
        let r = (-2 * log(u1)).squareRoot()
        return step & 1 == 0 ? r * cos(2 * .pi * u2) : r * sin(2 * .pi * u2)
    }

    /// `size` lif_delta neurons that never fire, with `inputs` onto them.
    func quietNetwork(size: Int, inputs: [InputSpec], duration: Double, seed: UInt64, tauM: Double = 10) -> NetworkSpec {
        var neuron = LIFParameters()
        neuron.restingPotential = 0
        neuron.resetPotential = 0
        neuron.threshold = 1e9
        neuron.tauM = tauM
        neuron.capacitance = 250
        return NetworkSpec(simulation: SimulationSpec(duration: duration, seed: seed),
                           populations: [PopulationSpec(name: "P", size: size, model: .lifDelta(neuron))], inputs: inputs)
    }

    func noise(_ name: String, mean: Double, std: Double, dt: Double, targets: [PopulationSlice],
               start: Double = 0, stop: Double = .infinity) -> InputSpec {
        InputSpec(name: name, kind: .noiseCurrent(mean: mean, std: std, dt: dt), targets: targets, weight: 0, delay: 0,
                  start: start, stop: stop)
    }

    /// The written-out Philox is Random123's (its kat_vectors "philox4x32 10" lines), and the values
    /// the engine draws equal the written-out Box-Muller of it bit for bit (==), for seed
    /// 0x1234_5678_9ABC_DEF0, two inputs (the second at network-file index 2), targets across two
    /// slices, even and odd steps, and a step beyond 2^33 (the pair's high word in the block word).
    func testValuesArePhiloxBoxMullerBitForBit() throws {
        XCTAssertEqual(Self.philox((0, 0, 0, 0), key: (0, 0)), [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        XCTAssertEqual(Self.philox((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), key: (0xa409_3822, 0x299f_31d0)),
                       [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
        let seed: UInt64 = 0x1234_5678_9ABC_DEF0
        var spec = quietNetwork(size: 40, inputs: [
            noise("a", mean: 10, std: 30, dt: 0.5, targets: [PopulationSlice(population: "P", range: 30..<40),
                                                              PopulationSlice(population: "P", range: 0..<5)]),
            InputSpec(name: "c", kind: .constantCurrent(amplitude: 1, start: 0, stop: .infinity),
                      targets: [PopulationSlice(population: "P")], weight: 0, delay: 0),
            noise("b", mean: -5, std: 7, dt: 0.25, targets: [PopulationSlice(population: "P")]),
        ], duration: 10, seed: seed)
        spec.simulation.seed = seed
        let network = try NetworkBuilder.build(spec)
        let noise = try XCTUnwrap(network.noiseCurrents)
        XCTAssertEqual(noise.inputs.map(\.entity), [0, 2])
        XCTAssertEqual(noise.inputs.map(\.targetCount), [15, 40])
        XCTAssertEqual(noise.inputs.map(\.stepCount), [20, 40])
        for (i, entity) in [(0, UInt32(0)), (1, UInt32(2))] {
            for o in [0, 1, 9, 10, 14] {
                for step in [0, 1, 2, 3, 17, (1 << 33) + 6, (1 << 33) + 7] {
                    let expected = Self.expectedNormal(seed: seed, input: entity, target: UInt32(o), step: step)
                    XCTAssertEqual(noise.normal(input: i, target: o, step: step).bitPattern, expected.bitPattern,
                                   "input \(i), target \(o), step \(step)")
                }
            }
        }
    }

    /// The run applies those values: a quiet lif_delta neuron's V at t equals the exact integral of the
    /// piecewise-constant current built here from the written-out normals (mean + std xi from start +
    /// k dt, 0 from stop), to 1e-9 mV, including a window start that is not a step time, for targets of
    /// both slices of an input (neuron 32 is target 2, neuron 3 target 13).
    func testRunAppliesTheValuesAtExactStepTimes() throws {
        let seed: UInt64 = 41
        let (mean, std, dt, start, stop) = (20.0, 150.0, 0.3, 1.1, 7.9)
        let spec = quietNetwork(size: 40, inputs: [
            noise("a", mean: mean, std: std, dt: dt, targets: [PopulationSlice(population: "P", range: 30..<40),
                                                                PopulationSlice(population: "P", range: 0..<5)],
                  start: start, stop: stop),
        ], duration: 12, seed: seed)
        let network = try NetworkBuilder.build(spec)
        XCTAssertTrue(network.biasChanges.isEmpty, "no current change is expanded at build time")
        let simulator = Simulator(network: network)
        let tau = 10.0, r = tau / 250
        func expected(_ t: Double, target o: UInt32) -> Double {
            var v = 0.0, last = 0.0, current = 0.0
            var k = 0
            while true {
                let s = start + Double(k) * dt
                let (time, next): (Double, Double)
                if s < stop { (time, next) = (s, mean + std * Self.expectedNormal(seed: seed, input: 0, target: o, step: k)) }
                else { (time, next) = (stop, 0) }
                guard time < t else { break }
                v = r * current + (v - r * current) * exp(-(time - last) / tau)
                last = time
                current = next
                if s >= stop { break }
                k += 1
            }
            return r * current + (v - r * current) * exp(-(t - last) / tau)
        }
        for t in [0.5, 1.1, 1.25, 3.0, 4.4, 7.9, 8.0, 11.5] {
            simulator.run(until: t)
            for (j, o) in [(32, UInt32(2)), (3, UInt32(13)), (39, UInt32(9))] {
                XCTAssertEqual(try XCTUnwrap(network.potential(population: 0, neuron: j, at: t)), expected(t, target: o),
                               accuracy: 1e-9, "neuron \(j) at t = \(t)")
            }
            XCTAssertEqual(try XCTUnwrap(network.potential(population: 0, neuron: 10, at: t)), 0, "not a target")
        }
    }

    /// Kolmogorov-Smirnov of the standardized values (xi = (I - mean) / std as the run draws them) of
    /// 50 targets x 2 000 steps (seed 5) against the standard normal: D below the alpha = 1e-3
    /// critical value sqrt(ln(2 / alpha) / 2) / sqrt(n).
    func testStandardizedValuesAreNormalByKolmogorovSmirnov() throws {
        let network = try NetworkBuilder.build(quietNetwork(size: 50, inputs: [
            noise("a", mean: 3, std: 40, dt: 0.5, targets: [PopulationSlice(population: "P")]),
        ], duration: 1000, seed: 5))
        let noise = try XCTUnwrap(network.noiseCurrents)
        var xs: [Double] = []
        for o in 0..<50 {
            for k in 0..<2000 { xs.append((noise.current(input: 0, target: o, change: k) - 3) / 40) }
        }
        xs.sort()
        let n = Double(xs.count)
        var d = 0.0
        for (i, x) in xs.enumerated() {
            let cdf = 0.5 * erfc(-x / 2.0.squareRoot())
            d = max(d, abs(cdf - Double(i) / n), abs(Double(i + 1) / n - cdf))
        }
        let critical = (log(2 / 1e-3) / 2).squareRoot() / n.squareRoot()
        XCTAssertLessThan(d, critical, "KS D = \(d), n = \(Int(n))")
        let mean = xs.reduce(0, +) / n, variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        XCTAssertEqual(mean, 0, accuracy: 4 / n.squareRoot())
        XCTAssertEqual(variance, 1, accuracy: 4 * (2 / n).squareRoot())
    }

    /// Neighbouring keys are independent: the correlation of xi between neighbouring targets
    /// (o, o + 1), between two inputs on the same target, and between consecutive steps (the cosine
    /// and sine of one block, and across blocks), each over 100 000 pairs (seed 8), within 4 / sqrt(n)
    /// (4 s.d. under independence).
    func testNeighbouringTargetsInputsAndStepsAreUncorrelated() throws {
        let network = try NetworkBuilder.build(quietNetwork(size: 101, inputs: [
            noise("a", mean: 0, std: 1, dt: 1, targets: [PopulationSlice(population: "P")]),
            noise("b", mean: 0, std: 1, dt: 1, targets: [PopulationSlice(population: "P")]),
        ], duration: 2000, seed: 8))
        let noise = try XCTUnwrap(network.noiseCurrents)
        func correlation(_ pairs: [(Double, Double)]) -> Double {
            let n = Double(pairs.count)
            let ma = pairs.reduce(0) { $0 + $1.0 } / n, mb = pairs.reduce(0) { $0 + $1.1 } / n
            var sab = 0.0, saa = 0.0, sbb = 0.0
            for (a, b) in pairs { sab += (a - ma) * (b - mb); saa += (a - ma) * (a - ma); sbb += (b - mb) * (b - mb) }
            return sab / (saa * sbb).squareRoot()
        }
        var targets: [(Double, Double)] = [], inputs: [(Double, Double)] = []
        var inPair: [(Double, Double)] = [], acrossPairs: [(Double, Double)] = []
        for o in 0..<100 {
            for k in 0..<1000 {
                let x = noise.normal(input: 0, target: o, step: k)
                targets.append((x, noise.normal(input: 0, target: o + 1, step: k)))
                inputs.append((x, noise.normal(input: 1, target: o, step: k)))
            }
            for k in stride(from: 0, to: 2000, by: 2) {
                inPair.append((noise.normal(input: 0, target: o, step: k), noise.normal(input: 0, target: o, step: k + 1)))
                acrossPairs.append((noise.normal(input: 0, target: o, step: k + 1), noise.normal(input: 0, target: o, step: k + 2)))
            }
        }
        for (name, pairs) in [("targets", targets), ("inputs", inputs), ("cosine-sine", inPair), ("across blocks", acrossPairs)] {
            XCTAssertLessThan(abs(correlation(pairs)), 4 / Double(pairs.count).squareRoot(), name)
        }
    }

    /// The membrane of a lif_delta neuron under the noise (NEST's noise_generator documentation: the
    /// current is piecewise constant, so V is a filtered AR(1) process). With a = e^(-dt/tau_m),
    /// R = tau_m / C, V_{k+1} = a V_k + (1 - a) R I_k gives at the steps the stationary variance
    /// s0 = R^2 std^2 (1 - a) / (1 + a); a time phi into a step, with b = e^(-phi/tau_m),
    /// Var V = b^2 s0 + (1 - b)^2 R^2 std^2, and the mean is R mean throughout. dt = 5 ms against
    /// tau_m = 10 ms makes the two phases (0 and dt/2) differ by 19%. 300 neurons (seed 7) sampled at
    /// 18 times 50 ms apart per phase: each variance within 8% (4 s.d. of an estimate from 5 400
    /// near-independent samples, sqrt(2/n) = 1.9%), the mean within 4 s.d.
    func testMembraneVarianceMatchesTheFilteredPiecewiseConstantProcess() throws {
        let mean = 20.0, std = 100.0, dt = 5.0, tau = 10.0, c = 250.0
        let network = try NetworkBuilder.build(quietNetwork(size: 300, inputs: [
            noise("a", mean: mean, std: std, dt: dt, targets: [PopulationSlice(population: "P")]),
        ], duration: 1000, seed: 7, tauM: tau))
        let simulator = Simulator(network: network)
        let r = tau / c, a = exp(-dt / tau)
        let s0 = r * r * std * std * (1 - a) / (1 + a)
        var samples: [Double: [Double]] = [0: [], dt / 2: []]
        for k in 0..<18 {
            for phase in [0, dt / 2] {
                let t = 100 + 50 * Double(k) + phase
                simulator.run(until: t)
                for j in 0..<300 { samples[phase]!.append(try XCTUnwrap(network.potential(population: 0, neuron: j, at: t))) }
            }
        }
        for (phase, values) in samples {
            let b = exp(-phase / tau)
            let variance = b * b * s0 + (1 - b) * (1 - b) * r * r * std * std
            let n = Double(values.count)
            let m = values.reduce(0, +) / n
            let v = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
            XCTAssertEqual(v / variance, 1, accuracy: 4 * (2 / n).squareRoot(), "phase \(phase) ms: variance \(v) against \(variance)")
            XCTAssertEqual(m, r * mean, accuracy: 4 * (variance / n).squareRoot(), "phase \(phase) ms")
        }
    }

    /// 1 000 neurons, dt = 0.01 ms for 1 s: 1e8 changes, which the build-time expansion refused
    /// (at most 5e7). Now the build expands nothing (no bias change, 16 bytes per target) and the
    /// run draws them: the first 2 ms (200 steps each) run, and a neuron's V there is the exact
    /// integral of the written-out values (1e-9 mV).
    func testHundredMillionChangesRunWithoutBuildTimeExpansion() throws {
        let seed: UInt64 = 12
        let (mean, std, dt) = (0.0, 80.0, 0.01)
        let network = try NetworkBuilder.build(quietNetwork(size: 1000, inputs: [
            noise("fine", mean: mean, std: std, dt: dt, targets: [PopulationSlice(population: "P")]),
        ], duration: 1000, seed: seed))
        let noise = try XCTUnwrap(network.noiseCurrents)
        XCTAssertTrue(network.biasChanges.isEmpty)
        XCTAssertEqual(noise.inputs[0].changeCount * noise.inputs[0].targetCount, 100_000_000)
        let simulator = Simulator(network: network)
        simulator.run(until: 2)
        XCTAssertEqual(noise.position, [200])
        let tau = 10.0, r = tau / 250
        var v = 0.0
        for k in 0..<200 {
            let current = mean + std * Self.expectedNormal(seed: seed, input: 0, target: 777, step: k)
            v = r * current + (v - r * current) * exp(-dt / tau)
        }
        XCTAssertEqual(try XCTUnwrap(network.potential(population: 0, neuron: 777, at: 2)), v, accuracy: 1e-9)
    }

    /// The partition-free state: a run on 3 partitions stopped at the window boundary 37 ms (windows of 1 ms: no projection), checkpointed, and restored
    /// into a fresh build on 2 partitions gives the neurons' potentials of one uninterrupted run on one
    /// partition at 80 ms, bit for bit (==); the noise section holds only each input's next change.
    func testCheckpointHoldsTheStepIndexOnly() throws {
        let spec = quietNetwork(size: 30, inputs: [
            noise("a", mean: 5, std: 60, dt: 0.7, targets: [PopulationSlice(population: "P", range: 3..<30)], start: 2, stop: 60),
            noise("b", mean: 0, std: 20, dt: 0.25, targets: [PopulationSlice(population: "P", range: 0..<10)]),
        ], duration: 80, seed: 3)
        let whole = Simulator(network: try NetworkBuilder.build(spec))
        whole.run()
        let first = Simulator(network: try NetworkBuilder.build(spec), threads: 3)
        first.run(until: 37)
        var encoder = CheckpointEncoder()
        try first.encodeCheckpoint(into: &encoder)
        let resumed = Simulator(network: try NetworkBuilder.build(spec), threads: 2)
        var decoder = CheckpointDecoder(bytes: encoder.bytes)
        try resumed.restoreCheckpoint(from: &decoder)
        XCTAssertEqual(resumed.network.noiseCurrents?.position, first.network.noiseCurrents?.position)
        resumed.run()
        for j in 0..<30 {
            XCTAssertEqual(try XCTUnwrap(resumed.network.potential(population: 0, neuron: j, at: 80)).bitPattern,
                           try XCTUnwrap(whole.network.potential(population: 0, neuron: j, at: 80)).bitPattern, "neuron \(j)")
        }
    }
}
