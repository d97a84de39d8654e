extension Simulator {
    /// Hands the partitions' release log and samples of the window to `observer`, merged into the one
    /// documented order (`Simulator`): each partition's records are already in that order, and each
    /// release slot, posterior row or membrane neuron belongs to one partition, in partition order.
    func hand(sampleCount: Int, times: [Double], to observer: SimulationObserver) {
        let parts = partitions.partitions
        // Releases by (slot, synapse): a k-way merge over the partitions' logs and, on ranks, the
        // other ranks' own synapses of projections built in part (`Partitions.remoteReleaseLogs`;
        // a slot's part is one partition's, and ranks hold ascending blocks of its synapses).
        let logs = parts.map(\.releaseLog) + partitions.remoteReleaseLogs
        var cursor = [Int](repeating: 0, count: logs.count)
        while true {
            var best = -1, bestSlot = Int.max, bestSynapse = Int.max
            for (k, log) in logs.enumerated() where cursor[k] < log.count {
                let r = log[cursor[k]]
                if r.slot < bestSlot || (r.slot == bestSlot && r.synapse < bestSynapse) {
                    best = k
                    bestSlot = r.slot
                    bestSynapse = r.synapse
                }
            }
            if best < 0 { break }
            let log = logs[best]
            while cursor[best] < log.count && log[cursor[best]].slot == bestSlot {
                let r = log[cursor[best]]
                // Another list's synapse of the same slot comes first.
                if logs.indices.contains(where: { $0 != best && cursor[$0] < logs[$0].count
                    && logs[$0][cursor[$0]].slot == bestSlot && logs[$0][cursor[$0]].synapse < r.synapse }) { break }
                observer.release(projection: r.projection, synapse: r.synapse, pre: r.pre, post: r.post, time: r.time,
                                 amplitude: r.amplitude, mu: r.mu, sigma2: r.sigma2)
                cursor[best] += 1
            }
        }
        guard sampleCount > 0 else { return }
        // Samples by (time, sampler), then synapse or neuron: partition k's run precedes k + 1's.
        let posteriorLists = parts.map(\.posteriorSamples) + partitions.remotePosteriorSamples
        var posterior = [Int](repeating: 0, count: posteriorLists.count)
        var membrane = [Int](repeating: 0, count: parts.count)
        var weight = [Int](repeating: 0, count: parts.count)
        let weightLists = partitions.weightSamplers.isEmpty ? [] : parts.map(\.weightSamples)
        for sample in 0..<sampleCount {
            let t = times[sample]
            for sampler in partitions.posteriorSamplers.indices {
                let q = partitions.posteriorSamplers[sampler].projection
                // By synapse: each partition's rows ascend; on ranks the other ranks' own synapses of
                // a projection built in part interleave with these within a row.
                Self.mergeBySynapse(posteriorLists, &posterior, sample: sample, sampler: sampler) { s in
                    observer.posterior(projection: q, synapse: s.synapse, time: t, mu: s.mu, sigma2: s.sigma2)
                }
            }
            // STDP weights: each partition samples the synapses onto its neurons, ascending; a k-way
            // merge on the synapse.
            for sampler in partitions.weightSamplers.indices {
                let q = partitions.weightSamplers[sampler].projection
                Self.mergeBySynapse(weightLists, &weight, sample: sample, sampler: sampler) { s in
                    observer.weight(projection: q, synapse: s.synapse, time: t, weight: s.weight)
                }
            }
            for sampler in partitions.membraneSamplers.indices {
                let p = partitions.membraneSamplers[sampler].population
                for (k, part) in parts.enumerated() {
                    let list = part.membraneSamples
                    while membrane[k] < list.count && list[membrane[k]].sample == sample && list[membrane[k]].sampler == sampler {
                        let s = list[membrane[k]]
                        observer.membrane(population: p, neuron: s.neuron, time: t, potential: s.potential)
                        membrane[k] += 1
                    }
                }
            }
        }
    }

    /// Hands `emit` the entries of sample `sample` and sampler `sampler` from `lists` (each ascending
    /// by synapse within a sample and sampler), in ascending synapse order: a k-way merge, each list's
    /// cursor in `cursors` moved past what it gave.
    /// - Complexity: O(entries x lists).
    static func mergeBySynapse<S: SynapseSample>(_ lists: [[S]], _ cursors: inout [Int], sample: Int, sampler: Int,
                                                 _ emit: (S) -> Void) {
        while true {
            var best = -1, bestSynapse = Int.max
            for k in lists.indices {
                let list = lists[k]
                guard cursors[k] < list.count, list[cursors[k]].sample == sample, list[cursors[k]].sampler == sampler,
                      list[cursors[k]].synapse < bestSynapse else { continue }
                best = k
                bestSynapse = list[cursors[k]].synapse
            }
            if best < 0 { return }
            emit(lists[best][cursors[best]])
            cursors[best] += 1
        }
    }
}
