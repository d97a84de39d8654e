// The one-rank / R-rank contest of `mpirun -np R vesicle bench brunel` and `bench microcircuit`
// (issue 16; docs/SCALING.md): one network as rank 0's whole build (the other ranks waiting at a
// barrier) and as every rank's part, in alternating chunks of simulated time in the same processes,
// so that a shared machine's drifts fall on both alike; per-rank compute, wait and exchange time
// gathered; the spikes of both compared. The commands print what they measured.

import Foundation
import VesicleEngine
import VesicleModel
#if VESICLE_MPI
import VesicleMPI

/// What a contest measured after the warm-up. Wall times, events and the spike comparison are
/// rank 0's (the one-rank contestant runs there alone); the per-rank times are gathered on every rank.
struct RankContest {
    /// This rank's part of the build: the R-rank contestant's network.
    let shared: Network
    /// Wall seconds of the one-rank and of the R-rank chunks.
    let wallAlone: Double, wallTogether: Double
    /// Recurrent plus external events of each contestant (rank 0's counts; 0 alone elsewhere).
    let eventsAlone: Int, eventsTogether: Int
    /// Whether both contestants recorded the same spikes (rank 0's comparison).
    let identicalSpikes: Bool
    /// Exchange windows after the warm-up, and the bytes of spikes this rank received in them.
    let windows: Double, receivedBytes: Double
    /// Seconds computing, waiting and exchanging, per rank.
    let compute: [Double], wait: [Double], exchange: [Double]

    /// `seconds` per window, in microseconds.
    func perWindow(_ seconds: Double) -> Double { seconds / max(windows, 1) * 1e6 }

    /// Both contestants' wall time and events, the spikes compared: two lines.
    func printWallTimes(rankCount: Int) {
        print(String(format: "1 rank : %.3f s wall, %d events", wallAlone, eventsAlone))
        print(String(format: "%d ranks: %.3f s wall, %d events; spikes %@ the 1-rank run's", rankCount, wallTogether,
                     eventsTogether, identicalSpikes ? "identical to" : "DIFFERENT from"))
    }

    /// The wall times, the speed-up, the window count and the slowest rank's compute, wait and
    /// exchange time per window, as JSON fields.
    func addTimes(to json: inout JSONLine) {
        json.add("one_rank_wall_s", wallAlone)
        json.add("ranks_wall_s", wallTogether)
        json.add("rank_speedup", wallAlone / wallTogether)
        json.add("windows", Int(windows))
        json.add("compute_us_per_window", perWindow(compute.max() ?? 0))
        json.add("wait_us_per_window", perWindow(wait.max() ?? 0))
        json.add("exchange_us_per_window", perWindow(exchange.max() ?? 0))
    }
}

extension RankGroup {
    /// Builds `spec` both ways (the one-rank contestant on rank 0 only), runs both to `warmup`, then
    /// `duration` ms more in chunks of `chunk` ms, the contestants taking turns to go first. Every
    /// rank must call it (it holds barriers and gathers).
    /// - Complexity: both simulations of `spec`, O(events + steps) each, and the builds.
    func contest(_ spec: NetworkSpec, threads: Int, queue: EventQueueKind = .binaryHeap, warmup: Double,
                 duration: Double, chunk: Double) throws -> RankContest {
        let single = isRoot ? try NetworkBuilder.build(spec) : nil
        let shared = try NetworkBuilder.build(spec, part: part(threads: threads))
        let alone = single.map { Simulator(network: $0, queue: queue, threads: threads) }
        let together = Simulator(network: shared, queue: queue, threads: threads, exchange: world)
        let collectAlone = SpikeCollector(populationSizes: shared.populationSizes)
        let collectTogether = SpikeCollector(populationSizes: shared.populationSizes)
        alone?.recordAllSpikes()
        together.recordAllSpikes()
        alone?.run(until: warmup, observer: collectAlone)
        world.barrier()
        world.resumeClock()
        together.run(until: warmup, observer: isRoot ? collectTogether : nil)
        let startCompute = world.computeSeconds, startWait = world.waitSeconds, startExchange = world.exchangeSeconds
        let startWindows = world.exchanges, startBytes = world.receivedBytes
        let before = (alone?.counters, together.counters)
        var wallAlone = 0.0, wallTogether = 0.0
        var reached = 0.0, k = 0
        while reached < duration {
            reached = min(duration, reached + chunk)
            for turn in (k % 2 == 0 ? [0, 1] : [1, 0]) {
                world.barrier()
                let t0 = Date()
                if turn == 0 {
                    alone?.run(until: warmup + reached, observer: collectAlone)
                    world.barrier()
                    wallAlone += Date().timeIntervalSince(t0)
                } else {
                    world.resumeClock()
                    together.run(until: warmup + reached, observer: isRoot ? collectTogether : nil)
                    world.barrier()
                    wallTogether += Date().timeIntervalSince(t0)
                }
            }
            k += 1
        }
        let events = { (c: SimulationCounters, b: SimulationCounters) in (c.recurrentEvents - b.recurrentEvents) + (c.externalEvents - b.externalEvents) }
        return RankContest(
            shared: shared, wallAlone: wallAlone, wallTogether: wallTogether,
            eventsAlone: alone.flatMap { a in before.0.map { events(a.counters, $0) } } ?? 0,
            eventsTogether: events(together.counters, before.1),
            identicalSpikes: collectAlone.times == collectTogether.times,
            windows: Double(world.exchanges - startWindows), receivedBytes: Double(world.receivedBytes - startBytes),
            compute: world.gather(world.computeSeconds - startCompute),
            wait: world.gather(world.waitSeconds - startWait),
            exchange: world.gather(world.exchangeSeconds - startExchange))
    }
}
#endif
