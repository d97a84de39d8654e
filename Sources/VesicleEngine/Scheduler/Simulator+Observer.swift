extension Simulator {
    /// Hands the partitions' release log and samples of the window to `observer`, merged into the one
    /// documented order (`Simulator`): each partition's records are already in that order, and each
    /// release slot, posterior row or membrane neuron belongs to one partition, in partition order.
    func hand(sampleCount: Int, times: [Double], to observer: SimulationObserver) {
        let parts = partitions.partitions
        // Releases by slot (delivery, member), then synapse: a k-way merge on the slot.
        var cursor = [Int](repeating: 0, count: parts.count)
        while true {
            var best = -1, bestSlot = Int.max
            for (k, part) in parts.enumerated() where cursor[k] < part.releaseLog.count && part.releaseLog[cursor[k]].slot < bestSlot {
                best = k
                bestSlot = part.releaseLog[cursor[k]].slot
            }
            if best < 0 { break }
            let log = parts[best].releaseLog
            while cursor[best] < log.count && log[cursor[best]].slot == bestSlot {
                let r = log[cursor[best]]
                observer.release(projection: r.projection, synapse: r.synapse, pre: r.pre, post: r.post, time: r.time,
                                 amplitude: r.amplitude, mu: r.mu, sigma2: r.sigma2)
                cursor[best] += 1
            }
        }
        guard sampleCount > 0 else { return }
        // Samples by (time, sampler), then synapse or neuron: partition k's run precedes k + 1's.
        var posterior = [Int](repeating: 0, count: parts.count)
        var membrane = [Int](repeating: 0, count: parts.count)
        var weight = [Int](repeating: 0, count: parts.count)
        let weightLists = partitions.weightSamplers.isEmpty ? [] : parts.map(\.weightSamples)
        for sample in 0..<sampleCount {
            let t = times[sample]
            for sampler in partitions.posteriorSamplers.indices {
                let q = partitions.posteriorSamplers[sampler].projection
                for (k, part) in parts.enumerated() {
                    let list = part.posteriorSamples
                    while posterior[k] < list.count && list[posterior[k]].sample == sample && list[posterior[k]].sampler == sampler {
                        let s = list[posterior[k]]
                        observer.posterior(projection: q, synapse: s.synapse, time: t, mu: s.mu, sigma2: s.sigma2)
                        posterior[k] += 1
                    }
                }
            }
            // STDP weights: each partition samples the synapses onto its neurons, ascending; a k-way
            // merge on the synapse.
            for sampler in partitions.weightSamplers.indices {
                let q = partitions.weightSamplers[sampler].projection
                while true {
                    var best = -1, bestSynapse = Int.max
                    for k in weightLists.indices {
                        let list = weightLists[k]
                        guard weight[k] < list.count, list[weight[k]].sample == sample, list[weight[k]].sampler == sampler,
                              list[weight[k]].synapse < bestSynapse else { continue }
                        best = k
                        bestSynapse = list[weight[k]].synapse
                    }
                    if best < 0 { break }
                    let s = weightLists[best][weight[best]]
                    observer.weight(projection: q, synapse: s.synapse, time: t, weight: s.weight)
                    weight[best] += 1
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
}
