import VesicleModel

// STDP and short-term plasticity in a checkpoint (docs/CHECKPOINT.md). At a window boundary an STDP
// projection holds its exact weights, each synapse's cursor into its target's post events, the
// presynaptic traces, each target's post state and history ring (all on the scaled clock of
// `epoch`), and the post events queued but not yet applied; short-term plasticity holds (u, x) and
// the last delivery per row. The weights are the projection's, whatever `record weights` samples.
// State kept per partition (the rows' K+ and u, x, last delivery; the post-event queues) is written
// once, partition-free: a row's value from the partition that holds its first synapse, the queues
// merged in synapse-time order; a restore on any partition count copies it back into every
// partition (`SynapticDynamics.partition`), so the checkpoint does not depend on the thread count.

extension STDPProjection {
    /// - Complexity: O(synapses + sources + 64 targets + pending post events).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("stdp")
        encoder.string(name)
        encoder.double(epoch)
        encoder.int(sweptSynapses)
        encoder.doubles(UnsafeBufferPointer(start: weights, count: synapseCount))
        encoder.u8s(UnsafeBufferPointer(start: cursor, count: synapseCount))
        encoder.doubles(canonicalPreTraces())
        encoder.int(targetCount)
        for j in 0..<targetCount {
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
        encoder.doubles(UnsafeBufferPointer(start: history, count: targetCount * Self.capacity))
        let events = pendingEvents
        encoder.doubles(events.map(\.s))
        encoder.u32s(events.map(\.neuron)[...])
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("stdp")
        let found = try decoder.string()
        guard found == name else { throw CheckpointError("STDP projection '\(found)' where this network has '\(name)'") }
        epoch = try decoder.double()
        sweptSynapses = try decoder.int()
        try decoder.doubles(into: weights, expected: synapseCount, "\(name) weights")
        try decoder.u8s(into: cursor, expected: synapseCount, "\(name) cursors")
        let traces = try decoder.doubles("\(name) presynaptic traces")
        try CheckpointDecoder.require(traces.count, equals: sourceCount, "\(name) presynaptic traces")
        try CheckpointDecoder.require(try decoder.int(), equals: targetCount, "\(name) targets")
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
            post[j] = state
        }
        try decoder.doubles(into: history, expected: targetCount * Self.capacity, "\(name) history")
        let pendingS = try decoder.doubles("\(name) pending post events")
        let pendingNeuron = try decoder.u32s(expected: pendingS.count, "\(name) pending post neurons")
        for j in pendingNeuron where Int(j) >= targetCount {
            throw CheckpointError("\(name): a pending post event of neuron \(j), beyond its \(targetCount) targets")
        }
        restore(preTraces: traces, pending: zip(pendingS, pendingNeuron).map { (s: $0, neuron: $1) })
    }
}

extension ShortTermPlasticity {
    /// - Complexity: O(rows).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("short_term")
        encoder.string(name)
        encoder.doubles(canonical(u))
        encoder.doubles(canonical(x))
        encoder.doubles(canonical(lastDelivery))
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
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("synaptic_dynamics")
        encoder.int(stdp.count)
        for p in stdp { p.encodeCheckpoint(into: &encoder) }
        encoder.int(shortTerm.count)
        for p in shortTerm { p.encodeCheckpoint(into: &encoder) }
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
