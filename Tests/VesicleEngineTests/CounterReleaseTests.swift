import Foundation
import VesicleModel
import VesicleRandom
import XCTest
@testable import VesicleEngine

/// Bayesian releases drawn from counters (issue 13 item 3; docs/DESIGN.md, Randomness, Bayesian
/// releases): every release a run logs is the draw of its row at its spike's ordinal, recomputed
/// alone on a freshly built network, whatever the thread count, and a run resumed from a checkpoint
/// logs the same releases as one that was not stopped.
final class CounterReleaseTests: XCTestCase {
    /// Seed 9, 300 ms, E->all (posterior release, log link, delays uniform on 1..3 ms: several delays
    /// per row) logged in full; threads 1 and 3. For each logged release of synapse s (row r, time t):
    /// n = the number of r's spikes whose arrival through s's delay (spike time + delay, the same
    /// addition the queue does) is before t; the release equals, bit for bit, the one
    /// `releaseAmplitudes(row:range:ordinal:at:)` computes for (r, the part of r with s's delay, n, t)
    /// on a network built again from the spec and never run.
    func testEveryLoggedReleaseIsItsRowsDrawAtItsSpikeOrdinal() throws {
        let spec = Self.network()
        let fresh = try NetworkBuilder.build(spec)
        let projection = fresh.projections[0]
        let bayesian = try XCTUnwrap(projection.bayesian)
        XCTAssertTrue(bayesian.batched)
        XCTAssertGreaterThan(bayesian.delaySlots, 1, "the test needs several delays per row")
        let synapses = projection.synapses
        let out = UnsafeMutablePointer<Double>.allocate(capacity: max(bayesian.longestRowCount, 1))
        defer { out.deallocate() }
        for threads in [1, 3] {
            let (spikes, releases) = try Self.run(spec, threads: threads)
            var spikeTimes = [[Double]](repeating: [], count: 160)
            for s in spikes where s.population == 0 { spikeTimes[s.neuron].append(s.time) }
            let logged = releases.filter { $0.projection == 0 }
            XCTAssertGreaterThan(logged.count, 20_000, "the network must release")
            var checked = 0, laterOrdinals = 0
            for r in logged {
                let delay = synapses.delay(at: r.synapse)
                let arrivals = spikeTimes[r.pre].map { $0 + delay }
                XCTAssertTrue(arrivals.contains(r.time), "a release at \(r.time) without a spike of row \(r.pre)")
                let n = arrivals.filter { $0 < r.time }.count
                let range = synapses.uniformDelay == nil
                    ? synapses.range(ofRow: r.pre, delaySteps: synapses.delaySteps[r.synapse])
                    : synapses.rowStart[r.pre]..<synapses.rowStart[r.pre + 1]
                XCTAssertTrue(range.contains(r.synapse))
                _ = bayesian.releaseAmplitudes(row: r.pre, range: range, ordinal: UInt32(n), at: r.time, into: out)
                let redrawn = out[r.synapse - range.lowerBound]
                if redrawn.bitPattern != r.amplitude.bitPattern {
                    XCTFail("\(threads) threads: row \(r.pre) synapse \(r.synapse) at \(r.time), ordinal \(n): logged \(r.amplitude), redrawn \(redrawn)")
                    return
                }
                checked += 1
                if n > 0 { laterOrdinals += 1 }
            }
            XCTAssertEqual(checked, logged.count)
            XCTAssertGreaterThan(laterOrdinals, checked / 2, "most releases are of rows' later spikes")
        }
    }

    /// Seed 9: a run stopped at 150 ms, checkpointed, restored into a network built again and run to
    /// 300 ms logs exactly the releases (every field, bit for bit) that the run without a stop logs
    /// after 150 ms, and ends with the same spikes and row ordinals.
    func testReleasesAfterCheckpointAndResumeAreThoseOfTheUnstoppedRun() throws {
        let spec = Self.network()
        let whole = try Self.run(spec, threads: 1)

        let first = Simulator(network: try NetworkBuilder.build(spec), threads: 1)
        first.recordAllSpikes()
        let before = Recorder()
        first.run(until: 150, observer: before)
        var encoder = CheckpointEncoder()
        try first.encodeCheckpoint(into: &encoder)

        let network = try NetworkBuilder.build(spec)
        let second = Simulator(network: network, threads: 2)
        second.recordAllSpikes()
        var decoder = CheckpointDecoder(bytes: encoder.bytes)
        try second.restoreCheckpoint(from: &decoder)
        let after = Recorder()
        second.run(observer: after)

        XCTAssertFalse(after.releases.isEmpty)
        let expected = Array(whole.releases.suffix(after.releases.count))
        XCTAssertEqual(before.releases.count + after.releases.count, whole.releases.count)
        XCTAssertTrue(after.releases == expected, "releases after the resume differ")
        XCTAssertTrue(before.spikes + after.spikes == whole.spikes)
        let resumed = try XCTUnwrap(network.projections[0].bayesian)
        let reference = Simulator(network: try NetworkBuilder.build(spec), threads: 1)
        reference.run()
        let unstopped = try XCTUnwrap(reference.network.projections[0].bayesian)
        let count = resumed.rowCount * resumed.delaySlots
        XCTAssertEqual(Array(UnsafeBufferPointer(start: resumed.ordinals, count: count)),
                       Array(UnsafeBufferPointer(start: unstopped.ordinals, count: count)))
        XCTAssertGreaterThan(Array(UnsafeBufferPointer(start: resumed.ordinals, count: count)).max() ?? 0, 3)
    }

    // MARK: - Support

    struct Release: Equatable {
        let projection: Int, synapse: Int, pre: Int, post: Int
        let time: Double, amplitude: Double, mu: Double, sigma2: Double
        static func == (a: Release, b: Release) -> Bool {
            (a.projection, a.synapse, a.pre, a.post) == (b.projection, b.synapse, b.pre, b.post)
                && a.time.bitPattern == b.time.bitPattern && a.amplitude.bitPattern == b.amplitude.bitPattern
                && a.mu.bitPattern == b.mu.bitPattern && a.sigma2.bitPattern == b.sigma2.bitPattern
        }
    }

    struct Spike: Equatable {
        let population: Int, neuron: Int, time: Double
    }

    final class Recorder: SimulationObserver {
        var spikes: [Spike] = []
        var releases: [Release] = []
        func spike(population: Int, neuron: Int, time: Double) { spikes.append(Spike(population: population, neuron: neuron, time: time)) }
        func membrane(population: Int, neuron: Int, time: Double, potential: Double) {}
        func release(projection: Int, synapse: Int, pre: Int, post: Int, time: Double, amplitude: Double, mu: Double, sigma2: Double) {
            releases.append(Release(projection: projection, synapse: synapse, pre: pre, post: post, time: time,
                                    amplitude: amplitude, mu: mu, sigma2: sigma2))
        }
        func posterior(projection: Int, synapse: Int, time: Double, mu: Double, sigma2: Double) {}
    }

    static func run(_ spec: NetworkSpec, threads: Int) throws -> (spikes: [Spike], releases: [Release]) {
        let simulator = Simulator(network: try NetworkBuilder.build(spec), threads: threads)
        let recorder = Recorder()
        simulator.recordAllSpikes()
        simulator.run(observer: recorder)
        return (recorder.spikes, recorder.releases)
    }

    /// `PartitionedRunTests`' network with E->all Bayesian (posterior release, log link) and logged.
    static func network() -> NetworkSpec {
        let p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 20, reset: 10, refractory: 2)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 300, seed: 9))
        spec.populations = [
            PopulationSpec(name: "E", size: 160, model: .lifDelta(p)),
            PopulationSpec(name: "I", size: 40, model: .lifDelta(p)),
        ]
        spec.projections = [
            ProjectionSpec(name: "E->all", source: .init(population: "E"), target: .init(population: "E"),
                           rule: .fixedIndegree(16), weight: .normal(mean: 0.3, sd: 0.1, clipToSign: .positive),
                           delay: .uniform(low: 1, high: 3)),
            ProjectionSpec(name: "E->I", source: .init(population: "E"), target: .init(population: "I"),
                           rule: .fixedIndegree(16), weight: .constant(0.3), delay: .constant(1.5)),
            ProjectionSpec(name: "I->E", source: .init(population: "I"), target: .init(population: "E"),
                           rule: .pairwiseBernoulli(0.2), weight: .constant(-1.2), delay: .constant(1.5)),
        ]
        spec.inputs = [InputSpec(name: "ext", kind: .poisson(rate: 18_000), targets: [.init(population: "E"), .init(population: "I")],
                                 weight: 0.1, delay: 0.1)]
        var lognormal = BayesianSynapseSpec()
        lognormal.priorMean = log(0.3) - 0.035
        lognormal.priorVariance = 0.07
        lognormal.priorTau = 1000
        lognormal.release = .posterior
        spec.synapseTypes = [SynapseTypeSpec(name: "lognormal", kind: .bayesian(lognormal))]
        spec.projections[0].synapseType = "lognormal"
        spec.recordings = [RecordingSpec(kind: .releases(projection: "E->all", limit: nil))]
        return spec
    }
}
