/// The kernel-driven currents of one simulator window, as time-ordered bias changes.
///
/// At the start of a window ending at `end` every kernel projection hands out its currents for the
/// grid points t_n < end not handed out before; the changes I_j[n] - I_j[n-1] that are not zero are
/// listed in (t_n, projection, target) order. The simulator merges them into the window's event
/// order: at equal times constant-current changes come first, then these kernel changes, then
/// deliveries, then membrane samples (so a sample at t_n sees the current of step n; V is continuous
/// either way).
final class KernelCurrentSchedule {
    let projections: [KernelCurrentProjection]
    let dt: Double
    /// The current of each projection's targets at the last grid step handed out (internal:
    /// `KernelCurrentProjection+Checkpoint.swift` restores it).
    var previous: [[Double]]
    private var windowCurrents: [[Double]]
    /// The window's changes in groups of one grid time and one projection: entries start ..< end
    /// of `neurons` and `deltas`.
    private var groups: [(time: Double, projection: Int, start: Int, end: Int)] = []
    private var neurons: [Int] = []
    private var deltas: [Double] = []

    init(projections: [KernelCurrentProjection], dt: Double) {
        self.projections = projections
        self.dt = dt
        previous = projections.map { Array(repeating: 0, count: $0.targetCount) }
        windowCurrents = Array(repeating: [], count: projections.count)
    }

    /// Synaptic events binned by all kernel projections so far.
    var events: Int { projections.reduce(0) { $0 + $1.events } }

    /// The first grid step at or after `end` (grid times are Double(n) * dt, as the samplers' k * interval).
    func firstStep(atOrAfter end: Double) -> Int {
        var n = Int((end / dt).rounded(.up))
        while n > 0 && Double(n - 1) * dt >= end { n -= 1 }
        while Double(n) * dt < end { n += 1 }
        return n
    }

    /// Bins the window's source spikes (known ahead), then lists the window's current changes.
    func beginWindow(end: Double, sourceSpikes: WindowSpikes) {
        for p in projections where p.sourceIsExternal && !p.runsAhead { p.bin(sourceSpikes) }
        let endStep = firstStep(atOrAfter: end)
        groups.removeAll(keepingCapacity: true)
        neurons.removeAll(keepingCapacity: true)
        deltas.removeAll(keepingCapacity: true)
        guard let first = projections.first?.servedSteps, endStep > first else { return }
        for (q, p) in projections.enumerated() { p.currents(through: endStep, into: &windowCurrents[q]) }
        let steps = endStep - first
        // Locals, not stored properties, in the hot loop: no exclusivity checks per element.
        var neurons = self.neurons, deltas = self.deltas, groups = self.groups
        self.neurons = []; self.deltas = []; self.groups = []
        defer { self.neurons = neurons; self.deltas = deltas; self.groups = groups }
        for s in 0..<steps {
            let t = Double(first + s) * dt
            for (q, p) in projections.enumerated() {
                let start = neurons.count
                windowCurrents[q].withUnsafeBufferPointer { current in
                    previous[q].withUnsafeMutableBufferPointer { last in
                        for j in 0..<p.targetCount {
                            let value = current[j * steps + s]
                            let delta = value - last[j]
                            if delta != 0 {
                                neurons.append(j)
                                deltas.append(delta)
                                last[j] = value
                            }
                        }
                    }
                }
                if neurons.count > start { groups.append((t, q, start, neurons.count)) }
            }
        }
    }

    /// Routes the releases of Bayesian kernel projections with a log limit (by projection index) to
    /// `observer` (nil: no logging).
    func logReleases(limits: [Int?], observer: SimulationObserver?) {
        for p in projections {
            if let observer, let limit = limits[p.projection] { p.releaseLog = (limit, observer) } else { p.releaseLog = nil }
        }
    }

    /// Bins the spikes the window's simulated neurons emitted (they act from the next window on).
    func endWindow(networkSpikes: WindowSpikes) {
        for p in projections where !p.sourceIsExternal { p.bin(networkSpikes) }
    }

    /// The window's groups of changes (one grid time and one projection each), in time order.
    var groupCount: Int { groups.count }

    /// The time and target population of group g.
    func groupHeader(_ g: Int) -> (time: Double, population: Int) {
        (groups[g].time, projections[groups[g].projection].targetPopulation)
    }

    /// Group g's neurons and their current changes (read-only: partitions read them concurrently).
    func withGroup<R>(_ g: Int, _ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Double>) -> R) -> R {
        let group = groups[g]
        return neurons.withUnsafeBufferPointer { neurons in
            deltas.withUnsafeBufferPointer { deltas in
                body(UnsafeBufferPointer(rebasing: neurons[group.start..<group.end]),
                     UnsafeBufferPointer(rebasing: deltas[group.start..<group.end]))
            }
        }
    }
}

extension Network {
    /// Synaptic events (one per synapse and presynaptic spike) binned by kernel-driven projections.
    public var kernelSynapticEvents: Int { kernelCurrents?.events ?? 0 }

    /// The convolution path of each kernel-driven projection, by projection name ("direct" or "fft").
    public var kernelPaths: [String: String] {
        Dictionary(uniqueKeysWithValues: (kernelCurrents?.projections ?? []).map { ($0.name, $0.usesFFT ? "fft" : "direct") })
    }
}
