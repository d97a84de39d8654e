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
        let c = try ranks.contest(spec, threads: threads, warmup: warmup, duration: duration, chunk: Self.chunk)
        let synapses = ranks.synapseTotal(c.shared)
        let peaks = world.gather(Double(BenchmarkMachine.peakResidentBytes ?? 0))
        guard root else { return }
        print(String(format: "scale %g: %d neurons, %d synapses; %.0f ms simulated after %.0f ms warm-up, alternating chunks of %.0f ms",
                     scale, c.shared.neuronCount, synapses, duration, warmup, Self.chunk))
        c.printWallTimes(rankCount: ranks.count)
        print(String(format: "%d windows of %.2f ms; received %.0f bytes of spikes per window per rank (12 bytes a spike)",
                     Int(c.windows), c.shared.minimumDelay ?? 0, c.receivedBytes / max(c.windows, 1)))
        for r in 0..<ranks.count {
            print(String(format: "rank %d: per window compute %.1f us, wait %.1f us, exchange %.1f us; peak RSS %.1f MiB%@",
                         r, c.perWindow(c.compute[r]), c.perWindow(c.wait[r]), c.perWindow(c.exchange[r]), peaks[r] / 1048576,
                         r == 0 ? " (holds the 1-rank contestant's whole build too)" : ""))
        }
        print(String(format: "%d ranks / 1 rank: simulate %.2fx faster", ranks.count, c.wallAlone / c.wallTogether))
        var json = JSONLine()
        json.add("benchmark", "microcircuit_ranks")
        json.add("ranks", ranks.count)
        json.add("threads", threads)
        json.add("scale", scale)
        json.add("neurons", c.shared.neuronCount)
        json.add("synapses", synapses)
        json.add("duration_ms", duration)
        c.addTimes(to: &json)
        for r in 0..<ranks.count {
            json.add("rank\(r)_compute_us_per_window", c.perWindow(c.compute[r]))
            json.add("rank\(r)_wait_us_per_window", c.perWindow(c.wait[r]))
            json.add("rank\(r)_exchange_us_per_window", c.perWindow(c.exchange[r]))
            json.add("rank\(r)_peak_rss_bytes", Int(peaks[r]))
        }
        json.add("identical_spikes", c.identicalSpikes ? 1 : 0)
        print(json.text)
        #endif
    }
}
