import Foundation
import VesicleIO
import VesicleModel
import VesicleSynapses

/// A Synaptic Filter run (docs/MODEL.md §5): one escape-noise neuron whose Bayesian synapses infer drifting
/// weights from its own spikes, stepped on the file's `resolution`. Writes the posterior and target
/// weights of every synapse once per second as traces `mu`, `sigma2` and `teacher` (synapse index
/// d is the bias input fixed at 1).
struct SynapticFilterRun {
    let spec: NetworkSpec
    let directory: RunDirectory
    let formats: Set<OutputFormat>
    let quiet: Bool

    /// Whether the spec is the filter paper's single-neuron experiment: its only projection is the one
    /// `SynapticFilterParameters(spec:)` reads (poisson_source inputs all_to_all onto one escape-noise
    /// neuron, rule `synaptic_filter` or `gradient`, identity link). The neuron's spikes then come from
    /// drifting target weights (the teacher); any other network with such synapses runs in the engine,
    /// where neurons learn from their own spikes.
    static func applies(to spec: NetworkSpec) -> Bool {
        spec.projections.count == 1 && (try? SynapticFilterParameters(spec: spec)) != nil
    }

    func execute() throws -> RunOutcome {
        var experiment = try SynapticFilterExperiment(parameters: SynapticFilterParameters(spec: spec))
        let traces = try PosteriorTraces(directory: directory, formats: formats, withTeacher: true)
        let stop = StopSignal()
        defer { stop.uninstall() }
        let total = spec.simulation.warmup + spec.simulation.duration
        let progress = ProgressReporter(duration: total, quiet: quiet)
        let sampleInterval = 1000.0
        while experiment.time < total && !stop.shouldStop {
            try experiment.run(until: min(experiment.time + sampleInterval, total))
            for i in experiment.mu.indices {
                try traces.append(time: experiment.time, synapse: i, mu: experiment.mu[i], sigma2: experiment.sigma2[i],
                                  target: experiment.target[i])
            }
            progress.update(simulatedTime: experiment.time)
        }
        progress.finish()
        try traces.finish(complete: true)
        let reachedEnd = experiment.time >= total
        let m = experiment.metrics
        let summary = [
            String(format: "Synaptic Filter run (%@): %d synapses, %.0f ms in %d steps, %d output spikes",
                   experiment.parameters.rule.name as NSString, experiment.mu.count, experiment.time,
                   experiment.stepIndex, experiment.outputSpikes),
            m.pairCount > 0
                ? String(format: "weight MSE %.4f, calibration %.3f (fraction within 2 sd)", m.meanSquaredError, m.calibration)
                : "no metrics: the run ended before the burn-in",
        ]
        let populations = spec.populations.map { RunMetadata.Population(name: $0.name, neurons: $0.size, spikes: 0) }
        return RunOutcome(simulatedTime: experiment.time, stopReason: reachedEnd ? nil : (stop.reason ?? "stopped"),
                          populations: populations, releases: 0, summary: summary)
    }
}
