import Foundation
import VesicleIO
import VesicleModel
import VesicleSynapses

/// A Synaptic Filter run (docs/MODEL.md §5): one escape-noise neuron whose Bayesian synapses infer drifting
/// weights from its own spikes, stepped on the file's `resolution`. Writes the posterior and target
/// weights of every synapse once per second as traces `mu`, `sigma2` and `teacher` (synapse index
/// d is the bias input fixed at 1).
///
/// Checkpoints (docs/CHECKPOINT.md) are taken at the ends of those one-second chunks, the run's
/// windows: `--stop-after-window N` stops after the N-th.
struct SynapticFilterRun {
    let spec: NetworkSpec
    let directory: RunDirectory
    let formats: Set<OutputFormat>
    let quiet: Bool
    /// The network file's SHA-256 (hex), written into checkpoints.
    var networkSHA256 = ""
    var checkpointEvery: CheckpointInterval?
    var stopAfterWindow: Int?
    /// The checkpoint a `vesicle resume` continues from.
    var resume: LoadedCheckpoint?

    /// Whether the spec is the filter paper's single-neuron experiment: its only projection is the one
    /// `SynapticFilterParameters(spec:)` reads (poisson_source inputs all_to_all onto one escape-noise
    /// neuron, rule `synaptic_filter` or `gradient`, identity link). The neuron's spikes then come from
    /// drifting target weights (the teacher); any other network with such synapses runs in the engine,
    /// where neurons learn from their own spikes.
    static func applies(to spec: NetworkSpec) -> Bool {
        spec.projections.count == 1 && (try? SynapticFilterParameters(spec: spec)) != nil
    }

    /// One sample of every synapse per chunk of this many ms.
    static let sampleInterval = 1000.0

    func execute() throws -> RunOutcome {
        var experiment = try SynapticFilterExperiment(parameters: SynapticFilterParameters(spec: spec))
        let checkpointRequested = checkpointEvery != nil || resume != nil || stopAfterWindow != nil
        if checkpointRequested, let refusal = experiment.checkpointRefusal {
            throw CommandFailure("--checkpoint-every: this Synaptic Filter experiment cannot be checkpointed yet: \(refusal)")
        }
        let traces: PosteriorTraces
        var window = 0
        if let resume {
            window = try resume.restoreExperiment(section: "synaptic_filter_run") { try experiment.restoreCheckpoint(from: &$0) }
            traces = try PosteriorTraces(directory: directory, resumingAt: resume.header.recorders, withTeacher: true)
        } else {
            traces = try PosteriorTraces(directory: directory, formats: formats, withTeacher: true)
        }
        let interval = checkpointEvery ?? resume.flatMap { try? CheckpointInterval.parse($0.header.checkpointEvery) }
        let checkpointing = checkpointRequested
            ? RunCheckpointing(directory: directory, networkSHA256: networkSHA256, interval: interval, from: experiment.time)
            : nil
        let runFormats = self.formats, runSpec = self.spec
        func checkpoint() throws {
            guard let checkpointing else { return }
            let position = RecorderPosition(tables: try traces.checkpointTables(), spikeCounts: [], releaseCount: 0,
                                            formats: runFormats.map(\.rawValue).sorted())
            let state = experiment, index = window
            try checkpointing.write(window: index, time: state.time, spec: runSpec, threads: 1, recorders: position) { encoder in
                try LoadedCheckpoint.encodeExperiment(section: "synaptic_filter_run", window: index, into: &encoder) {
                    try state.encodeCheckpoint(into: &$0)
                }
            }
        }
        let stop = StopSignal()
        defer { stop.uninstall() }
        let total = spec.simulation.warmup + spec.simulation.duration
        let progress = ProgressReporter(duration: total, quiet: quiet)
        var stoppedAtWindow = false
        while experiment.time < total && !stop.shouldStop {
            try experiment.run(until: min(experiment.time + Self.sampleInterval, total))
            for i in experiment.mu.indices {
                try traces.append(time: experiment.time, synapse: i, mu: experiment.mu[i], sigma2: experiment.sigma2[i],
                                  target: experiment.target[i])
            }
            window += 1
            progress.update(simulatedTime: experiment.time)
            if checkpointing?.schedule?.isDue(at: experiment.time) == true { try checkpoint() }
            if window == stopAfterWindow && experiment.time < total { stoppedAtWindow = true; break }
        }
        progress.finish()
        try checkpoint()
        let reachedEnd = experiment.time >= total
        try traces.finish(complete: true)
        let m = experiment.metrics
        var summary = [
            String(format: "Synaptic Filter run (%@): %d synapses, %.0f ms in %d steps, %d output spikes",
                   experiment.parameters.rule.name as NSString, experiment.mu.count, experiment.time,
                   experiment.stepIndex, experiment.outputSpikes),
            m.pairCount > 0
                ? String(format: "weight MSE %.4f, calibration %.3f (fraction within 2 sd)", m.meanSquaredError, m.calibration)
                : "no metrics: the run ended before the burn-in",
        ]
        if let checkpointing { summary.append(checkpointing.summary) }
        let populations = spec.populations.map { RunMetadata.Population(name: $0.name, neurons: $0.size, spikes: 0) }
        let reason = reachedEnd ? nil : (stop.reason ?? (stoppedAtWindow ? "stopped after window \(window) (--stop-after-window)" : "stopped"))
        return RunOutcome(simulatedTime: experiment.time, stopReason: reason,
                          populations: populations, releases: 0, summary: summary)
    }
}
