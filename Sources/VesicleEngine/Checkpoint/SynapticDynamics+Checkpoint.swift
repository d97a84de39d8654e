import VesicleModel

// STDP and short-term plasticity in a checkpoint (docs/CHECKPOINT.md). At a window boundary an STDP
// projection holds its exact weights, each synapse's cursor into its target's post events, the
// presynaptic traces, each target's post state and history ring (all on the scaled clock of
// `epoch`), and the post events queued but not yet applied; short-term plasticity holds (u, x) and
// the last delivery per row. The weights are the projection's, whatever `record weights` samples.
// State kept per partition (the rows' K+ and u, x, last delivery; the post-event queues) is written
// once, partition-free: a row's value from the partition that holds its first synapse, the queues
// merged by target, then synapse time; a restore on any partition count copies it back into every
// partition (`SynapticDynamics.partition`), so the checkpoint does not depend on the thread count.
//
// On MPI ranks (docs/CHECKPOINT.md, On ranks) every rank holds the whole tables but updates only the
// synapses onto its own targets (one block per population) and keeps only their post state and
// events; each writes the one-process encoding through rank spans that rank 0 merges: the weights
// and cursors of its own targets' synapses and the rows whose first synapse's target it owns placed
// at their indices (`rankScattered`: they interleave over the ranks within each row), its targets'
// post states, history rings and pending events as its part of the target-ordered lists
// (`rankPart`, with the event count and the sweeps as `rankSum`). The merged payload is the
// one-process payload byte for byte.

extension STDPProjection {
    /// `onRanks`: write the rank spans (an MPI rank's share); `isRoot`: rank 0 (or one process).
    /// - Complexity: O(synapses + sources + 64 targets + pending post events log events).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder, onRanks: Bool, isRoot: Bool) {
        encoder.section("stdp")
        encoder.string(name)
        encoder.double(epoch)
        // Each rank's sweeps of its own targets; the restored count once, from rank 0.
        encoder.rankSum(isRoot ? sweptSynapses : sweptSynapses - sweptAtRestore)
        if onRanks {
            let runs = heldSynapseRuns()
            encoder.int(synapseCount)
            encoder.rankScattered(count: synapseCount, width: 8, runs: runs) { encoder in
                for run in runs { encoder.rawDoubles(UnsafeBufferPointer(start: weights + run.start, count: run.length)) }
            }
            encoder.int(synapseCount)
            encoder.rankScattered(count: synapseCount, width: 1, runs: runs) { encoder in
                for run in runs { encoder.rawBytes(UnsafeBufferPointer(start: cursor + run.start, count: run.length)) }
            }
            let rows = heldRowRuns(), traces = canonicalPreTraces()
            encoder.int(sourceCount)
            encoder.rankScattered(count: sourceCount, width: 8, runs: rows) { encoder in
                traces.withUnsafeBufferPointer { all in
                    for run in rows { encoder.rawDoubles(UnsafeBufferPointer(rebasing: all[run.start..<(run.start + run.length)])) }
                }
            }
        } else {
            encoder.doubles(UnsafeBufferPointer(start: weights, count: synapseCount))
            encoder.u8s(UnsafeBufferPointer(start: cursor, count: synapseCount))
            encoder.doubles(canonicalPreTraces())
        }
        let held = heldTargets
        encoder.int(targetCount)
        encoder.rankPart { encoder in
            for j in held {
                let state = post[j]
                encoder.double(state.trace)
                encoder.double(state.traceBefore)
                encoder.double(state.lastEvent)
                encoder.u32(state.count)
                encoder.u32(state.base)
                encoder.double(state.recent.0)
                encoder.double(state.recent.1)
                encoder.double(state.recent.2)
                encoder.double(state.recent.3)
            }
        }
        encoder.int(targetCount * Self.capacity)
        encoder.rankPart { encoder in
            encoder.rawDoubles(UnsafeBufferPointer(start: history + held.lowerBound * Self.capacity, count: held.count * Self.capacity))
        }
        // By target, then time: each rank's events are those of its own targets (`pendingEventsByTarget`).
        let events = pendingEventsByTarget
        encoder.rankSum(events.count)
        encoder.rankPart { encoder in for e in events { encoder.double(e.s) } }
        encoder.rankSum(events.count)
        encoder.rankPart { encoder in for e in events { encoder.u32(e.neuron) } }
    }

    /// Reads the one-process encoding (written on any rank count); on a rank keeps its own targets'
    /// post state and history (the others stay empty, as a rank's run leaves them) and its own
    /// targets' pending events, and every synapse's weight and cursor and every row's K+.
    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("stdp")
        let found = try decoder.string()
        guard found == name else { throw CheckpointError("STDP projection '\(found)' where this network has '\(name)'") }
        epoch = try decoder.double()
        restoreSweptCount(try decoder.int())
        try decoder.doubles(into: weights, expected: synapseCount, "\(name) weights")
        try decoder.u8s(into: cursor, expected: synapseCount, "\(name) cursors")
        let traces = try decoder.doubles("\(name) presynaptic traces")
        try CheckpointDecoder.require(traces.count, equals: sourceCount, "\(name) presynaptic traces")
        try CheckpointDecoder.require(try decoder.int(), equals: targetCount, "\(name) targets")
        let held = heldTargets
        for j in 0..<targetCount {
            var state = STDPPostState()
            state.trace = try decoder.double()
            state.traceBefore = try decoder.double()
            state.lastEvent = try decoder.double()
            state.count = try decoder.u32()
            state.base = try decoder.u32()
            guard state.count &- state.base <= UInt32(Self.capacity) else {
                throw CheckpointError("\(name): target \(j) holds \(state.count &- state.base) post events, more than the history's \(Self.capacity)")
            }
            state.recent = (try decoder.double(), try decoder.double(), try decoder.double(), try decoder.double())
            if held.contains(j) { post[j] = state }
        }
        try decoder.doubles(into: history, expected: targetCount * Self.capacity,
                            keeping: held.lowerBound * Self.capacity..<held.upperBound * Self.capacity, "\(name) history")
        let pendingS = try decoder.doubles("\(name) pending post events")
        let pendingNeuron = try decoder.u32s(expected: pendingS.count, "\(name) pending post neurons")
        for j in pendingNeuron where Int(j) >= targetCount {
            throw CheckpointError("\(name): a pending post event of neuron \(j), beyond its \(targetCount) targets")
        }
        restore(preTraces: traces, pending: zip(pendingS, pendingNeuron).map { (s: $0, neuron: $1) })
    }
}

extension ShortTermPlasticity {
    /// `onRanks`: write each list's rows this rank holds the value of, for rank 0 to place.
    /// - Complexity: O(rows).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder, onRanks: Bool) {
        encoder.section("short_term")
        encoder.string(name)
        let rows = onRanks ? heldRowRuns() : []
        for p in [u, x, lastDelivery] {
            let values = canonical(p)
            guard onRanks else {
                encoder.doubles(values)
                continue
            }
            encoder.int(rowCount)
            encoder.rankScattered(count: rowCount, width: 8, runs: rows) { encoder in
                values.withUnsafeBufferPointer { all in
                    for run in rows { encoder.rawDoubles(UnsafeBufferPointer(rebasing: all[run.start..<(run.start + run.length)])) }
                }
            }
        }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("short_term")
        let found = try decoder.string()
        guard found == name else { throw CheckpointError("short-term projection '\(found)' where this network has '\(name)'") }
        for (p, what) in [(u, "u"), (x, "x"), (lastDelivery, "last deliveries")] {
            let values = try decoder.doubles("\(name) \(what)")
            try CheckpointDecoder.require(values.count, equals: rowCount, "\(name) \(what)")
            for k in 0..<partitionCount { (p + k * rowCount).update(from: values, count: rowCount) }
        }
    }
}

extension SynapticDynamics {
    /// `onRanks`, `isRoot`: as for `STDPProjection.encodeCheckpoint`.
    func encodeCheckpoint(into encoder: inout CheckpointEncoder, onRanks: Bool = false, isRoot: Bool = true) {
        encoder.section("synaptic_dynamics")
        encoder.int(stdp.count)
        for p in stdp { p.encodeCheckpoint(into: &encoder, onRanks: onRanks, isRoot: isRoot) }
        encoder.int(shortTerm.count)
        for p in shortTerm { p.encodeCheckpoint(into: &encoder, onRanks: onRanks) }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("synaptic_dynamics")
        try CheckpointDecoder.require(try decoder.int(), equals: stdp.count, "STDP projections")
        for p in stdp { try p.restoreCheckpoint(from: &decoder) }
        try CheckpointDecoder.require(try decoder.int(), equals: shortTerm.count, "short-term projections")
        for p in shortTerm { try p.restoreCheckpoint(from: &decoder) }
        for k in nextEventTime.indices {
            nextEventTime[k] = stdp.map { $0.nextEventTime(partition: k) }.min() ?? .infinity
        }
    }
}
