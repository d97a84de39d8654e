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
        let world = ranks.world
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
        let kind = EventQueueKind(rawValue: queue)!
        // One rank: rank 0's own copy, no exchange. R ranks: every rank's copy, exchanging.
        let single = root ? try NetworkBuilder.build(spec) : nil
        let shared = try NetworkBuilder.build(spec, part: ranks.part(threads: threads))
        let alone = single.map { Simulator(network: $0, queue: kind, threads: threads) }
        let together = Simulator(network: shared, queue: kind, threads: threads, exchange: world)
        let collectAlone = SpikeCollector(populationSizes: shared.populationSizes)
        let collectTogether = SpikeCollector(populationSizes: shared.populationSizes)
        alone?.recordAllSpikes()
        together.recordAllSpikes()
        alone?.run(until: warmup, observer: collectAlone)
        world.barrier()
        world.resumeClock()
        together.run(until: warmup, observer: root ? collectTogether : nil)
        let startCompute = world.computeSeconds, startWait = world.waitSeconds, startExchange = world.exchangeSeconds
        let startWindows = world.exchanges, startBytes = world.receivedBytes
        let before = (alone?.counters, together.counters)
        var wallAlone = 0.0, wallTogether = 0.0
        var reached = 0.0, k = 0
        while reached < duration {
            reached = min(duration, reached + Self.chunk)
            for turn in (k % 2 == 0 ? [0, 1] : [1, 0]) {
                world.barrier()
                let t0 = Date()
                if turn == 0 {
                    alone?.run(until: warmup + reached, observer: collectAlone)
                    world.barrier()
                    wallAlone += Date().timeIntervalSince(t0)
                } else {
                    world.resumeClock()
                    together.run(until: warmup + reached, observer: root ? collectTogether : nil)
                    world.barrier()
                    wallTogether += Date().timeIntervalSince(t0)
                }
            }
            k += 1
        }
        let windows = Double(world.exchanges - startWindows)
        let perWindow = { (s: Double) in s / max(windows, 1) * 1e6 }
        let compute = world.gather(world.computeSeconds - startCompute)
        let wait = world.gather(world.waitSeconds - startWait)
        let exchange = world.gather(world.exchangeSeconds - startExchange)
        guard root, let alone, let aloneBefore = before.0 else { return }
        let events = { (c: SimulationCounters, b: SimulationCounters) in (c.recurrentEvents - b.recurrentEvents) + (c.externalEvents - b.externalEvents) }
        let same = collectAlone.times == collectTogether.times
        print(String(format: "%d neurons, %d synapses; %.0f ms simulated after %.0f ms warm-up, alternating chunks of %.0f ms",
                     shared.neuronCount, shared.synapseCount, duration, warmup, Self.chunk))
        print(String(format: "1 rank : %.3f s wall, %d events", wallAlone, events(alone.counters, aloneBefore)))
        print(String(format: "%d ranks: %.3f s wall, %d events; spikes %@ the 1-rank run's", ranks.count, wallTogether,
                     events(together.counters, before.1), same ? "identical to" : "DIFFERENT from"))
        print(String(format: "%d windows; received %.1f kB of spikes per window per rank (12 bytes a spike)",
                     Int(windows), Double(world.receivedBytes - startBytes) / max(windows, 1) / 1e3))
        for r in 0..<ranks.count {
            print(String(format: "rank %d: per window compute %.1f us, wait %.1f us, exchange %.1f us",
                         r, perWindow(compute[r]), perWindow(wait[r]), perWindow(exchange[r])))
        }
        print(String(format: "%d ranks / 1 rank: simulate %.2fx faster", ranks.count, wallAlone / wallTogether))
        var json = JSONLine()
        json.add("benchmark", "brunel_ranks")
        json.add("ranks", ranks.count)
        json.add("threads", threads)
        json.add("synapse", synapse)
        json.add("neurons", shared.neuronCount)
        json.add("duration_ms", duration)
        json.add("one_rank_wall_s", wallAlone)
        json.add("ranks_wall_s", wallTogether)
        json.add("rank_speedup", wallAlone / wallTogether)
        json.add("windows", Int(windows))
        json.add("compute_us_per_window", perWindow(compute.max() ?? 0))
        json.add("wait_us_per_window", perWindow(wait.max() ?? 0))
        json.add("exchange_us_per_window", perWindow(exchange.max() ?? 0))
        json.add("identical_spikes", same ? 1 : 0)
        print(json.text)
        #endif
    }
}
