/// The synapses of one projection grouped by postsynaptic neuron: the transpose of its `SynapseTable`
/// (rows by presynaptic neuron), built once.
///
/// The Synaptic Filter (docs/MODEL.md §5) updates every plastic synapse onto neuron n from that neuron's
/// own spikes, once per step, so each step walks this index: O(plastic synapses) per step. Within a
/// postsynaptic neuron the entries are in ascending presynaptic order (then table order), which is
/// the input order of the single-neuron experiment, so sums over a neuron's inputs are formed in the
/// same order there and here. The learner keeps its per-synapse state in entry order, so that both
/// passes of a step read it sequentially.
final class IncomingSynapseIndex {
    let targetCount: Int
    let entryCount: Int
    /// Entries of postsynaptic neuron n are `postStart[n] ..< postStart[n + 1]`.
    let postStart: UnsafeMutablePointer<Int>
    /// Synapse id (index into the projection's `SynapseTable`) of each entry.
    let synapse: UnsafeMutablePointer<UInt32>
    /// Local presynaptic neuron of each entry.
    let presynaptic: UnsafeMutablePointer<UInt32>
    /// The entry of each synapse id (the inverse of `synapse`).
    let entryOfSynapse: UnsafeMutablePointer<UInt32>

    init(_ table: SynapseTable, targetCount: Int) {
        self.targetCount = targetCount
        entryCount = table.synapseCount
        postStart = .allocate(capacity: targetCount + 1)
        postStart.initialize(repeating: 0, count: targetCount + 1)
        for target in table.targets { postStart[Int(target) + 1] += 1 }
        for n in 0..<targetCount { postStart[n + 1] += postStart[n] }
        var fill = Array(UnsafeBufferPointer(start: postStart, count: targetCount))
        synapse = .allocate(capacity: max(entryCount, 1))
        presynaptic = .allocate(capacity: max(entryCount, 1))
        entryOfSynapse = .allocate(capacity: max(entryCount, 1))
        for row in 0..<table.sourceCount {
            for k in table.rowStart[row]..<table.rowStart[row + 1] {
                let n = Int(table.targets[k])
                let e = fill[n]
                synapse[e] = UInt32(k)
                presynaptic[e] = UInt32(row)
                entryOfSynapse[k] = UInt32(e)
                fill[n] += 1
            }
        }
    }

    deinit {
        postStart.deallocate()
        synapse.deallocate()
        presynaptic.deallocate()
        entryOfSynapse.deallocate()
    }

    /// Bytes of the index per synapse (synapse id, presynaptic neuron, inverse), excluding per-neuron starts.
    static let bytesPerSynapse = 12
}
