import VesicleModel
import VesicleRandom

// A Bayesian projection's state (docs/CHECKPOINT.md, Bayesian projections): its posterior table and
// every row's spike ordinal per delay (the releases are drawn from counters, docs/DESIGN.md,
// Randomness, so the ordinals are all the random state there is). Rows are independent of the
// partitioning, so the state is too.
extension BayesianProjection {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("bayesian")
        table.encode(into: &encoder)
        encoder.int(rowCount)
        encoder.int(delaySlots)
        for i in 0..<rowCount * delaySlots { encoder.u32(ordinals[i]) }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("bayesian")
        try table.restore(from: &decoder)
        try CheckpointDecoder.require(try decoder.int(), equals: rowCount, "Bayesian rows")
        try CheckpointDecoder.require(try decoder.int(), equals: delaySlots, "Bayesian delays per row")
        for i in 0..<rowCount * delaySlots { ordinals[i] = try decoder.u32() }
    }
}

// An MPI rank's part of a Bayesian projection (`layout`: its own targets' synapses of every row,
// docs/CHECKPOINT.md, On ranks) writes the one-process section through rank spans: its synapses'
// posteriors at their whole-build indices, every row's time and spike ordinals (per delay of the
// whole build: `wholeSteps`, the ranks' united delay steps) as their largest over the ranks (a rank
// counts only the deliveries of parts it holds a synapse of; every rank that holds one counts every
// delivery of it, as the whole build does), and each row's shared posterior from the rank holding
// the whole row's first synapse. It restores from the one-process section, keeping its own synapses.
extension BayesianProjection {
    /// Where the held synapses sit in the whole build, in held order (runs of consecutive whole
    /// indices: one per part of a row the rank holds), and the rows whose shared posterior this
    /// rank writes: those whose whole first synapse (for a row without synapses, the next row's; past
    /// the last synapse, rank 0's) it holds. `synapses` is the held table.
    /// - Complexity: O(held synapses + rows).
    func partPlacement(in synapses: SynapseTable, isRoot: Bool) -> (runs: [(start: Int, length: Int)], ownedRows: [(start: Int, length: Int)]) {
        guard let layout else { return ([], []) }
        var runs: [(start: Int, length: Int)] = []
        var holdsFirst = [Bool](repeating: false, count: rowCount)
        for row in 0..<rowCount {
            var first = true
            forEachSynapse(ofRow: row, in: synapses) { _, whole in
                if first { holdsFirst[row] = whole == layout.wholeRowStart[row]; first = false }
                if let last = runs.last, last.start + last.length == whole {
                    runs[runs.count - 1].length += 1
                } else {
                    runs.append((whole, 1))
                }
            }
        }
        var owns = isRoot
        var ownedRows: [(start: Int, length: Int)] = []
        for row in (0..<rowCount).reversed() {
            if layout.wholeRowStart[row] < layout.wholeRowStart[row + 1] { owns = holdsFirst[row] }
            guard owns else { continue }
            if let last = ownedRows.last, last.start == row + 1 {
                ownedRows[ownedRows.count - 1] = (row, last.length + 1)
            } else {
                ownedRows.append((row, 1))
            }
        }
        return (runs, ownedRows.reversed())
    }

    /// The held table's delay steps, ascending (its slots; empty with a uniform delay).
    private func heldSteps(_ synapses: SynapseTable) -> [UInt16] {
        synapses.uniformDelay == nil ? Array(Set(synapses.delaySteps)).sorted() : []
    }

    /// For each of the whole build's delay slots (`wholeSteps`, empty for a uniform delay), this
    /// rank's slot of the same step, or nil when it holds no synapse of that step.
    private func heldSlots(wholeSteps: [UInt16], _ synapses: SynapseTable) -> [Int?] {
        if wholeSteps.isEmpty { return [0] }
        let held = heldSteps(synapses)
        var slotOf: [UInt16: Int] = [:]
        for (k, e) in held.enumerated() { slotOf[e] = k }
        return wholeSteps.map { slotOf[$0] }
    }

    /// - Complexity: O(held synapses + rows x whole delays).
    func encodePartCheckpoint(into encoder: inout CheckpointEncoder, synapses: SynapseTable, wholeSteps: [UInt16], isRoot: Bool) {
        let placement = partPlacement(in: synapses, isRoot: isRoot)
        encoder.section("bayesian")
        table.encodePart(into: &encoder, wholeSynapseCount: wholeSynapseCount, runs: placement.runs, ownedRows: placement.ownedRows)
        let slots = heldSlots(wholeSteps: wholeSteps, synapses)
        encoder.int(rowCount)
        encoder.int(slots.count)
        encoder.rankMaximum(width: 4) { encoder in
            for row in 0..<rowCount {
                for slot in slots { encoder.u32(slot.map { ordinals[row * delaySlots + $0] } ?? 0) }
            }
        }
    }

    /// - Complexity: O(whole synapses + rows x whole delays).
    func restorePartCheckpoint(from decoder: inout CheckpointDecoder, synapses: SynapseTable, wholeSteps: [UInt16]) throws {
        let placement = partPlacement(in: synapses, isRoot: false)
        try decoder.section("bayesian")
        try table.restorePart(from: &decoder, wholeSynapseCount: wholeSynapseCount, runs: placement.runs)
        let slots = heldSlots(wholeSteps: wholeSteps, synapses)
        try CheckpointDecoder.require(try decoder.int(), equals: rowCount, "Bayesian rows")
        try CheckpointDecoder.require(try decoder.int(), equals: slots.count, "Bayesian delays per row")
        for row in 0..<rowCount {
            for slot in slots {
                let ordinal = try decoder.u32()
                if let slot { ordinals[row * delaySlots + slot] = ordinal }
            }
        }
    }
}
