import VesicleModel

/// Where a rank's own synapses of a Bayesian projection built in part sit in the whole build's rows
/// (docs/DESIGN.md, Ranks, Bayesian rows). A release is keyed by (row, spike ordinal, offset of the
/// part in the row) and a part's normals are generated along the whole part, so a rank that holds
/// only its own targets' synapses of a row must know, for each row and delay it holds: the whole
/// part's offset in the whole row, how many of the whole part's synapses precede its own, and the
/// whole part's length; and for the release log and posterior traces, which report the whole
/// build's synapse indices, where each whole row starts.
///
/// Rows list their synapses by delay step, then ascending target (docs/DESIGN.md, Random keys), so
/// a rank's targets, one contiguous block, are one contiguous run of each whole part, and these
/// three numbers place it.
final class BayesianRowLayout {
    /// The whole build's row starts (sources + 1): whole synapse index of row r's first synapse.
    let wholeRowStart: [Int]
    /// Entry r * slots + slot: the whole part's first synapse's position in row r, the number of
    /// its synapses before the rank's own, and its length (slots are the held table's delay slots,
    /// `BayesianProjection.delaySlots`).
    let partOffset: UnsafeMutablePointer<Int32>
    let partSkip: UnsafeMutablePointer<Int32>
    let partLength: UnsafeMutablePointer<Int32>
    let slots: Int
    let rowCount: Int
    /// With `wholeDelays` (a projection whose releases bring a row's stored posteriors up to date,
    /// `release = mean`, with per-synapse delays), bit row * wholeStepWidth + e (in 64-bit words)
    /// says whether the whole build's row has a synapse of delay step e, held by any rank: one
    /// process brings the row up to date at exactly those deliveries of it, so a rank does too, also
    /// at those where it holds none of that delay's synapses (`BayesianProjection.relaxWithoutHeldPart`);
    /// nil otherwise.
    private let wholeDelayBits: UnsafeMutablePointer<UInt64>?
    /// The largest delay step of the whole build plus 1 (0 without `wholeDelayBits`).
    private let wholeStepWidth: Int

    /// Whether the layout knows the whole rows' delays (`wholeDelayBits`).
    var knowsWholeRowDelays: Bool { wholeDelayBits != nil }

    /// The whole build's synapse count.
    var wholeSynapseCount: Int { wholeRowStart.last ?? 0 }

    /// Bytes a layout holds for `rows` rows and `slots` delays: three 4-byte counts per (row, slot)
    /// and an 8-byte start per row (for `vesicle check --ranks`, `MemoryEstimate`).
    static func bytes(rows: Int, slots: Int) -> Int { 12 * rows * slots + 8 * (rows + 1) }

    /// Whether the whole build's `row` has a synapse of delay step `step` (only with
    /// `knowsWholeRowDelays`).
    /// - Complexity: O(1).
    @inline(__always)
    func wholeRowHasSynapses(_ row: Int, delaySteps step: UInt16) -> Bool {
        let e = Int(step)
        guard let bits = wholeDelayBits, e < wholeStepWidth else { return false }
        let bit = row &* wholeStepWidth &+ e
        return bits[bit >> 6] & (1 &<< UInt64(bit & 63)) != 0
    }

    /// The layout of `table`, the synapses of `builder`'s projection onto `own` (one contiguous block
    /// of target indices, as `NetworkBuilder` built it): the other targets' synapses are drawn again
    /// in blocks of `own`'s size, each counted and dropped, so the build holds at most one other
    /// block at a time (they are the whole build's, from the same per-target keys).
    /// `wholeDelays`: also record which delay steps each whole row has (`wholeDelayBits`; only with
    /// per-synapse delays).
    /// - Complexity: O(all synapses of the projection) time (`fixed_outdegree`: O(all) per block),
    ///   O(sources x delays + one block's synapses) memory, and O(sources x largest delay step)
    ///   bits with `wholeDelays`.
    init(builder: ConnectivityBuilder, own: Range<Int>, table: SynapseTable, wholeDelays: Bool = false) throws {
        let steps = table.uniformDelay == nil ? Array(Set(table.delaySteps)).sorted() : []
        let slots = max(steps.count, 1), rows = table.sourceCount
        self.slots = slots
        rowCount = rows
        var rowLength = [Int](repeating: 0, count: rows)
        var below = [Int32](repeating: 0, count: rows * slots)
        var length = [Int32](repeating: 0, count: rows * slots)
        // A synapse of step e precedes, in its row, every part of a larger step: + 1 at the first
        // such slot, summed over the slots below.
        var earlier = [Int32](repeating: 0, count: rows * (slots + 1))
        // The whole rows' delay steps, rows x width bits, widened when a block holds a larger step.
        let recordsDelays = wholeDelays && table.uniformDelay == nil
        var delayBits: [UInt64] = [], width = 0
        func record(_ t: SynapseTable) {
            guard recordsDelays, !t.delaySteps.isEmpty, let largest = t.delaySteps.max() else { return }
            if Int(largest) >= width {
                let wider = Int(largest) + 1
                var next = [UInt64](repeating: 0, count: (rows * wider + 63) / 64)
                for row in 0..<rows {
                    for e in 0..<width where delayBits[(row * width + e) >> 6] & (1 << UInt64((row * width + e) & 63)) != 0 {
                        next[(row * wider + e) >> 6] |= 1 << UInt64((row * wider + e) & 63)
                    }
                }
                delayBits = next
                width = wider
            }
            for row in 0..<rows {
                for k in t.rowStart[row]..<t.rowStart[row + 1] {
                    let bit = row * width + Int(t.delaySteps[k])
                    delayBits[bit >> 6] |= 1 << UInt64(bit & 63)
                }
            }
        }
        func count(_ t: SynapseTable, before: Bool) {
            precondition(t.sourceCount == rows, "every block's rows are the projection's sources")
            record(t)
            for row in 0..<rows {
                let lo = t.rowStart[row], hi = t.rowStart[row + 1]
                rowLength[row] += hi - lo
                if steps.isEmpty || t.delaySteps.isEmpty {
                    length[row * slots] += Int32(hi - lo)
                    if before { below[row * slots] += Int32(hi - lo) }
                    continue
                }
                for k in lo..<hi {
                    let e = t.delaySteps[k]
                    var a = 0, b = steps.count
                    while a < b {
                        let m = (a + b) >> 1
                        if steps[m] < e { a = m + 1 } else { b = m }
                    }
                    if a < steps.count && steps[a] == e {
                        length[row * slots + a] += 1
                        if before { below[row * slots + a] += 1 }
                        earlier[row * (slots + 1) + a + 1] += 1
                    } else {
                        earlier[row * (slots + 1) + a] += 1
                    }
                }
            }
        }
        // The targets below the rank's, in blocks; its own (the held table); those above, in blocks.
        let range = builder.targetRange, mine = own.clamped(to: builder.targetRange)
        let block = max(mine.count, 256)
        let lowEnd = mine.isEmpty ? range.upperBound : mine.lowerBound
        for start in stride(from: range.lowerBound, to: lowEnd, by: block) {
            count(try builder.build(targets: [start..<min(start + block, lowEnd)]), before: true)
        }
        count(table, before: false)
        if !mine.isEmpty {
            for start in stride(from: mine.upperBound, to: range.upperBound, by: block) {
                count(try builder.build(targets: [start..<min(start + block, range.upperBound)]), before: false)
            }
        }
        var starts = [0]
        starts.reserveCapacity(rows + 1)
        for row in 0..<rows { starts.append(starts[row] + rowLength[row]) }
        wholeRowStart = starts
        let n = max(rows * slots, 1)
        partOffset = .allocate(capacity: n)
        partSkip = .allocate(capacity: n)
        partLength = .allocate(capacity: n)
        for row in 0..<rows {
            var sum: Int32 = 0
            for slot in 0..<slots {
                sum += earlier[row * (slots + 1) + slot]
                partOffset[row * slots + slot] = sum
                partSkip[row * slots + slot] = below[row * slots + slot]
                partLength[row * slots + slot] = length[row * slots + slot]
            }
        }
        if rows * slots == 0 {
            partOffset.initialize(to: 0)
            partSkip.initialize(to: 0)
            partLength.initialize(to: 0)
        }
        if recordsDelays {
            let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: max(delayBits.count, 1))
            if delayBits.isEmpty { bits.initialize(to: 0) } else { bits.initialize(from: delayBits, count: delayBits.count) }
            wholeDelayBits = bits
            wholeStepWidth = width
        } else {
            wholeDelayBits = nil
            wholeStepWidth = 0
        }
    }

    deinit {
        partOffset.deallocate()
        partSkip.deallocate()
        partLength.deallocate()
        wholeDelayBits?.deallocate()
    }
}
