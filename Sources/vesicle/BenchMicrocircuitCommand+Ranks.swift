// `mpirun -np R vesicle bench microcircuit` (issue 16; docs/SCALING.md): as `bench brunel` on ranks,
// the same scaled microcircuit on one rank (rank 0's whole build, the others waiting at a barrier)
// and on R ranks (each rank's part), in alternating chunks of simulated time in the same processes,
// so that a shared machine's drifts fall on both alike; per-rank compute, wait and exchange time per
// window; the spikes of both compared; JSON last. Each rank holds only its own lif_exp neurons
// (Neurons/OwnedNeuronMemory.swift) and builds only its own targets' synapses.

import Foundation
import VesicleEngine
import VesicleModel
#if VESICLE_MPI
import VesicleMPI
#endif

extension BenchMicrocircuitCommand {
    /// Simulated ms per chunk of the alternation.
    static let chunk = 50.0

    func runOnRanks(_ ranks: RankGroup) throws {
        #if VESICLE_MPI
        defer { ranks.finish() }
        let world = ranks.world
        let root = ranks.isRoot
        let spec = try scaledSpec(printing: root)
        if root {
            print(BenchmarkMachine.summary)
            print("command: mpirun -np \(ranks.count) vesicle bench microcircuit --scale \(scale) --threads \(threads) --duration \(TimeOption.trim(duration))ms --warmup \(TimeOption.trim(warmup))ms --seed \(seed)\(dc ? " --dc" : "")")
            print("each rank builds the incoming synapses of its own targets and walks its \(threads) of \(ranks.count * threads) partitions; the one-rank contestant is rank 0's whole build")
        }
        let single = root ? try NetworkBuilder.build(spec) : nil
        let shared = try NetworkBuilder.build(spec, part: ranks.part(threads: threads))
        let alone = single.map { Simulator(network: $0, threads: threads) }
        let together = Simulator(network: shared, threads: threads, exchange: world)
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
        let synapses = ranks.synapseTotal(shared)
        let peaks = world.gather(Double(BenchmarkMachine.peakResidentBytes ?? 0))
        guard root, let alone, let aloneBefore = before.0 else { return }
        let events = { (c: SimulationCounters, b: SimulationCounters) in (c.recurrentEvents - b.recurrentEvents) + (c.externalEvents - b.externalEvents) }
        let same = collectAlone.times == collectTogether.times
        print(String(format: "scale %g: %d neurons, %d synapses; %.0f ms simulated after %.0f ms warm-up, alternating chunks of %.0f ms",
                     scale, shared.neuronCount, synapses, duration, warmup, Self.chunk))
        print(String(format: "1 rank : %.3f s wall, %d events", wallAlone, events(alone.counters, aloneBefore)))
        print(String(format: "%d ranks: %.3f s wall, %d events; spikes %@ the 1-rank run's", ranks.count, wallTogether,
                     events(together.counters, before.1), same ? "identical to" : "DIFFERENT from"))
        print(String(format: "%d windows of %.2f ms; received %.0f bytes of spikes per window per rank (12 bytes a spike)",
                     Int(windows), shared.minimumDelay ?? 0, Double(world.receivedBytes - startBytes) / max(windows, 1)))
        for r in 0..<ranks.count {
            print(String(format: "rank %d: per window compute %.1f us, wait %.1f us, exchange %.1f us; peak RSS %.1f MiB%@",
                         r, perWindow(compute[r]), perWindow(wait[r]), perWindow(exchange[r]), peaks[r] / 1048576,
                         r == 0 ? " (holds the 1-rank contestant's whole build too)" : ""))
        }
        print(String(format: "%d ranks / 1 rank: simulate %.2fx faster", ranks.count, wallAlone / wallTogether))
        var json = JSONLine()
        json.add("benchmark", "microcircuit_ranks")
        json.add("ranks", ranks.count)
        json.add("threads", threads)
        json.add("scale", scale)
        json.add("neurons", shared.neuronCount)
        json.add("synapses", synapses)
        json.add("duration_ms", duration)
        json.add("one_rank_wall_s", wallAlone)
        json.add("ranks_wall_s", wallTogether)
        json.add("rank_speedup", wallAlone / wallTogether)
        json.add("windows", Int(windows))
        json.add("compute_us_per_window", perWindow(compute.max() ?? 0))
        json.add("wait_us_per_window", perWindow(wait.max() ?? 0))
        json.add("exchange_us_per_window", perWindow(exchange.max() ?? 0))
        for r in 0..<ranks.count {
            json.add("rank\(r)_compute_us_per_window", perWindow(compute[r]))
            json.add("rank\(r)_wait_us_per_window", perWindow(wait[r]))
            json.add("rank\(r)_exchange_us_per_window", perWindow(exchange[r]))
            json.add("rank\(r)_peak_rss_bytes", Int(peaks[r]))
        }
        json.add("identical_spikes", same ? 1 : 0)
        print(json.text)
        #endif
    }
}
