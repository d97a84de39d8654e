/// The synapses of one projection grouped by postsynaptic neuron: the transpose of its `SynapseTable`
/// (rows by presynaptic neuron), built once.
///
/// The Synaptic Filter (MODEL.md §5) updates every plastic synapse onto neuron n from that neuron's
/// own spikes, once per step, so each step walks this index: O(plastic synapses) per step. Within a
/// postsynaptic neuron the synapses are in ascending presynaptic order (then table order), which is
/// the input order of the single-neuron experiment, so sums over a neuron's inputs are formed in the
/// same order there and here.
struct IncomingSynapseIndex {
    /// Entries of postsynaptic neuron n are `postStart[n] ..< postStart[n + 1]`.
    let postStart: [Int]
    /// Synapse id (index into the projection's `SynapseTable`) of each entry.
    let synapse: [UInt32]
    /// Local presynaptic neuron of each entry.
    let presynaptic: [UInt32]

    init(_ table: SynapseTable, targetCount: Int) {
        var start = [Int](repeating: 0, count: targetCount + 1)
        for target in table.targets { start[Int(target) + 1] += 1 }
        for n in 0..<targetCount { start[n + 1] += start[n] }
        var fill = start
        var synapse = [UInt32](repeating: 0, count: table.synapseCount)
        var presynaptic = [UInt32](repeating: 0, count: table.synapseCount)
        for row in 0..<table.sourceCount {
            for k in table.rowStart[row]..<table.rowStart[row + 1] {
                let n = Int(table.targets[k])
                synapse[fill[n]] = UInt32(k)
                presynaptic[fill[n]] = UInt32(row)
                fill[n] += 1
            }
        }
        postStart = start
        self.synapse = synapse
        self.presynaptic = presynaptic
    }

    var entryCount: Int { synapse.count }

    /// Bytes of the index per synapse (synapse id and presynaptic neuron), excluding per-neuron starts.
    static let bytesPerSynapse = 8
}
