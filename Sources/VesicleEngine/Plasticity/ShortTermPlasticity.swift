import Foundation
import VesicleModel

/// Tsodyks-Markram short-term plasticity on one projection (`TsodyksSynapseSpec`, NEST's
/// `tsodyks2_synapse`), exact between spikes.
///
/// The state (u, x) of a synapse depends only on its presynaptic spike train and the projection's
/// parameters, so every synapse of one presynaptic neuron carries the same state: it is kept once
/// per presynaptic neuron, and a delivery costs one update per row, not per synapse. The delay being
/// uniform over the projection, a row's deliveries come in the order of its spikes and their
/// intervals are the spikes' intervals.
///
/// Spike n delivers w u_n x_n (the static weight w of each synapse scaled); then
///     x_{n+1} = 1 + (x_n - u_n x_n - 1) e^(-h/tau_rec),   u_{n+1} = U + u_n (1 - U) e^(-h/tau_fac)
/// with h the interval to spike n + 1 (u_{n+1} = U when tau_fac = 0), as NEST evaluates it at the
/// next spike. The first spike uses the initial (u, x).
final class ShortTermPlasticity {
    let name: String
    let projection: Int
    let spec: TsodyksSynapseSpec
    let rowCount: Int
    /// Per partition and presynaptic neuron (partition k's copy at offset k x rowCount): u, x and
    /// the delivery time of the row's last spike (-infinity before any). Every partition holding a
    /// synapse of a row takes each of its spikes, so the copies evolve alike
    /// (`SynapticDynamics.partition`); a partition without one never reads its copy.
    /// (Set only by `partition`, outside any walk; each partition's part of the scratch is its own:
    /// no dynamic exclusivity checks.)
    @exclusivity(unchecked) private(set) var u: UnsafeMutablePointer<Double>
    @exclusivity(unchecked) private(set) var x: UnsafeMutablePointer<Double>
    @exclusivity(unchecked) private(set) var lastDelivery: UnsafeMutablePointer<Double>
    private(set) var partitionCount = 1
    /// Per row: the partition whose copy is the row's value (it holds the row's first synapse).
    private var rowOwner: [Int]
    /// The partitions this process runs (all but on an MPI rank): only their copies are current.
    private(set) var localPartitions = 0..<1
    /// Per partition: scratch amplitudes for rows with per-synapse weights.
    @exclusivity(unchecked) private var scratch: [UnsafeMutablePointer<Double>] = [.allocate(capacity: 1)]
    @exclusivity(unchecked) private var scratchCapacity = [1]

    init(name: String, projection: Int, spec: TsodyksSynapseSpec, rowCount: Int) {
        self.name = name
        self.projection = projection
        self.spec = spec
        self.rowCount = rowCount
        u = .allocate(capacity: max(rowCount, 1))
        u.initialize(repeating: spec.initialU, count: max(rowCount, 1))
        x = .allocate(capacity: max(rowCount, 1))
        x.initialize(repeating: spec.x, count: max(rowCount, 1))
        lastDelivery = .allocate(capacity: max(rowCount, 1))
        lastDelivery.initialize(repeating: -.infinity, count: max(rowCount, 1))
        rowOwner = Array(repeating: 0, count: rowCount)
    }

    deinit {
        u.deallocate()
        x.deallocate()
        lastDelivery.deallocate()
        for s in scratch { s.deallocate() }
    }

    /// Each row's value of `p` (u, x or lastDelivery): its owner's copy (`rowOwner`).
    /// - Complexity: O(rowCount).
    func canonical(_ p: UnsafeMutablePointer<Double>) -> [Double] {
        (0..<rowCount).map { p[rowOwner[$0] * rowCount + $0] }
    }

    /// The rows whose value this process holds (`rowOwner` among `localPartitions`), as runs.
    /// - Complexity: O(rowCount).
    func heldRowRuns() -> [(start: Int, length: Int)] {
        var runs: [(start: Int, length: Int)] = []
        for r in 0..<rowCount where localPartitions.contains(rowOwner[r]) {
            if let last = runs.last, last.start + last.length == r { runs[runs.count - 1].length += 1 } else { runs.append((r, 1)) }
        }
        return runs
    }

    /// Copies the state into `count` partitions, each row's value into every copy;
    /// `owners[r]` holds row r's first synapse from now on (`SynapticDynamics.partition`); `local`
    /// are the partitions this process runs.
    /// - Complexity: O(count x rowCount).
    func partition(count: Int, owners: [Int], local: Range<Int>? = nil) {
        precondition(owners.count == rowCount)
        func spread(_ p: inout UnsafeMutablePointer<Double>) {
            let values = canonical(p)
            let next = UnsafeMutablePointer<Double>.allocate(capacity: max(count * rowCount, 1))
            for k in 0..<count { (next + k * rowCount).initialize(from: values, count: rowCount) }
            p.deallocate()
            p = next
        }
        spread(&u)
        spread(&x)
        spread(&lastDelivery)
        for s in scratch { s.deallocate() }
        scratch = (0..<count).map { _ in .allocate(capacity: 1) }
        scratchCapacity = Array(repeating: 1, count: count)
        partitionCount = count
        rowOwner = owners
        localPartitions = local ?? 0..<count
    }

    /// u_n x_n of the row's spike delivered at time t: the factor its synapses' weights are scaled by
    /// (partition k's copy of the row's state).
    /// - Complexity: O(1).
    @inline(__always)
    func efficacy(row: Int, at t: Double, partition k: Int) -> Double {
        let r = k &* rowCount &+ row
        let last = lastDelivery[r]
        if last > -.infinity {
            let h = t - last
            let xn = x[r], un = u[r]
            x[r] = 1 + (xn - xn * un - 1) * exp(-h / spec.tauRec)
            u[r] = spec.tauFac == 0 ? spec.U : spec.U + un * (1 - spec.U) * exp(-h / spec.tauFac)
        }
        lastDelivery[r] = t
        return u[r] * x[r]
    }

    /// The amplitudes w_k u x of synapses `range`, with per-synapse weights from `table`, in
    /// partition k's scratch.
    func amplitudes(_ table: SynapseTable, range: Range<Int>, efficacy: Double, partition k: Int) -> UnsafeBufferPointer<Double> {
        if scratchCapacity[k] < range.count {
            scratch[k].deallocate()
            scratchCapacity[k] = range.count
            scratch[k] = .allocate(capacity: range.count)
        }
        let out = scratch[k]
        for (i, s) in range.enumerated() { out[i] = table.weight(at: s) * efficacy }
        return UnsafeBufferPointer(start: out, count: range.count)
    }
}
