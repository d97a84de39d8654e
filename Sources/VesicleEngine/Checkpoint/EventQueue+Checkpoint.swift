import VesicleModel

// The spikes in flight (docs/CHECKPOINT.md, Queue): every queued delivery in the documented order
// (`SpikeDelivery.precedes`, a total order), so the encoding does not depend on the heap's layout;
// restoring pushes them into an empty queue, which then pops them in the same order.
extension BinaryHeapQueue {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("queue")
        let ordered = storage.sorted(by: SpikeDelivery.precedes)
        encoder.int(ordered.count)
        for d in ordered {
            encoder.double(d.time)
            encoder.u32(d.source)
            encoder.u32(d.delayClass)
        }
    }

    /// The queue a checkpoint holds; sources and delay classes must lie in the network.
    static func restoredFromCheckpoint(_ decoder: inout CheckpointDecoder, neurons: Int, delayClasses: (Int) -> Int)
        throws -> BinaryHeapQueue {
        try decoder.section("queue")
        let n = try decoder.int()
        guard n >= 0 else { throw CheckpointError("negative queue length \(n)") }
        var queue = BinaryHeapQueue()
        queue.storage.reserveCapacity(n)
        for _ in 0..<n {
            let d = SpikeDelivery(time: try decoder.double(), source: try decoder.u32(), delayClass: try decoder.u32())
            guard Int(d.source) < neurons, Int(d.delayClass) < delayClasses(Int(d.source)) else {
                throw CheckpointError("a queued spike of neuron \(d.source), delay class \(d.delayClass), lies outside this network")
            }
            queue.push(d)
        }
        return queue
    }
}
