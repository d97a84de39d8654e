extension Simulator {
    /// Why `network` cannot run on several ranks (nil: it can): a neuron model that cannot partition.
    public static func rankRefusal(_ network: Network) -> String? {
        network.dynamics.lazy.compactMap({ $0.neurons?.partitionRefusal }).first
    }

    /// The ranks' part of a window's end (docs/DESIGN.md, Ranks): `spikes` holds this rank's
    /// neurons' spikes of the window and is replaced by every rank's (the simulator sorts them before
    /// they are queued or recorded); the stop wishes are agreed; rank 0 receives the membrane samples
    /// of the other ranks' neurons into their partitions, where `hand` merges them in the one order.
    func exchangeWindow(_ exchange: any SpikeExchange, spikes: WindowSpikes, sampleCount: Int, shouldStop: () -> Bool) {
        // Only this rank's own neurons' spikes: a population every rank builds whole fires its
        // initial above-threshold spikes (time 0, at build) on every rank, and they are sent once.
        let plan = partitions.plan, local = partitions.local
        var times: [Double] = [], neurons: [UInt32] = []
        times.reserveCapacity(spikes.count)
        neurons.reserveCapacity(spikes.count)
        for k in 0..<spikes.count {
            let g = Int(spikes.neurons[k])
            let p = Int(plan.populationOfNeuron[g])
            if local.contains(plan.owner(of: g - plan.populationOffsets[p], population: p)) {
                times.append(spikes.times[k])
                neurons.append(spikes.neurons[k])
            }
        }
        spikes.removeAll()
        agreedStop = times.withUnsafeBufferPointer { t in
            neurons.withUnsafeBufferPointer { n in
                exchange.exchange(times: t, neurons: n, stop: shouldStop()) { rt, rn in
                    for k in 0..<rt.count { spikes.append(time: rt[k], neuron: rn[k]) }
                }
            }
        }
        guard !partitions.membraneSamplers.isEmpty || !partitions.weightSamplers.isEmpty, sampleCount > 0 else { return }
        var bytes: [UInt8] = []
        for k in partitions.local {
            for s in partitions.partitions[k].membraneSamples {
                MembraneSample.encode(partition: k, s, into: &bytes)
            }
        }
        // STDP weight samples: each partition samples the synapses onto its own targets.
        var weights: [UInt8] = []
        for k in partitions.local {
            for s in partitions.partitions[k].weightSamples {
                WeightSample.encode(partition: k, s, into: &weights)
            }
        }
        let gathered = exchange.gatherOnRoot(bytes)
        let gatheredWeights = partitions.weightSamplers.isEmpty ? [] : exchange.gatherOnRoot(weights)
        guard exchange.rank == 0 else { return }
        for (r, part) in gathered.enumerated() where r != 0 {
            MembraneSample.decode(part) { k, s in partitions.partitions[k].membraneSamples.append(s) }
        }
        for (r, part) in gatheredWeights.enumerated() where r != 0 {
            WeightSample.decode(part) { k, s in partitions.partitions[k].weightSamples.append(s) }
        }
    }
}

/// A sample sent to rank 0 at the window's end: 40 bytes, little-endian: partition, sample, sampler,
/// the synapse or neuron (Int64 each), the value (its Float64 bits).
protocol ExchangedSample {
    var sample: Int { get }
    var sampler: Int { get }
    var item: Int { get }
    var value: Double { get }
    init(sample: Int, sampler: Int, item: Int, value: Double)
}

extension ExchangedSample {
    static func encode(partition: Int, _ s: Self, into bytes: inout [UInt8]) {
        for v in [Int64(partition), Int64(s.sample), Int64(s.sampler), Int64(s.item), Int64(bitPattern: s.value.bitPattern)] {
            withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
        }
    }

    static func decode(_ bytes: [UInt8], _ each: (Int, Self) -> Void) {
        bytes.withUnsafeBytes { raw in
            var at = 0
            func next() -> Int64 {
                defer { at += 8 }
                return Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self))
            }
            while at + 40 <= raw.count {
                let k = Int(next()), sample = Int(next()), sampler = Int(next()), item = Int(next())
                let value = Double(bitPattern: UInt64(bitPattern: next()))
                each(k, Self(sample: sample, sampler: sampler, item: item, value: value))
            }
        }
    }
}

extension WeightSample: ExchangedSample {
    var item: Int { synapse }
    var value: Double { weight }
    init(sample: Int, sampler: Int, item: Int, value: Double) {
        self.init(sample: sample, sampler: sampler, synapse: item, weight: value)
    }
}

extension MembraneSample: ExchangedSample {
    var item: Int { neuron }
    var value: Double { potential }
    init(sample: Int, sampler: Int, item: Int, value: Double) {
        self.init(sample: sample, sampler: sampler, neuron: item, potential: value)
    }
}
