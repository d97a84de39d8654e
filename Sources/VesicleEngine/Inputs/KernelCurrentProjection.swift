import VesicleKernels

/// A kernel-driven projection (issue 5; docs/DESIGN.md, Exactness and FFT where it pays): every spike of
/// its source at time t adds w k(s - t - d) pA to the input current of each target for s >= t + d,
/// on the grid t_n = n dt (`SimulationSpec.kernelStep`), and the current is held constant on each
/// [t_n, t_n+1).
///
/// Binning follows `SpikeBinning` (VesicleKernels): the arrival a = t + d is assigned to grid point
/// m = ceil(a / dt), never before it happens, and the kernel is sampled at grid points, h[i] = k(i dt),
/// so I_j[n] = sum over arrivals w' h[n - m]. For a pure exponential kernel w' = w exp(-(m dt - a)/tau),
/// which makes I_j[n] the continuous-time sum at every grid point for any spike time; otherwise
/// w' = w and an off-grid arrival acts up to one step late.
///
/// The target integrates the piecewise-constant current exactly: the simulator applies
/// I_j[n] - I_j[n-1] at t_n as a bias change (V continuous), and the neuron's own analytic or
/// branch-and-bound crossing search finds threshold crossings inside a step.
///
/// Causality: a spike emitted in the window [T, T + W) arrives at a >= T + W because W is at most the
/// delay of every projection from a simulated neuron, so it lands on a grid point the window has not
/// yet handed out. Spikes of simulated neurons are therefore binned after their window, spikes of
/// sources (known ahead) before it. A grid point that rounding would place before the first point not
/// yet convolved is moved to that point.
///
/// Feed-forward projections on the FFT path (an external source, static synapses) are convolved
/// ahead in long blocks: the projection runs a private copy of its source (same random streams,
/// hence the same spikes) ahead of the simulation, so a window is served from a block computed by
/// one long overlap-add segment instead of a transform per window.
final class KernelCurrentProjection {
    let projection: Int
    let name: String
    let targetPopulation: Int
    let targetCount: Int
    /// Global index of the source population's local neuron 0, and its size.
    let sourceOffset: Int
    let sourceCount: Int
    /// True when the source spikes are known ahead (poisson_source, spike_source).
    let sourceIsExternal: Bool
    let synapses: SynapseTable
    let bayesian: BayesianProjection?
    let kernel: SampledKernel
    let dt: Double
    let usesFFT: Bool
    // Internal setters: `KernelCurrentProjection+Checkpoint.swift` restores the state between windows.
    /// First grid step whose current has not been handed out yet.
    var servedSteps = 0
    /// First grid step not yet convolved (equal to `servedSteps` unless running ahead).
    var firstPendingStep = 0
    /// Synaptic events binned so far (one per synapse and spike).
    var events = 0

    /// Direct path: future currents I_j[n] at ring slot j * ringLength + n % ringLength.
    /// FFT path: future binned arrivals x_j[n], at the same slots.
    var ring: [Double]
    let ringLength: Int
    let convolver: StreamingConvolver?
    private var block: [Double] = []
    private var blockOutput: [Double] = []
    private var releases: [Double] = []
    let lookahead: SourcePopulation?
    private let lookaheadSpikes = WindowSpikes()
    /// Block length of the look-ahead, grid steps.
    private let aheadSteps: Int
    /// Currents of steps servedSteps ..< firstPendingStep when running ahead, target-major from `aheadStart`.
    var ahead: [Double] = []
    var aheadStart = 0

    /// Releases of synapses below `limit` go to `observer` (Bayesian projections with a release log).
    /// They are logged when binned, at the spike time: in batches per window, so not interleaved in
    /// time order with the releases of jump projections.
    var releaseLog: (limit: Int, observer: SimulationObserver)?

    /// True when this projection convolves its source's spikes ahead of the simulation.
    var runsAhead: Bool { lookahead != nil }

    /// - Parameters:
    ///   - window: the simulator's window length W; `maximumDelay` the projection's longest delay.
    init(projection: Int, name: String, sourcePopulation: (offset: Int, count: Int, external: Bool),
         targetPopulation: Int, targetCount: Int, synapses: SynapseTable, bayesian: BayesianProjection?,
         kernel: SampledKernel, window: Double, maximumDelay: Double, path: KernelConvolutionPath,
         externalSource: SourcePopulation?) throws {
        self.projection = projection
        self.name = name
        self.targetPopulation = targetPopulation
        self.targetCount = targetCount
        sourceOffset = sourcePopulation.offset
        sourceCount = sourcePopulation.count
        sourceIsExternal = sourcePopulation.external
        self.synapses = synapses
        self.bayesian = bayesian
        self.kernel = kernel
        dt = kernel.dt
        let windowSteps = Int((window / dt).rounded(.up)) + 1
        let k = kernel.count
        // Look-ahead blocks: one streaming segment, at most 2^24 samples over all targets.
        let segment = FFTLength.overlapAdd(kernelLength: k) - k + 1
        let aheadBlock = min(segment, (1 << 24) / max(targetCount, 1))
        switch path {
        case .direct: usesFFT = false
        case .fft: usesFFT = true
        case .automatic:
            let runsAhead = bayesian == nil && externalSource != nil && aheadBlock >= 4 * windowSteps
            usesFFT = try Self.automaticUsesFFT(
                kernelLength: k, transformLength: FFTLength.nextFast(k + (runsAhead ? aheadBlock : windowSteps) - 1),
                synapses: synapses, targetCount: targetCount, dt: dt, source: externalSource)
        }
        // Bayesian rows are brought forward to each spike time, so they cannot run ahead of the
        // simulation (posterior snapshots must see them at earlier times).
        if usesFFT, bayesian == nil, let source = externalSource, aheadBlock >= 4 * windowSteps {
            // SourcePopulation.Kind holds values only (spike lists, RandomStream states): a copy
            // emits exactly the spikes the original will.
            lookahead = SourcePopulation(count: source.count, offset: source.offset, kind: source.kind, seed: source.seed)
            aheadSteps = aheadBlock
        } else {
            lookahead = nil
            aheadSteps = 0
        }
        // Arrivals binned for a window (or a look-ahead block) land at most (W + max delay)/dt + 2
        // steps (plus the block) after the first pending step; 2 more absorb the ceil and the snap
        // of `SpikeBinning.gridIndex`.
        let reach = Int(((window + maximumDelay) / dt).rounded(.up)) + 4 + aheadSteps
        ringLength = usesFFT ? reach : reach + k
        let slots = targetCount.multipliedReportingOverflow(by: ringLength)
        guard !slots.overflow, slots.partialValue <= 1 << 28 else {
            throw NetworkError.projection(name, .kernelRingTooLarge(targets: targetCount, gridSteps: ringLength))
        }
        ring = Array(repeating: 0, count: slots.partialValue)
        if usesFFT {
            // One overlap-add segment per window (or look-ahead block): the transform covers the
            // kernel and the block.
            let length = FFTLength.nextFast(k + max(windowSteps, aheadSteps) - 1)
            convolver = try StreamingConvolver(kernel: kernel.values, channels: targetCount, method: .fftLength(length),
                                               planCache: .reproducible)
        } else {
            convolver = nil
        }
    }

    /// The `.automatic` choice. A Poisson source's event density is known before the run: rho =
    /// sum over synapses of the source's rate (less its dead time) times dt, per target; the
    /// measured per-step costs of scatter and FFT then decide (`EventDensityCrossover`). For
    /// other sources the density is unknown ahead, and the dense crossover decides.
    private static func automaticUsesFFT(
        kernelLength k: Int, transformLength n: Int, synapses: SynapseTable, targetCount: Int, dt: Double,
        source: SourcePopulation?
    ) throws -> Bool {
        guard let source, targetCount > 0, case .poisson(let rates, let deadTime, _, _) = source.kind else {
            return k >= ConvolutionCrossover.processDefault
        }
        var eventsPerMs = 0.0
        for row in 0..<min(rates.count, synapses.rowStart.count - 1) where rates[row] > 0 {
            let rate = rates[row] / (1 + rates[row] * deadTime)
            eventsPerMs += Double(synapses.rowStart[row + 1] - synapses.rowStart[row]) * rate
        }
        let density = eventsPerMs * dt / Double(targetCount)
        return try EventDensityCrossover.costs(kernelLength: k, transformLength: n).prefersFFT(eventsPerStep: density)
    }

    /// Bins the spikes of `spikes` that come from this projection's source (sorted by time).
    func bin(_ spikes: WindowSpikes) {
        let lo = UInt32(sourceOffset), hi = UInt32(sourceOffset + sourceCount)
        for s in 0..<spikes.count {
            let g = spikes.neurons[s]
            guard g >= lo && g < hi else { continue }
            bin(row: Int(g - lo), time: spikes.times[s])
        }
    }

    private func bin(row: Int, time t: Double) {
        let range = synapses.rowStart[row]..<synapses.rowStart[row + 1]
        if range.isEmpty { return }
        events += range.count
        if let bayesian {
            // docs/MODEL.md §3: each synapse releases once per presynaptic spike, drawn at the spike time;
            // the amplitude (pA) then scales the whole kernel.
            bayesian.release(row: row, range: range, at: t, into: &releases)
            if let (limit, observer) = releaseLog, range.lowerBound < limit {
                for (offset, k) in range.enumerated() where k < limit {
                    let p = bayesian.table.posterior(k)
                    observer.release(projection: projection, synapse: k, pre: row, post: Int(synapses.targets[k]), time: t,
                                     amplitude: releases[offset], mu: p.mu, sigma2: p.sigma2)
                }
            }
        }
        let tau = kernel.exponentialTau
        for (offset, k) in range.enumerated() {
            let weight = bayesian == nil ? synapses.weight(at: k) : releases[offset]
            let arrival = t + synapses.delay(at: k)
            let m = max(SpikeBinning.gridIndex(of: arrival, dt: dt), firstPendingStep)
            let w = SpikeBinning.binnedWeight(time: arrival, weight: weight, index: m, dt: dt, exponentialTau: tau)
            add(w, target: Int(synapses.targets[k]), at: m)
        }
    }

    @inline(__always)
    private func add(_ w: Double, target j: Int, at m: Int) {
        precondition(m - firstPendingStep < ringLength - (usesFFT ? 0 : kernel.count),
                     "internal: kernel arrival beyond the future-current ring")
        let base = j * ringLength
        let start = m % ringLength
        if usesFFT {
            ring[base + start] += w
            return
        }
        let k = kernel.count
        let first = min(k, ringLength - start)
        ring.withUnsafeMutableBufferPointer { r in
            kernel.values.withUnsafeBufferPointer { h in
                let out = r.baseAddress! + base
                for i in 0..<first { out[start + i] += w * h[i] }
                for i in first..<k { out[i - first] += w * h[i] }
            }
        }
    }

    /// Hands out I_j[n] for the grid steps firstPendingStep ..< endStep into `currents`
    /// (target-major: currents[j * steps + (n - first)]), and forgets them.
    func currents(through endStep: Int, into currents: inout [Double]) {
        if runsAhead {
            currentsAhead(through: endStep, into: &currents)
            return
        }
        let first = firstPendingStep
        let steps = endStep - first
        currents.removeAll(keepingCapacity: true)
        guard steps > 0 else { return }
        currents.reserveCapacity(targetCount * steps)
        convolve(first, steps, into: &currents)
        firstPendingStep = endStep
        servedSteps = endStep
    }

    /// Appends I_j[first ..< first + steps] (target-major) from the ring, forgetting those steps.
    private func convolve(_ first: Int, _ steps: Int, into currents: inout [Double]) {
        if let convolver {
            block.removeAll(keepingCapacity: true)
            for j in 0..<targetCount { take(j, first, steps, into: &block) }
            blockOutput = Array(repeating: 0, count: block.count)
            block.withUnsafeBufferPointer { input in
                blockOutput.withUnsafeMutableBufferPointer { output in
                    convolver.process(input: input, length: steps, output: output)
                }
            }
            currents.append(contentsOf: blockOutput)
        } else {
            for j in 0..<targetCount { take(j, first, steps, into: &currents) }
        }
    }

    private func currentsAhead(through endStep: Int, into currents: inout [Double]) {
        while firstPendingStep < endStep {
            // Every spike arriving before the block's end is emitted before it.
            lookahead!.emit(before: Double(firstPendingStep + aheadSteps) * dt, into: lookaheadSpikes)
            lookaheadSpikes.sort()
            bin(lookaheadSpikes)
            lookaheadSpikes.removeAll()
            var block: [Double] = []
            convolve(firstPendingStep, aheadSteps, into: &block)
            let kept = firstPendingStep - servedSteps
            let held = firstPendingStep - aheadStart
            var merged: [Double] = []
            merged.reserveCapacity(targetCount * (kept + aheadSteps))
            for j in 0..<targetCount {
                merged.append(contentsOf: ahead[(j * held + held - kept)..<(j * held + held)])
                merged.append(contentsOf: block[(j * aheadSteps)..<((j + 1) * aheadSteps)])
            }
            ahead = merged
            aheadStart = servedSteps
            firstPendingStep += aheadSteps
        }
        let held = firstPendingStep - aheadStart
        let steps = endStep - servedSteps
        currents.removeAll(keepingCapacity: true)
        guard steps > 0 else { return }
        for j in 0..<targetCount {
            let from = j * held + servedSteps - aheadStart
            currents.append(contentsOf: ahead[from..<(from + steps)])
        }
        servedSteps = endStep
    }

    private func take(_ j: Int, _ first: Int, _ steps: Int, into out: inout [Double]) {
        let length = ringLength
        ring.withUnsafeMutableBufferPointer { r in
            let slots = r.baseAddress! + j * length
            var slot = first % length
            for _ in 0..<steps {
                out.append(slots[slot])
                slots[slot] = 0
                slot += 1
                if slot == length { slot = 0 }
            }
        }
    }
}
