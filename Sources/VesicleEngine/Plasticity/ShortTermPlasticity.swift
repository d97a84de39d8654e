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
    let u: UnsafeMutablePointer<Double>
    let x: UnsafeMutablePointer<Double>
    /// Delivery time of the row's last spike, -infinity before any.
    let lastDelivery: UnsafeMutablePointer<Double>
    /// Scratch amplitudes for rows with per-synapse weights.
    private var scratch = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    private var scratchCapacity = 1

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
    }

    deinit {
        u.deallocate()
        x.deallocate()
        lastDelivery.deallocate()
        scratch.deallocate()
    }

    /// u_n x_n of the row's spike delivered at time t: the factor its synapses' weights are scaled by.
    /// - Complexity: O(1).
    @inline(__always)
    func efficacy(row r: Int, at t: Double) -> Double {
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

    /// The amplitudes w_k u x of synapses `range`, with per-synapse weights from `table`.
    func amplitudes(_ table: SynapseTable, range: Range<Int>, efficacy: Double) -> UnsafeBufferPointer<Double> {
        if scratchCapacity < range.count {
            scratch.deallocate()
            scratchCapacity = range.count
            scratch = .allocate(capacity: scratchCapacity)
        }
        for (i, k) in range.enumerated() { scratch[i] = table.weight(at: k) * efficacy }
        return UnsafeBufferPointer(start: scratch, count: range.count)
    }
}
