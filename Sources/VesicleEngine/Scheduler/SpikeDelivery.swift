/// One queued entry: a spike of `source` that arrives at `time` through the delay class `delayClass`
/// of its population (all outgoing synapses of the source that share one delay). One entry per
/// emitted spike and delay, expanded to its targets only when delivered (docs/DESIGN.md, One scheduler).
public struct SpikeDelivery: Sendable, Equatable {
    public var time: Double
    public var source: UInt32
    public var delayClass: UInt32

    @inlinable
    public init(time: Double, source: UInt32, delayClass: UInt32) {
        self.time = time
        self.source = source
        self.delayClass = delayClass
    }

    /// The documented total order: by time, then by source's global index, then by delay class.
    /// It depends on nothing but the network, so every run delivers simultaneous events alike.
    @inlinable @inline(__always)
    public static func precedes(_ a: SpikeDelivery, _ b: SpikeDelivery) -> Bool {
        if a.time != b.time { return a.time < b.time }
        if a.source != b.source { return a.source < b.source }
        return a.delayClass < b.delayClass
    }
}

extension SpikeDelivery: Comparable {
    @inlinable
    public static func < (a: SpikeDelivery, b: SpikeDelivery) -> Bool { precedes(a, b) }
}
