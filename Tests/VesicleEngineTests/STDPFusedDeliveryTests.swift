import Foundation
import XCTest
@testable import VesicleEngine
import VesicleModel

/// The fused STDP delivery (`LIFDeltaPopulation.deliverOnClock(stdp:)`: each synapse's update and its
/// PSP in one pass over the row) against the rule applied event by event, written out here with its
/// traces summed directly over the earlier spikes (no scaled clock, no lazy facilitation, no fused loop).
///
/// Spike sources (seeded train) onto lif_delta neurons whose Poisson drive is on the population's
/// clock (which is what selects the fused loop, asserted), all to all through STDP synapses: the
/// post spikes are those the run produced, and every synapse's final weight must be the reference's
/// for its pre and post trains. Tolerance 1e-12 Wmax per weight; seed of the pre trains 0x5EED.
final class STDPFusedDeliveryTests: XCTestCase {
    static let delay = 1.5

    /// Exponential inter-spike intervals of mean 1000 / rate ms from a SplitMix64 stream.
    static func train(rate: Double, until end: Double, state: inout UInt64) -> [Double] {
        var times: [Double] = []
        var t = 0.0
        while true {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let u = (Double(z >> 11) + 0.5) / Double(1 << 53)
            t += -log(u) * 1000 / rate
            guard t < end else { return times }
            times.append(t)
        }
    }

    /// The final weight of one synapse: pre events at t_pre, post events at S = t_post + d, those
    /// applied by `end` (pre: t_pre + d < end; post: S + d <= end), in synapse-time order, post first
    /// at equal times.
    static func reference(pre: [Double], post: [Double], rule r: STDPSynapseSpec, weight w0: Double, end: Double) -> Double {
        let s = post.map { $0 + delay }.filter { $0 + delay <= end }
        let p = pre.filter { $0 + delay < end }
        func trace(_ times: [Double], before t: Double, tau: Double) -> Double {
            let earlier = times.filter { $0 < t }
            if r.pairing == .nearest { return earlier.last.map { exp(-(t - $0) / tau) } ?? 0 }
            return earlier.reduce(0) { $0 + exp(-(t - $1) / tau) }
        }
        var w = w0
        let events = (p.map { ($0, 1) } + s.map { ($0, 0) }).sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        for (t, kind) in events {
            let v = w / r.wMax
            if kind == 0 {
                w = min(1, v + r.lambda * pow(1 - v, r.muPlus) * trace(p, before: t, tau: r.tauPlus)) * r.wMax
            } else {
                w = max(0, v - r.alpha * r.lambda * pow(v, r.muMinus) * trace(s, before: t, tau: r.tauMinus)) * r.wMax
            }
        }
        return w
    }

    func check(mu: Double, lambda: Double, pairing: STDPSynapseSpec.Pairing) throws {
        let end = 1000.0, preCount = 10, postCount = 6, w0 = 1.0
        var rule = STDPSynapseSpec()
        rule.lambda = lambda
        rule.alpha = 1.1
        rule.muPlus = mu
        rule.muMinus = mu
        rule.wMax = 3
        rule.pairing = pairing
        var state: UInt64 = 0x5EED
        // Source 0 fires twice, far apart: more post spikes between than a history ring holds (sweeps).
        let trains = [[20.0, 980.0]] + (1..<preCount).map { _ in Self.train(rate: 25, until: end, state: &state) }
        var lif = LIFParameters()
        lif.tauM = 20
        lif.restingPotential = 0
        lif.threshold = 20
        lif.resetPotential = 10
        lif.refractoryPeriod = 2
        var spec = NetworkSpec(simulation: SimulationSpec(duration: end, seed: 7))
        spec.populations = [PopulationSpec(name: "pre", size: preCount, model: .spikeSource(times: trains)),
                            PopulationSpec(name: "post", size: postCount, model: .lifDelta(lif))]
        spec.inputs = [InputSpec(name: "ext", kind: .poisson(rate: 20_000), targets: [PopulationSlice(population: "post")],
                                 weight: 0.1, delay: Self.delay)]
        spec.synapseTypes = [.staticSynapse, SynapseTypeSpec(name: "plastic", kind: .stdp(rule))]
        spec.projections = [ProjectionSpec(name: "pre->post", source: .init(population: "pre"),
                                           target: .init(population: "post"), rule: .allToAll, synapseType: "plastic",
                                           weight: .constant(w0), delay: .constant(Self.delay))]
        let network = try NetworkBuilder.build(spec)
        let fused = try XCTUnwrap(network.dynamics[1].neurons as? LIFDeltaPopulation).fusedDrive
        XCTAssertTrue(fused, "the drive is on the clock, so deliveries take the fused loop")
        let simulator = Simulator(network: network)
        let collector = SpikeCollector(populationSizes: network.populationSizes)
        simulator.recordAllSpikes()
        simulator.run(until: end, observer: collector)
        let post = collector.times[1]
        let between = post.map { $0.filter { $0 > 20 && $0 + 2 * Self.delay < 980 }.count }
        XCTAssertGreaterThan(between.min() ?? 0, STDPProjection.capacity, "more post spikes between source 0's two than a ring holds")
        // Every way the loop takes a synapse's pending post events must occur: none, one or two
        // (kept by a choice without a branch), three or four (the target's recent entries) and more
        // (its history ring). Counted here from the trains: the post events a delivery at
        // T = t_pre + d takes are those applied after the row's previous delivery and by T (queue
        // time t_post + 2d, post events first at equal times). Source 0 is left out: its second
        // delivery comes after sweeps, which take part of its pending events.
        var ways = Set<Int>()
        for i in 1..<preCount {
            let deliveries = trains[i].map { $0 + Self.delay }.filter { $0 < end }
            for j in 0..<postCount {
                let queued = post[j].map { $0 + 2 * Self.delay }
                var previous = -Double.infinity
                for T in deliveries {
                    let pending = queued.filter { $0 > previous && $0 <= T }.count
                    ways.insert(pending == 0 ? 0 : pending <= 2 ? 1 : pending <= STDPPostState.recentCount ? 2 : 3)
                    previous = T
                }
            }
        }
        XCTAssertEqual(ways, [0, 1, 2, 3], "deliveries with 0, 1-2, 3-4 and more pending post events")
        let table = network.projections[0].synapses
        for i in 0..<preCount {
            for k in table.rowStart[i]..<table.rowStart[i + 1] {
                let j = Int(table.targets[k])
                let w = try XCTUnwrap(simulator.stdpWeight(projection: 0, synapse: k))
                let expected = Self.reference(pre: trains[i], post: post[j], rule: rule, weight: w0, end: end)
                XCTAssertEqual(w, expected, accuracy: 1e-12 * rule.wMax, "mu \(mu) \(pairing): pre \(i) post \(j)")
            }
        }
    }

    func testFusedDeliveryOfTheMultiplicativeRuleEqualsTheEventByEventRule() throws {
        try check(mu: 1, lambda: 0.01, pairing: .allToAll)
        try check(mu: 1, lambda: 0.01, pairing: .nearest)
    }

    /// Additive with a large lambda: weights reach both bounds.
    func testFusedDeliveryOfTheAdditiveRuleEqualsTheEventByEventRule() throws {
        try check(mu: 0, lambda: 0.2, pairing: .allToAll)
    }

    func testFusedDeliveryOfAGeneralExponentEqualsTheEventByEventRule() throws {
        try check(mu: 0.4, lambda: 0.05, pairing: .allToAll)
    }
}
