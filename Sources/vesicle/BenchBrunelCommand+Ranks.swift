// `mpirun -np R vesicle bench brunel` (issue 16; docs/SCALING.md): the same network on one rank (rank
// 0 alone, the others waiting at a barrier) and on R ranks, in alternating chunks of simulated time
// so that a shared machine's drifts fall on both alike; per-rank compute, wait and exchange time per
// window, and the 1-rank / R-rank wall-time ratio.

import Foundation
import VesicleEngine
import VesicleModel
#if VESICLE_MPI
import VesicleMPI
#endif

extension BenchBrunelCommand {
    func runOnRanks(_ ranks: RankGroup) throws {
        #if VESICLE_MPI
        defer { ranks.finish() }
        let root = ranks.isRoot
        guard synapse != "stdp" else {
            if root { print("--synapse stdp: bench brunel on ranks times static and Bayesian synapses; `mpirun vesicle run` runs STDP networks") }
            return
        }
        let regime = BrunelRegime(rawValue: regime.uppercased())!
        var spec = synapse == "bayesian"
            ? ReferenceNetworks.brunelBayesian(regime: regime, neurons: neurons, seed: seed, duration: duration, warmup: 100)
            : ReferenceNetworks.brunel(regime: regime, neurons: neurons, seed: seed, duration: duration, warmup: 100)
        if neuron == "lif_exp" { spec = Self.withExponentialCurrents(spec) }
        let warmup = spec.simulation.warmup
        if root {
            print(BenchmarkMachine.summary)
            print("command: mpirun -np \(ranks.count) vesicle bench brunel --neurons \(neurons) --duration \(duration) --regime \(regime.rawValue) --seed \(seed) --synapse \(synapse) --threads \(threads) --neuron \(neuron)")
            print("each rank builds the incoming synapses of its own targets (Bayesian ones too) and walks its \(threads) of \(ranks.count * threads) partitions; the one-rank contestant is rank 0's whole build")
        }
        let c = try ranks.contest(spec, threads: threads, queue: EventQueueKind(rawValue: queue)!, warmup: warmup,
                                  duration: duration, chunk: Self.chunk)
        guard root else { return }
        print(String(format: "%d neurons, %d synapses; %.0f ms simulated after %.0f ms warm-up, alternating chunks of %.0f ms",
                     c.shared.neuronCount, c.shared.synapseCount, duration, warmup, Self.chunk))
        c.printWallTimes(rankCount: ranks.count)
        print(String(format: "%d windows; received %.1f kB of spikes per window per rank (12 bytes a spike)",
                     Int(c.windows), c.receivedBytes / max(c.windows, 1) / 1e3))
        for r in 0..<ranks.count {
            print(String(format: "rank %d: per window compute %.1f us, wait %.1f us, exchange %.1f us",
                         r, c.perWindow(c.compute[r]), c.perWindow(c.wait[r]), c.perWindow(c.exchange[r])))
        }
        print(String(format: "%d ranks / 1 rank: simulate %.2fx faster", ranks.count, c.wallAlone / c.wallTogether))
        var json = JSONLine()
        json.add("benchmark", "brunel_ranks")
        json.add("ranks", ranks.count)
        json.add("threads", threads)
        json.add("synapse", synapse)
        json.add("neurons", c.shared.neuronCount)
        json.add("duration_ms", duration)
        c.addTimes(to: &json)
        json.add("identical_spikes", c.identicalSpikes ? 1 : 0)
        print(json.text)
        #endif
    }
}
