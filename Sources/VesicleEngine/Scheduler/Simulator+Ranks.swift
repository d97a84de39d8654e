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
        exchangeBayesianParts(exchange, sampleCount: sampleCount)
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

extension Simulator {
    /// Rank 0 receives the other ranks' release-log records and posterior samples of the Bayesian
    /// projections built in part (each rank draws and samples only its own targets' synapses of
    /// them, docs/DESIGN.md, Ranks, Bayesian rows), one list per (rank, partition), for `hand` to
    /// merge by (slot, synapse) and (sample, sampler, synapse). Projections every rank builds whole
    /// are rank 0's already and are not sent. Every rank takes the same collectives: one
    /// `MPI_Gatherv` when a projection built in part logs its releases, one more in windows with
    /// sample times when one has a posterior sampler.
    func exchangeBayesianParts(_ exchange: any SpikeExchange, sampleCount: Int) {
        let projections = network.projections
        func inPart(_ q: Int) -> Bool { projections[q].bayesian?.layout != nil }
        let parts = partitions.partitions
        if partitions.plan.logsPartialReleases {
            var bytes: [UInt8] = []
            for (k, part) in parts.enumerated() {
                for r in part.releaseLog where inPart(r.projection) { ReleaseRecord.encode(partition: k, r, into: &bytes) }
            }
            let gathered = exchange.gatherOnRoot(exchange.rank == 0 ? [] : bytes)
            if exchange.rank == 0 {
                for (rank, bytes) in gathered.enumerated() where rank != 0 {
                    var lists = [[ReleaseRecord]](repeating: [], count: parts.count)
                    ReleaseRecord.decode(bytes) { k, r in lists[k].append(r) }
                    partitions.remoteReleaseLogs.append(contentsOf: lists.filter { !$0.isEmpty })
                }
            }
        }
        if sampleCount > 0, partitions.posteriorSamplers.contains(where: { inPart($0.projection) }) {
            var bytes: [UInt8] = []
            for (k, part) in parts.enumerated() {
                for p in part.posteriorSamples where inPart(partitions.posteriorSamplers[p.sampler].projection) {
                    PosteriorSample.encode(partition: k, p, into: &bytes)
                }
            }
            let gathered = exchange.gatherOnRoot(exchange.rank == 0 ? [] : bytes)
            if exchange.rank == 0 {
                for (rank, bytes) in gathered.enumerated() where rank != 0 {
                    var lists = [[PosteriorSample]](repeating: [], count: parts.count)
                    PosteriorSample.decode(bytes) { k, p in lists[k].append(p) }
                    partitions.remotePosteriorSamples.append(contentsOf: lists.filter { !$0.isEmpty })
                }
            }
        }
    }
}

extension ReleaseRecord {
    /// 80 bytes, little-endian: partition, slot, projection, synapse, pre, post (Int64 each), time,
    /// amplitude, mu, sigma2 (Float64 bits).
    static func encode(partition: Int, _ r: ReleaseRecord, into bytes: inout [UInt8]) {
        for v in [Int64(partition), Int64(r.slot), Int64(r.projection), Int64(r.synapse), Int64(r.pre), Int64(r.post)] {
            withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
        }
        for v in [r.time, r.amplitude, r.mu, r.sigma2] {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
    }

    static func decode(_ bytes: [UInt8], _ each: (Int, ReleaseRecord) -> Void) {
        bytes.withUnsafeBytes { raw in
            var at = 0
            func next() -> UInt64 {
                defer { at += 8 }
                return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            }
            while at + 80 <= raw.count {
                let k = Int(Int64(bitPattern: next())), slot = Int(Int64(bitPattern: next()))
                let projection = Int(Int64(bitPattern: next())), synapse = Int(Int64(bitPattern: next()))
                let pre = Int(Int64(bitPattern: next())), post = Int(Int64(bitPattern: next()))
                let time = Double(bitPattern: next()), amplitude = Double(bitPattern: next())
                let mu = Double(bitPattern: next()), sigma2 = Double(bitPattern: next())
                each(k, ReleaseRecord(slot: slot, projection: projection, synapse: synapse, pre: pre, post: post, time: time,
                                      amplitude: amplitude, mu: mu, sigma2: sigma2))
            }
        }
    }
}

extension PosteriorSample {
    /// 48 bytes, little-endian: partition, sample, sampler, synapse (Int64 each), mu, sigma2 (Float64 bits).
    static func encode(partition: Int, _ p: PosteriorSample, into bytes: inout [UInt8]) {
        for v in [Int64(partition), Int64(p.sample), Int64(p.sampler), Int64(p.synapse)] {
            withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
        }
        for v in [p.mu, p.sigma2] { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    }

    static func decode(_ bytes: [UInt8], _ each: (Int, PosteriorSample) -> Void) {
        bytes.withUnsafeBytes { raw in
            var at = 0
            func next() -> UInt64 {
                defer { at += 8 }
                return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            }
            while at + 48 <= raw.count {
                let k = Int(Int64(bitPattern: next())), sample = Int(Int64(bitPattern: next()))
                let sampler = Int(Int64(bitPattern: next())), synapse = Int(Int64(bitPattern: next()))
                let mu = Double(bitPattern: next()), sigma2 = Double(bitPattern: next())
                each(k, PosteriorSample(sample: sample, sampler: sampler, synapse: synapse, mu: mu, sigma2: sigma2))
            }
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
