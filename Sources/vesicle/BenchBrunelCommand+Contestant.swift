import Foundation
import VesicleAnalysis
import VesicleEngine
import VesicleModel
import VesiclePaper

extension BenchBrunelCommand {
    /// One network under measurement. With more than one in a run (`--synapse bayesian`,
    /// `--threads`), they are simulated in alternating chunks of `chunk` ms, so that drifts of a
    /// shared machine's speed fall on all of them alike and their ratio is not a comparison of two
    /// different minutes.
    final class Contestant {
        let label: String
        let network: Network
        let simulator: Simulator
        let collector: SpikeCollector
        let bytesPerSynapse: Double
        var wall = 0.0
        /// CPU time of the simulating thread over the same chunks: on a loaded machine the wall
        /// time also counts the chunks' waits for a core, which fall on the contestants unevenly.
        var cpu = 0.0
        var before: SimulationCounters?

        init(_ spec: NetworkSpec, label: String, queue: EventQueueKind, threads: Int) throws {
            self.label = label
            network = try NetworkBuilder.build(spec)
            bytesPerSynapse = Double(network.projections.map { $0.bytesPerSynapse * $0.synapses.synapseCount }.reduce(0, +))
                / Double(network.synapseCount)
            print(String(format: "%@ build: %.3f s, %d neurons, %d synapses, %.2f bytes/synapse",
                         label as NSString, network.buildSeconds, network.neuronCount, network.synapseCount, bytesPerSynapse))
            simulator = Simulator(network: network, queue: queue, threads: threads)
            if let refusal = simulator.parallelRefusal { print("\(label): runs on 1 thread, not \(threads): \(refusal)") }
            collector = SpikeCollector(populationSizes: network.populationSizes)
            simulator.recordAllSpikes()
        }

        /// Synapses with STDP or short-term plasticity.
        var plasticSynapses: Int { network.dynamicSynapseCount }

        /// Mean and range of the STDP weights of projection `name` now (nil without STDP there).
        func stdpWeights(_ name: String) -> (mean: Double, min: Double, max: Double)? {
            guard let q = network.projections.firstIndex(where: { $0.name == name }),
                  simulator.stdpWeight(projection: q, synapse: 0) != nil else { return nil }
            var sum = 0.0, low = Double.infinity, high = -Double.infinity
            let n = network.projections[q].synapses.synapseCount
            for k in 0..<n {
                let w = simulator.stdpWeight(projection: q, synapse: k) ?? 0
                sum += w
                low = min(low, w)
                high = max(high, w)
            }
            return (sum / Double(max(n, 1)), low, high)
        }

        func warmUp(until warmup: Double) {
            let cost = ContinuousClock().measure { simulator.run(until: warmup, observer: collector) }
            before = simulator.counters
            print(String(format: "%@ warm-up: %.0f ms simulated in %.3f s", label as NSString, warmup, BenchmarkMachine.seconds(cost)))
        }

        func simulate(until end: Double) {
            let cpuStart = PaperJobRunner.threadCPUSeconds()
            wall += BenchmarkMachine.seconds(ContinuousClock().measure { simulator.run(until: end, observer: collector) })
            cpu += PaperJobRunner.threadCPUSeconds() - cpuStart
        }

        func measurement(warmup: Double, duration: Double) -> Measurement {
            let after = simulator.counters
            let start = before ?? after
            return Measurement(
                build: network.buildSeconds, wall: wall, recurrent: after.recurrentEvents - start.recurrentEvents,
                external: after.externalEvents - start.externalEvents,
                excitatory: SpikeTrainStatistics.compute(times: collector.times[0], from: warmup, to: warmup + duration),
                inhibitory: SpikeTrainStatistics.compute(times: collector.times[1], from: warmup, to: warmup + duration),
                bytesPerSynapse: bytesPerSynapse, synapses: network.synapseCount, neurons: network.neuronCount)
        }
    }
}
