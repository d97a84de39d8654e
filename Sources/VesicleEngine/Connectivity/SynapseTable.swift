/// The synapses of one projection in compressed rows by presynaptic neuron, structure-of-arrays.
///
/// Memory per static synapse: 4 bytes (target index), plus 4 (Float32 weight) only if the weights are
/// not all equal, plus 2 (delay in steps of the delay resolution) only if the delays are not all
/// equal. A projection with a constant weight and delay costs 4 bytes per synapse. Uniform weights
/// and delays are kept as exact Doubles; per-synapse weights are rounded to Float32 (relative error
/// at most 6e-8, far below any biological precision).
public struct SynapseTable: Sendable {
    /// Synapses of local source neuron i are rowStart[i] ..< rowStart[i + 1].
    public internal(set) var rowStart: [Int]
    /// Local index of the target neuron in the target population.
    public internal(set) var targets: [UInt32]
    public internal(set) var uniformWeight: Double?
    public internal(set) var weights: [Float]
    public internal(set) var uniformDelay: Double?
    /// Per-synapse delay in units of `delayResolution`; each row is sorted by it.
    public internal(set) var delaySteps: [UInt16]
    public let delayResolution: Double

    public var synapseCount: Int { targets.count }
    public var sourceCount: Int { rowStart.count - 1 }

    /// Bytes of per-synapse storage (excluding the per-source row index).
    public var bytesPerSynapse: Int {
        4 + (uniformWeight == nil ? 4 : 0) + (uniformDelay == nil ? 2 : 0)
    }

    public var storageBytes: Int {
        targets.count * bytesPerSynapse + rowStart.count * MemoryLayout<Int>.stride
    }

    @inline(__always)
    public func weight(at k: Int) -> Double { uniformWeight ?? Double(weights[k]) }

    @inline(__always)
    public func delay(at k: Int) -> Double { uniformDelay ?? Double(delaySteps[k]) * delayResolution }

    /// The distinct delays used by this table, ascending.
    public var distinctDelays: [Double] {
        if let d = uniformDelay { return [d] }
        return distinctDelaySteps.map { Double($0) * delayResolution }
    }

    /// The sub-range of row `source` whose delay is `steps` (rows are sorted by delay step).
    @inline(__always)
    func range(ofRow source: Int, delaySteps steps: UInt16) -> Range<Int> {
        Self.range(in: rowStart[source]..<rowStart[source + 1], delaySteps: steps) { delaySteps[$0] }
    }

    /// The sub-range of `row` (sorted by delay step, `step(k)` giving synapse k's) whose step is `steps`.
    @inline(__always)
    static func range(in row: Range<Int>, delaySteps steps: UInt16, _ step: (Int) -> UInt16) -> Range<Int> {
        var a = row.lowerBound, b = row.upperBound
        while a < b {
            let m = (a + b) / 2
            if step(m) < steps { a = m + 1 } else { b = m }
        }
        var e = a
        while e < row.upperBound && step(e) == steps { e += 1 }
        return a..<e
    }
}
