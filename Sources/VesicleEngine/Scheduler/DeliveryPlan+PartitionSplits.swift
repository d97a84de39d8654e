/// Where each partition's targets start in every row, computed once when the partitions are made
/// (docs/DESIGN.md, The partition and the protocol): on several partitions every delivery's owned sub-range of a row
/// was found by bisecting the row's targets (`Partitions.firstIndex`), whose probes land on lines of
/// the row that are not yet in the cache, one dependent miss after another, for every delivered row
/// part on every partition (measured 2026-12-03: 4.5 % of a 2-thread Bayesian Brunel run's samples,
/// the bisection's compare after its load; docs/DESIGN.md, A partition's part of a row). The table holds the same indices the
/// bisection gives, so deliveries are unchanged.

extension DeliveryPlan {
    /// Per row of one member, the offset in the member's part of the row of the first synapse whose
    /// target is at least partition b's first neuron, for the boundaries b the local partitions need
    /// (`boundaries`: partition k reads b = k and b = k + 1; b = 0 and b = P are the part's ends).
    struct PartitionSplits {
        let offsets: UnsafeMutablePointer<UInt32>
        let boundaries: Range<Int>

        /// The offset of boundary b (in `boundaries`) in `row`'s part.
        @inline(__always)
        func start(row: Int, boundary b: Int) -> Int {
            Int(offsets[row * boundaries.count + (b - boundaries.lowerBound)])
        }

        func deallocate() { offsets.deallocate() }
    }

    /// A member's split table, or nil when bisection stays: one partition, a target that takes no
    /// input, rows not sorted by target (`fixed_outdegree` gathers), or a table that would exceed an
    /// eighth of the member's target indices (4 bytes a row and boundary, against 4 a synapse: many
    /// threads over short rows).
    /// - Complexity: O(rows * boundaries * log(row length)) at the partitions' creation.
    func splits(of member: Member, rows: Int, local: Range<Int>) -> PartitionSplits? {
        guard partitionCount > 1, member.sortedByTarget, member.target != nil, rows > 0 else { return nil }
        let boundaries = max(1, local.lowerBound)..<min(partitionCount, local.upperBound + 1)
        guard !boundaries.isEmpty else { return nil }
        var synapses = 0
        for row in 0..<rows { synapses += member.synapses(ofRow: row).count }
        guard rows * boundaries.count * 8 <= synapses else { return nil }
        let offsets = UnsafeMutablePointer<UInt32>.allocate(capacity: rows * boundaries.count)
        let starts = boundaries.map { partition($0, of: member.targetPopulation).lowerBound }
        var e = 0
        for row in 0..<rows {
            let part = member.synapses(ofRow: row)
            for bound in starts {
                let first = Partitions.firstIndex(in: member.targets, part, notBelow: bound)
                offsets[e] = UInt32(first - part.lowerBound)
                e += 1
            }
        }
        return PartitionSplits(offsets: offsets, boundaries: boundaries)
    }
}
