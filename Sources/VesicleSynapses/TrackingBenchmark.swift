// The Bayesian workload of BENCHMARKS.md §3: the paper's tracking experiment, timed.

import VesicleModel

/// Figures of one timed tracking run and their extrapolation to the paper's Figure 3.
public struct TrackingBenchmarkResult: Sendable, Codable, Equatable {
    public var rule: String
    public var inputs: Int
    /// Teacher and prior time constant, s.
    public var tauSeconds: Double
    public var simulatedSeconds: Double
    public var wallSeconds: Double
    public var bins: Int
    /// Synapse touches actually made (spike updates plus lazy catch-ups for the metrics).
    public var touchedSynapseUpdates: Int
    public var simulatedSecondsPerWallSecond: Double
    /// inputs x bins per wall second: the per-bin synapse updates a clocked simulator does, the
    /// figure the authors' Python reaches 2.7 million of (BENCHMARKS.md §3).
    public var synapseBinUpdatesPerSecond: Double
    public var touchedSynapseUpdatesPerSecond: Double
    public var meanSquaredError: Double
    public var calibration: Double
    /// Figure 3 for this rule: 500 tau per configuration, 32 configurations, on `cores` cores.
    public var figure3Cores: Int
    public var figure3Hours: Double
    /// The same workload at the authors' 2.7 million synapse updates per second, one core, hours.
    public var figure3PythonCoreHours: Double
    public var speedupOverPython: Double

    /// The authors' Python on this machine kind (BENCHMARKS.md §3).
    public static let pythonSynapseUpdatesPerSecond = 2.7e6
}

/// Runs the tracking experiment of MODEL.md §6 for `rule` (Bayesian or classical, with the paper's
/// settings and `inputs` inputs, `tau` in ms) for `duration` ms of simulated time, timing it with
/// `clock`, and extrapolates to Figure 3: 500 tau per configuration, 32 configurations per rule
/// (31 classical learning rates and the Bayesian rule), spread over `cores` cores.
public func runTrackingBenchmark(rule: LearningRule, inputs: Int? = nil, tau: Double? = nil, duration: Double? = nil,
                                 seed: UInt64 = 1, cores: Int = 2) throws -> TrackingBenchmarkResult {
    var p = try FeedbackExperimentParameters.tracking(rule: rule, inputCount: inputs, tau: tau, seed: seed)
    let tauMs = p.teacher.tau
    let simulated = duration ?? 5 * tauMs
    try SynapseError.require(simulated > 0 && simulated.isFinite, "duration", simulated, "> 0 ms")
    try SynapseError.require(cores > 0, "cores", Double(cores), ">= 1")
    p.metricInterval = 10_000
    var experiment = try FeedbackExperiment(parameters: p)
    let clock = ContinuousClock()
    let start = clock.now
    try experiment.run(until: simulated)
    let elapsed = clock.now - start
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

    let simulatedSeconds = experiment.time / 1000
    let speed = simulatedSeconds / wall
    let binRate = Double(experiment.binIndex) / wall
    let figureBinsPerConfiguration = 500 * tauMs / p.bin
    let configurations = 32.0
    let figureSeconds = configurations * figureBinsPerConfiguration / binRate / Double(cores)
    let pythonSeconds = configurations * figureBinsPerConfiguration * Double(p.inputCount)
        / TrackingBenchmarkResult.pythonSynapseUpdatesPerSecond
    return TrackingBenchmarkResult(
        rule: rule.name, inputs: p.inputCount, tauSeconds: tauMs / 1000, simulatedSeconds: simulatedSeconds,
        wallSeconds: wall, bins: experiment.binIndex, touchedSynapseUpdates: experiment.synapseUpdates,
        simulatedSecondsPerWallSecond: speed,
        synapseBinUpdatesPerSecond: binRate * Double(p.inputCount),
        touchedSynapseUpdatesPerSecond: Double(experiment.synapseUpdates) / wall,
        meanSquaredError: experiment.metrics.meanSquaredError, calibration: experiment.metrics.calibration,
        figure3Cores: cores, figure3Hours: figureSeconds / 3600, figure3PythonCoreHours: pythonSeconds / 3600,
        speedupOverPython: pythonSeconds / (figureSeconds * Double(cores)))
}
