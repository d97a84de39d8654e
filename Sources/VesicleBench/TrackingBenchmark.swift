// The Bayesian workload of docs/BENCHMARKS.md §3: the paper's tracking experiment, timed.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel
import VesicleSynapses

/// Figures of one timed tracking run and their extrapolation to the paper's Figure 3.
public struct TrackingBenchmarkResult: Sendable, Codable, Equatable {
    public var rule: String
    /// exact, constant or exact_then_constant.
    public var sigmaDelta: String
    public var inputs: Int
    /// Teacher and prior time constant, s.
    public var tauSeconds: Double
    public var simulatedSeconds: Double
    public var wallSeconds: Double
    /// CPU time of the simulating thread, s: on a shared machine, wall time over-states the cost by
    /// the share of the core other processes took; the `...PerCPUSecond` figures use this instead.
    public var cpuSeconds: Double
    public var bins: Int
    /// Synapse touches actually made (spike updates plus lazy catch-ups for the metrics).
    public var touchedSynapseUpdates: Int
    public var simulatedSecondsPerWallSecond: Double
    /// inputs x bins per wall second: the per-bin synapse updates a clocked simulator does, the
    /// figure the authors' Python reaches 2.7 million of (docs/BENCHMARKS.md §3).
    public var synapseBinUpdatesPerSecond: Double
    public var touchedSynapseUpdatesPerSecond: Double
    /// Log-weight MSE and calibration after the 2-tau burn-in; nil when the run ends before it.
    public var meanSquaredError: Double?
    public var calibration: Double?
    /// The classical rule of the same family swept over Figure 3's 31 learning rates in one pass
    /// (ClassicalRateSweep) for the same simulated time; 0 rates when the sweep was not timed.
    public var sweepLearningRates: Int
    public var sweepWallSeconds: Double
    public var sweepCPUSeconds: Double
    /// At 500 tau: the timed configuration's CPU time, and the sweep's CPU time per learning rate, s.
    public var figure3ConfigurationCPUSeconds: Double
    public var figure3ClassicalRateCPUSeconds: Double
    /// Figure 3 for this rule (the timed configuration plus 31 classical rates, 500 tau each) on
    /// `cores` cores, from wall time: with the sweep, (configuration + sweep) / cores; without it,
    /// 32 separate configurations / cores.
    public var figure3Cores: Int
    public var figure3Hours: Double
    /// The same workload at the authors' 2.7 million synapse updates per second, one core, hours.
    public var figure3PythonCoreHours: Double
    public var speedupOverPython: Double
    public var simulatedSecondsPerCPUSecond: Double
    public var synapseBinUpdatesPerCPUSecond: Double
    /// Figure 3 for this rule on `figure3Cores` otherwise idle cores, from the CPU time, hours.
    public var figure3HoursFromCPUTime: Double

    /// The authors' Python on this machine kind (docs/BENCHMARKS.md §3).
    public static let pythonSynapseUpdatesPerSecond = 2.7e6
}

/// Runs the tracking experiment of docs/MODEL.md §6 for `rule` (Bayesian or classical, with the paper's
/// settings and `inputs` inputs, `tau` in ms) for `duration` ms of simulated time, timing it with
/// `clock`, and extrapolates to Figure 3: 500 tau per configuration, 32 configurations per rule
/// (31 classical learning rates and the Bayesian rule), spread over `cores` cores.
///
/// With `sweep`, the classical rule of the same family is also timed over Figure 3's 31 learning rates
/// (log-spaced over [1e-4, 1e-1]) in one `ClassicalRateSweep` pass, and Figure 3 is extrapolated as
/// the timed configuration (standing for the Bayesian one) plus that sweep; without it, as 32 separate
/// configurations like the timed one.
///
/// `sigmaDelta` nil means the published choice (exact during the first tau, then constant) for
/// supervised and cerebellar, and exact for reinforcement: under the constant sigma_delta^2 the
/// reinforcement rule's variance of a fast synapse can run away once it exceeds the constant's
/// assumption (seed 1 at the paper's settings: synapse 30, 7.3 Hz, at t = 6189 s), which stops the run.
public func runTrackingBenchmark(rule: LearningRule, inputs: Int? = nil, tau: Double? = nil, duration: Double? = nil,
                                 sigmaDelta: SigmaDeltaMode? = nil, seed: UInt64 = 1,
                                 cores: Int = 2, sweep: Bool = true) throws -> TrackingBenchmarkResult {
    var p = try FeedbackExperimentParameters.tracking(rule: rule, inputCount: inputs, tau: tau, seed: seed)
    if let mode = sigmaDelta {
        p.sigmaDelta = mode
    } else if case .reinforcement = rule {
        p.sigmaDelta = .exact
    }
    let tauMs = p.teacher.tau
    let simulated = duration ?? 5 * tauMs
    try SynapseError.require(simulated > 0 && simulated.isFinite, "duration", simulated, "> 0 ms")
    try SynapseError.require(cores > 0, "cores", Double(cores), ">= 1")
    p.metricInterval = 10_000
    var experiment = try FeedbackExperiment(parameters: p)
    let (wall, cpu) = try timed { try experiment.run(until: simulated) }

    let etas = sweep ? (0..<31).map { 1e-4 * pow(1e3, Double($0) / 30) } : []
    var sweepTimes = (wall: 0.0, cpu: 0.0)
    if let family = rule.isBayesianFeedbackRule ? rule.classicalBaseline(eta: 1e-2) : rule, !etas.isEmpty {
        var q = p
        q.rule = family
        let classical = try ClassicalRateSweep(parameters: q, learningRates: etas)
        sweepTimes = timed { classical.run(until: simulated) }
    }

    let hasMetrics = experiment.metrics.pairCount > 0
    let simulatedSeconds = experiment.time / 1000
    let speed = simulatedSeconds / wall
    let binRate = Double(experiment.binIndex) / wall
    let figureBinsPerConfiguration = 500 * tauMs / p.bin
    let configurations = 32.0
    // 500 tau over the simulated time (the sweep ran for the same bins unless all its rates stopped).
    let scale = figureBinsPerConfiguration / Double(experiment.binIndex)
    let figureSeconds = etas.isEmpty
        ? configurations * figureBinsPerConfiguration / binRate / Double(cores)
        : scale * (wall + sweepTimes.wall) / Double(cores)
    let figureCPUSeconds = etas.isEmpty ? configurations * scale * cpu : scale * (cpu + sweepTimes.cpu)
    let pythonSeconds = configurations * figureBinsPerConfiguration * Double(p.inputCount)
        / TrackingBenchmarkResult.pythonSynapseUpdatesPerSecond
    let inputs = Double(p.inputCount)
    let bins = Double(experiment.binIndex)
    return TrackingBenchmarkResult(
        rule: rule.name, sigmaDelta: p.sigmaDelta.name, inputs: p.inputCount, tauSeconds: tauMs / 1000,
        simulatedSeconds: simulatedSeconds, wallSeconds: wall, cpuSeconds: cpu, bins: experiment.binIndex,
        touchedSynapseUpdates: experiment.synapseUpdates, simulatedSecondsPerWallSecond: speed,
        synapseBinUpdatesPerSecond: binRate * inputs,
        touchedSynapseUpdatesPerSecond: Double(experiment.synapseUpdates) / wall,
        meanSquaredError: hasMetrics ? experiment.metrics.meanSquaredError : nil,
        calibration: hasMetrics ? experiment.metrics.calibration : nil,
        sweepLearningRates: etas.count, sweepWallSeconds: sweepTimes.wall, sweepCPUSeconds: sweepTimes.cpu,
        figure3ConfigurationCPUSeconds: scale * cpu,
        figure3ClassicalRateCPUSeconds: etas.isEmpty ? scale * cpu : scale * sweepTimes.cpu / Double(etas.count),
        figure3Cores: cores, figure3Hours: figureSeconds / 3600, figure3PythonCoreHours: pythonSeconds / 3600,
        speedupOverPython: pythonSeconds / (figureSeconds * Double(cores)),
        simulatedSecondsPerCPUSecond: simulatedSeconds / cpu,
        synapseBinUpdatesPerCPUSecond: bins * inputs / cpu,
        figure3HoursFromCPUTime: figureCPUSeconds / Double(cores) / 3600)
}

/// Wall and thread CPU seconds of `body`.
private func timed(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = threadCPUSeconds()
    try body()
    let cpu = threadCPUSeconds() - cpuStart
    let elapsed = clock.now - start
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, cpu)
}

/// CPU time consumed by the calling thread, s.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
