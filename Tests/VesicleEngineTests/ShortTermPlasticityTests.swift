import Foundation
import XCTest
import VesicleEngine
import VesicleModel

/// Tsodyks-Markram short-term plasticity (`TsodyksSynapseSpec`, NEST's tsodyks2_synapse) against the
/// recursion written here, read from the membrane of the target.
final class ShortTermPlasticityTests: XCTestCase {
    /// A spike source with `train` onto one lif_delta neuron (E_L -70 mV, tau_m 10 ms, threshold 0 mV,
    /// out of reach) through a tsodyks synapse of static weight `weight`.
    static func spec(train: [Double], model: TsodyksSynapseSpec, weight: Double, delay: Double, size: Int = 1) -> NetworkSpec {
        var spec = NetworkSpec(simulation: SimulationSpec(duration: (train.last ?? 0) + 10, seed: 1))
        var neuron = LIFParameters()
        neuron.threshold = 0
        spec.populations = [PopulationSpec(name: "pre", size: 1, model: .spikeSource(times: [train])),
                            PopulationSpec(name: "post", size: size, model: .lifDelta(neuron))]
        spec.synapseTypes = [.staticSynapse, SynapseTypeSpec(name: "tm", kind: .tsodyks(model))]
        spec.projections = [ProjectionSpec(name: "pre->post", source: .init(population: "pre"), target: .init(population: "post"),
                                           rule: .allToAll, synapseType: "tm", weight: .constant(weight), delay: .constant(delay))]
        return spec
    }

    /// The recursion of Fuhrmann et al. (2002) / Maass and Markram (2002), as tsodyks2_synapse runs it:
    /// spike n transmits w u_n x_n; then x <- 1 + (x - u x - 1) e^(-h/tau_rec), u <- U + u (1 - U) e^(-h/tau_fac).
    static func recursion(_ train: [Double], _ m: TsodyksSynapseSpec, weight: Double) -> [Double] {
        var u = m.u ?? m.U, x = m.x
        var amplitudes: [Double] = []
        for (n, t) in train.enumerated() {
            if n > 0 {
                let h = t - train[n - 1]
                x = 1 + (x - u * x - 1) * exp(-h / m.tauRec)
                u = m.tauFac == 0 ? m.U : m.U + u * (1 - m.U) * exp(-h / m.tauFac)
            }
            amplitudes.append(weight * u * x)
        }
        return amplitudes
    }

    /// An irregular train (intervals from 0.37 ms to 700 ms), depressing and facilitating settings:
    /// the potential just after each arrival equals the sum of the recursion's amplitudes, each decayed
    /// exactly, on every one of three targets; tolerance 1e-12 mV.
    func testATrainFollowsTheRecursion() throws {
        let train = [2.0, 2.37, 9.1, 9.6, 30.25, 31.0, 95.5, 96.1, 96.8, 800.0, 801.3]
        var depressing = TsodyksSynapseSpec()
        depressing.U = 0.6
        depressing.tauRec = 400
        var facilitating = TsodyksSynapseSpec()
        facilitating.U = 0.1
        facilitating.u = 0.05
        facilitating.x = 0.9
        facilitating.tauRec = 80
        facilitating.tauFac = 600
        let delay = 0.7
        for model in [depressing, facilitating] {
            let amplitudes = Self.recursion(train, model, weight: 3)
            let network = try NetworkBuilder.build(Self.spec(train: train, model: model, weight: 3, delay: delay, size: 3))
            let simulator = Simulator(network: network)
            for (n, t) in train.enumerated() {
                let probe = t + delay + 0.005
                simulator.run(until: probe)
                var expected = -70.0
                for m in 0...n { expected += amplitudes[m] * exp(-(probe - (train[m] + delay)) / 10) }
                for j in 0..<3 {
                    let v = try XCTUnwrap(network.potential(population: 1, neuron: j, at: probe))
                    XCTAssertEqual(v, expected, accuracy: 1e-12, "spike \(n), target \(j), U \(model.U)")
                }
            }
            // Depression shows: the second of two close spikes is weaker; facilitation: it is stronger.
            if model.tauFac == 0 { XCTAssertLessThan(amplitudes[1], amplitudes[0]) } else { XCTAssertGreaterThan(amplitudes[1], amplitudes[0]) }
        }
    }

    /// Per-synapse weights are each scaled by the row's u x.
    func testPerSynapseWeightsAreScaledAlike() throws {
        var spec = Self.spec(train: [1, 3], model: TsodyksSynapseSpec(), weight: 1, delay: 1, size: 4)
        spec.projections[0].weight = .uniform(low: 0.5, high: 2)
        let network = try NetworkBuilder.build(spec)
        let simulator = Simulator(network: network)
        simulator.run(until: 4.01)
        let amplitudes = Self.recursion([1, 3], TsodyksSynapseSpec(), weight: 1)
        let table = network.projections[0].synapses
        for k in 0..<table.synapseCount {
            let j = Int(table.targets[k])
            let w = table.weight(at: k)
            let expected = -70 + w * (amplitudes[0] * exp(-(4.01 - 2) / 10) + amplitudes[1] * exp(-(4.01 - 4) / 10))
            XCTAssertEqual(try XCTUnwrap(network.potential(population: 1, neuron: j, at: 4.01)), expected, accuracy: 1e-12)
        }
    }

    /// Random delays are refused: the state is kept per presynaptic neuron in spike order.
    func testRandomDelaysAreRefused() {
        var spec = Self.spec(train: [1], model: TsodyksSynapseSpec(), weight: 1, delay: 1, size: 4)
        spec.projections[0].delay = .uniform(low: 0.5, high: 2)
        XCTAssertThrowsError(try NetworkBuilder.build(spec)) { XCTAssertTrue("\($0)".contains("one delay"), "\($0)") }
    }
}
