import VesicleKernels
import VesicleModel

// Kernel-driven projections in a checkpoint (docs/CHECKPOINT.md). Between windows a projection
// holds the grid steps handed out and convolved, its synaptic event count, its ring of future
// currents (direct path) or future binned arrivals (FFT path), the FFT path's overlap-save history
// (the last K - 1 inputs of every target) and, when it runs ahead of the simulation, the currents
// computed ahead and the private copy of its source. The schedule holds each target's last current.
// The two paths agree to rounding only, so a checkpoint holds each projection's path, the resume
// builds the projection on it, and a checkpoint whose path differs from the network's is refused.

extension KernelCurrentProjection {
    var pathName: String { usesFFT ? "fft" : "direct" }

    /// - Complexity: O(targets x ring length + currents held ahead).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("kernel")
        encoder.string(name)
        encoder.string(pathName)
        encoder.int(servedSteps)
        encoder.int(firstPendingStep)
        encoder.int(events)
        encoder.doubles(ring)
        if let convolver {
            let state = convolver.checkpointState
            encoder.doubles(state.history)
            encoder.int(state.segments)
            encoder.int(state.inPlaceSegments)
        }
        encoder.doubles(ahead)
        encoder.int(aheadStart)
        encoder.bool(lookahead != nil)
        lookahead?.encodeCheckpoint(into: &encoder)
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("kernel")
        let found = try decoder.string()
        guard found == name else { throw CheckpointError("kernel projection '\(found)' where this network has '\(name)'") }
        let path = try decoder.string()
        guard path == pathName else {
            throw CheckpointError("kernel projection '\(name)' convolved on the \(path) path when the checkpoint was written, on the \(pathName) path now; the two agree to rounding only (resume with --kernel-path \(path))")
        }
        servedSteps = try decoder.int()
        firstPendingStep = try decoder.int()
        events = try decoder.int()
        guard servedSteps >= 0, firstPendingStep >= servedSteps, events >= 0 else {
            throw CheckpointError("kernel projection '\(name)': steps \(servedSteps), \(firstPendingStep), events \(events)")
        }
        ring = try decoder.doubles(expected: ring.count, "\(name) future currents")
        if let convolver {
            let history = try decoder.doubles("\(name) convolution history")
            let segments = try decoder.int(), inPlace = try decoder.int()
            guard convolver.restore(history: history, segments: segments, inPlaceSegments: inPlace) else {
                throw CheckpointError("kernel projection '\(name)': a convolution history of \(history.count) values does not fit its kernel")
            }
        }
        ahead = try decoder.doubles("\(name) currents ahead")
        aheadStart = try decoder.int()
        guard ahead.count == targetCount * (firstPendingStep - aheadStart) || (ahead.isEmpty && lookahead == nil) else {
            throw CheckpointError("kernel projection '\(name)': \(ahead.count) currents ahead do not fit steps \(aheadStart)..<\(firstPendingStep)")
        }
        guard try decoder.bool() == (lookahead != nil) else {
            throw CheckpointError("kernel projection '\(name)': running ahead in one of the checkpoint and the network only")
        }
        try lookahead?.restoreCheckpoint(from: &decoder)
    }
}

extension KernelCurrentSchedule {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("kernels")
        encoder.int(projections.count)
        for (q, p) in projections.enumerated() {
            p.encodeCheckpoint(into: &encoder)
            encoder.doubles(previous[q])
        }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("kernels")
        try CheckpointDecoder.require(try decoder.int(), equals: projections.count, "kernel projections")
        for (q, p) in projections.enumerated() {
            try p.restoreCheckpoint(from: &decoder)
            previous[q] = try decoder.doubles(expected: p.targetCount, "\(p.name) currents")
        }
    }
}
