import Foundation
import XCTest
import VesicleEngine
import VesicleModel

/// One presynaptic spike source onto one lif_delta neuron through an STDP synapse; the neuron is
/// made to spike at given times by a second source whose 1 V kicks cross any threshold. Its threshold
/// is 70 mV above rest, so the plastic PSPs never make it spike.
struct STDPPairingNetwork {
    /// Where the kicks make the postsynaptic neuron spike: (t - 1) + 1 ms, as the engine computes it.
    static func postTimes(_ requested: [Double]) -> [Double] { requested.map { ($0 - 1.0) + 1.0 } }

    static func spec(pre: [Double], post: [Double], rule: STDPSynapseSpec, weight: Double, delay: Double,
                     duration: Double) -> NetworkSpec {
        var spec = NetworkSpec(simulation: SimulationSpec(duration: duration, seed: 1))
        var neuron = LIFParameters()
        neuron.threshold = 0
        neuron.refractoryPeriod = 1
        spec.populations = [PopulationSpec(name: "pre", size: 1, model: .spikeSource(times: [pre])),
                            PopulationSpec(name: "kick", size: 1, model: .spikeSource(times: [post.map { $0 - 1.0 }])),
                            PopulationSpec(name: "post", size: 1, model: .lifDelta(neuron))]
        spec.synapseTypes = [.staticSynapse, SynapseTypeSpec(name: "plastic", kind: .stdp(rule))]
        spec.projections = [
            ProjectionSpec(name: "pre->post", source: .init(population: "pre"), target: .init(population: "post"),
                           rule: .allToAll, synapseType: "plastic", weight: .constant(weight), delay: .constant(delay)),
            ProjectionSpec(name: "kick->post", source: .init(population: "kick"), target: .init(population: "post"),
                           rule: .allToAll, weight: .constant(1000), delay: .constant(1.0)),
        ]
        return spec
    }

    /// The weight each presynaptic spike transmits (read just after its delivery), and the final weight.
    static func run(pre: [Double], post: [Double], rule: STDPSynapseSpec, weight: Double, delay: Double,
                    end: Double) throws -> (transmitted: [Double], final: Double, postSpikes: [Double]) {
        let network = try NetworkBuilder.build(spec(pre: pre, post: post, rule: rule, weight: weight, delay: delay, duration: end))
        let simulator = Simulator(network: network)
        let collector = SpikeCollector(populationSizes: network.populationSizes)
        simulator.recordAllSpikes()
        var transmitted: [Double] = []
        for t in pre {
            simulator.run(until: t + delay + 0.01, observer: collector)
            transmitted.append(try XCTUnwrap(simulator.stdpWeight(projection: 0, synapse: 0)))
        }
        simulator.run(until: end, observer: collector)
        return (transmitted, try XCTUnwrap(simulator.stdpWeight(projection: 0, synapse: 0)), collector.times[2][0])
    }
}

/// STDP (`STDPSynapseSpec`, NEST's stdp_synapse) against closed forms written here. Timing is NEST's:
/// the whole delay d is dendritic, so a pair's offset is t_post + d - t_pre.
final class STDPTests: XCTestCase {
    func rule(lambda: Double = 0.05, alpha: Double = 1.2, mu: Double = 1, wMax: Double = 10, tauPlus: Double = 16.8,
              tauMinus: Double = 33.7, pairing: STDPSynapseSpec.Pairing = .allToAll) -> STDPSynapseSpec {
        var r = STDPSynapseSpec()
        r.lambda = lambda
        r.alpha = alpha
        r.muPlus = mu
        r.muMinus = mu
        r.wMax = wMax
        r.tauPlus = tauPlus
        r.tauMinus = tauMinus
        r.pairing = pairing
        return r
    }

    /// One pre then one post spike at offsets down to 0.013 ms (sub-millisecond and not on any grid):
    /// the facilitation w + lambda Wmax (1 - w/Wmax)^mu e^(-offset/tau_plus), read when it is applied,
    /// at the next presynaptic spike 400 ms later (whose depression e^(-(400 - offset)/tau_minus) is
    /// included too). Tolerance 1e-12 mV.
    func testSinglePairingsFacilitateByTheClosedFormAtExactOffsets() throws {
        let delay = 1.5, w0 = 4.0, wMax = 10.0
        for mu in [0.0, 1.0] {
            let r = rule(mu: mu)
            for offset in [0.013, 0.37, 0.999, 2.5, 7.25, 31.4] {
                let tPre = 20.0
                // t_post + d - t_pre = offset.
                let post = STDPPairingNetwork.postTimes([tPre + offset - delay])
                let realOffset = post[0] + delay - tPre
                let result = try STDPPairingNetwork.run(pre: [tPre, tPre + 400], post: post, rule: r, weight: w0,
                                                        delay: delay, end: tPre + 420)
                XCTAssertEqual(result.postSpikes, post)
                var v = w0 / wMax
                v = min(1, v + r.lambda * pow(1 - v, mu) * exp(-realOffset / r.tauPlus))
                let kMinus = exp(-(tPre + 400 - (post[0] + delay)) / r.tauMinus)
                v = max(0, v - r.alpha * r.lambda * pow(v, mu) * kMinus)
                XCTAssertEqual(result.transmitted[0], w0, accuracy: 1e-12, "mu \(mu) offset \(offset): nothing before the first pre spike")
                XCTAssertEqual(result.transmitted[1], v * wMax, accuracy: 1e-12, "mu \(mu) offset \(offset)")
            }
        }
    }

    /// One post then one pre spike (offset < 0): the presynaptic spike depresses by
    /// alpha lambda Wmax (w/Wmax)^mu e^(offset/tau_minus) and transmits the depressed weight at once.
    func testSinglePairingsDepressByTheClosedFormAtExactOffsets() throws {
        let delay = 0.8, w0 = 6.0, wMax = 10.0
        for mu in [0.0, 1.0] {
            let r = rule(mu: mu)
            for offset in [-0.021, -0.4, -3.3, -12.0, -55.5] {
                let post = STDPPairingNetwork.postTimes([30.0])
                let tPre = post[0] + delay - offset
                let realOffset = post[0] + delay - tPre
                let result = try STDPPairingNetwork.run(pre: [tPre], post: post, rule: r, weight: w0, delay: delay,
                                                        end: tPre + 10)
                let v = w0 / wMax
                let expected = max(0, v - r.alpha * r.lambda * pow(v, mu) * exp(realOffset / r.tauMinus)) * wMax
                XCTAssertEqual(result.transmitted[0], expected, accuracy: 1e-12, "mu \(mu) offset \(offset)")
                XCTAssertEqual(result.final, expected, accuracy: 1e-12)
            }
        }
    }

    /// The rule applied event by event in synapse time, written out here: every traces summed
    /// directly over the earlier spikes (no scaled clock, no lazy evaluation); post events before
    /// pre events at equal times. Returns the weight each presynaptic spike transmits.
    static func reference(pre: [Double], postAtSynapse s: [Double], rule r: STDPSynapseSpec, weight w0: Double) -> [Double] {
        var w = w0
        var transmitted: [Double] = []
        let events = (pre.map { ($0, 1) } + s.map { ($0, 0) }).sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        func trace(_ times: [Double], before t: Double, tau: Double) -> Double {
            let earlier = times.filter { $0 < t }
            if r.pairing == .nearest { return earlier.last.map { exp(-(t - $0) / tau) } ?? 0 }
            return earlier.reduce(0) { $0 + exp(-(t - $1) / tau) }
        }
        for (t, kind) in events {
            let v = w / r.wMax
            if kind == 0 {
                let next = v + r.lambda * pow(1 - v, r.muPlus) * trace(pre, before: t, tau: r.tauPlus)
                w = min(1, next) * r.wMax
            } else {
                let next = v - r.alpha * r.lambda * pow(v, r.muMinus) * trace(s, before: t, tau: r.tauMinus)
                w = max(0, next) * r.wMax
                transmitted.append(w)
            }
        }
        return transmitted
    }

    /// Additive updates with a large lambda hit the bounds: facilitation stops at Wmax, depression at
    /// 0, exactly (NEST's clipping of w/Wmax to [0, 1]); every transmitted weight as the reference's.
    func testWeightsStayWithinTheirBounds() throws {
        let r = rule(lambda: 0.6, alpha: 1, mu: 0)
        let delay = 1.0
        // Causal pairings at 1 ms: each adds 0.6 * 10 * e^(-1/16.8) = 5.65 mV, past Wmax from 5 mV.
        let pre = [10.0, 30.0, 50.0, 70.0]
        let post = STDPPairingNetwork.postTimes([10.0, 30.0, 50.0])
        let up = try STDPPairingNetwork.run(pre: pre, post: post, rule: r, weight: 5, delay: delay, end: 80)
        let expectedUp = Self.reference(pre: pre, postAtSynapse: post.map { $0 + delay }, rule: r, weight: 5)
        for (a, b) in zip(up.transmitted, expectedUp) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        // At 30 ms: clipped at Wmax by the pairing at 11 ms, then depressed by the post spike 19 ms earlier.
        XCTAssertEqual(up.transmitted[1], (1 - r.lambda * exp(-19 / r.tauMinus)) * 10, accuracy: 1e-12)
        // Anti-causal: post 0.5 ms before the pre at the synapse, 0.6 e^(-0.5/33.7) > 0.5 of Wmax.
        let pre2 = [20.0, 40.0]
        let post2 = STDPPairingNetwork.postTimes([18.5, 38.5])
        let down = try STDPPairingNetwork.run(pre: pre2, post: post2, rule: r, weight: 5, delay: delay, end: 50)
        XCTAssertEqual(down.transmitted[0], 0, "depression stops at 0")
        let expectedDown = Self.reference(pre: pre2, postAtSynapse: post2.map { $0 + delay }, rule: r, weight: 5)
        for (a, b) in zip(down.transmitted, expectedDown) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        XCTAssertGreaterThan(up.final, 0)
        XCTAssertLessThanOrEqual(up.transmitted.max() ?? 0, 10)
    }

    /// Two pre spikes then a post spike, then two post spikes then a pre spike: all-to-all pairs the
    /// post spike with both pre spikes and the last pre with both post spikes; nearest only with the
    /// nearest earlier one (stdp_nn_symm_synapse).
    func testAllToAllSumsEveryPairAndNearestOnlyTheNearest() throws {
        let delay = 1.0
        let pre = [10.0, 15.0, 60.0]
        let post = STDPPairingNetwork.postTimes([19.0, 40.0, 50.0])
        let s = post.map { $0 + delay }
        for pairing in STDPSynapseSpec.Pairing.allCases {
            let r = rule(lambda: 0.05, alpha: 1.2, mu: 1, pairing: pairing)
            let result = try STDPPairingNetwork.run(pre: pre, post: post, rule: r, weight: 5, delay: delay, end: 70)
            let expected = Self.reference(pre: pre, postAtSynapse: s, rule: r, weight: 5)
            for (a, b) in zip(result.transmitted, expected) { XCTAssertEqual(a, b, accuracy: 1e-12, "\(pairing)") }
            // The last pre spike, written out: three facilitations with K+ over the earlier pre spikes, then
            // the depression with K- over both post spikes (all-to-all) or the last one (nearest).
            var v = 0.5
            for synapseTime in s {
                let earlier = pre.filter { $0 < synapseTime }
                let k = pairing == .nearest ? exp(-(synapseTime - earlier.last!) / r.tauPlus)
                                            : earlier.reduce(0) { $0 + exp(-(synapseTime - $1) / r.tauPlus) }
                v = min(1, v + r.lambda * (1 - v) * k)
            }
            let k = pairing == .nearest ? exp(-(60 - s[2]) / r.tauMinus) : s.reduce(0) { $0 + exp(-(60 - $1) / r.tauMinus) }
            v = max(0, v - r.alpha * r.lambda * v * k)
            XCTAssertEqual(result.transmitted[2], v * 10, accuracy: 1e-12, "\(pairing)")
        }
        let all = try STDPPairingNetwork.run(pre: pre, post: post, rule: rule(), weight: 5, delay: delay, end: 70)
        let nearest = try STDPPairingNetwork.run(pre: pre, post: post, rule: rule(pairing: .nearest), weight: 5,
                                                 delay: delay, end: 70)
        XCTAssertNotEqual(all.transmitted[2], nearest.transmitted[2], accuracy: 1e-3, "the two pairings differ here")
    }

    /// More post spikes onto one neuron than its history ring holds (64) between two spikes of a
    /// presynaptic neuron: the ring is swept, and the weight equals the closed form of applying every
    /// facilitation in order.
    func testALongSilenceOfThePresynapticNeuronIsExact() throws {
        let delay = 1.0
        let r = rule(lambda: 0.002, mu: 1)
        let pre = [5.0, 500.0]
        let requested = (0..<150).map { 10.0 + 3.0 * Double($0) }
        let post = STDPPairingNetwork.postTimes(requested)
        let result = try STDPPairingNetwork.run(pre: pre, post: post, rule: r, weight: 5, delay: delay, end: 510)
        XCTAssertEqual(result.postSpikes, post)
        var v = 0.5
        for t in post { v = min(1, v + r.lambda * (1 - v) * exp(-(t + delay - 5) / r.tauPlus)) }
        let kMinus = post.reduce(0) { $0 + exp(-(500 - ($1 + delay)) / r.tauMinus) }
        v = max(0, v - r.alpha * r.lambda * v * kMinus)
        XCTAssertEqual(result.transmitted[1], v * 10, accuracy: 1e-12)
    }

    /// Facilitation is read at the synapse time S = t_post + d: with a long delay the same spikes pair
    /// at a different offset, t_post + d - t_pre.
    func testTheDelayIsDendritic() throws {
        let r = rule(lambda: 0.05, mu: 0)
        let post = STDPPairingNetwork.postTimes([12.0])
        for delay in [0.5, 4.0] {
            let result = try STDPPairingNetwork.run(pre: [10.0, 300.0], post: post, rule: r, weight: 5, delay: delay, end: 310)
            let offset = post[0] + delay - 10
            let expected = 5 + r.lambda * 10 * exp(-offset / r.tauPlus) - r.alpha * r.lambda * 10 * exp(-(300 - post[0] - delay) / r.tauMinus)
            XCTAssertEqual(result.transmitted[1], expected, accuracy: 1e-12, "delay \(delay)")
        }
    }

    /// A weight outside [0, Wmax] is refused when the network is built.
    func testAWeightOutsideTheBoundsIsRefused() {
        let spec = STDPPairingNetwork.spec(pre: [1], post: [], rule: rule(wMax: 10), weight: 12, delay: 1, duration: 10)
        XCTAssertThrowsError(try NetworkBuilder.build(spec)) { error in
            XCTAssertTrue("\(error)".contains("outside [0, Wmax]"), "\(error)")
        }
    }
}

/// `record weights`: the simulator samples the first `limit` synapses at exact multiples of the
/// interval, each value the weight with every plasticity event up to the sample applied.
final class STDPWeightRecordingTests: XCTestCase {
    final class Weights: SimulationObserver {
        var samples: [(synapse: Int, time: Double, weight: Double)] = []
        func spike(population: Int, neuron: Int, time: Double) {}
        func weight(projection: Int, synapse: Int, time: Double, weight: Double) { samples.append((synapse, time, weight)) }
    }

    func testWeightsAreSampledAtEveryMultipleOfTheInterval() throws {
        var r = STDPSynapseSpec()
        r.lambda = 0.05
        r.muPlus = 0
        r.muMinus = 0
        r.wMax = 10
        let pre = [10.0, 300.0]
        let post = STDPPairingNetwork.postTimes([12.0])
        var spec = STDPPairingNetwork.spec(pre: pre, post: post, rule: r, weight: 5, delay: 1, duration: 400)
        spec.recordings = [RecordingSpec(kind: .weights(projection: "pre->post", interval: 0.25, limit: 5))]
        let network = try NetworkBuilder.build(spec)
        let simulator = Simulator(network: network)
        let observer = Weights()
        simulator.run(observer: observer)
        // One synapse (limit 5 caps at the projection's 1), samples at k * 0.25 ms for k = 0 ... 1599.
        XCTAssertEqual(observer.samples.count, 1600)
        XCTAssertEqual(observer.samples.map(\.synapse), Array(repeating: 0, count: 1600))
        for (k, s) in observer.samples.enumerated() { XCTAssertEqual(s.time, Double(k) * 0.25, "sample \(k)") }
        // Facilitation acts at the synapse at 13 ms and is applied from queue time 14 ms on.
        let facilitated = 5 + r.lambda * 10 * exp(-(post[0] + 1 - 10) / r.tauPlus)
        for s in observer.samples {
            if s.time < 14 { XCTAssertEqual(s.weight, 5, accuracy: 1e-12, "t = \(s.time)") }
            else if s.time < 301 { XCTAssertEqual(s.weight, facilitated, accuracy: 1e-12, "t = \(s.time)") }
        }
        let depressed = facilitated - r.lambda * 10 * exp(-(300 - post[0] - 1) / r.tauMinus)
        XCTAssertEqual(observer.samples.last!.weight, depressed, accuracy: 1e-12)
    }
}
