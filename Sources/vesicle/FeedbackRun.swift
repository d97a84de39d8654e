import Foundation
import VesicleIO
import VesicleModel
import VesicleSynapses

/// A feedback-learning run (docs/MODEL.md §4, §6): the paper's single-neuron experiments, driven bin by
/// bin by `FeedbackExperiment`. Presynaptic spikes are drawn per feedback bin (docs/MODEL.md §4), so a
/// recorded input spike carries the start time of its bin.
struct FeedbackRun {
    let spec: NetworkSpec
    let directory: RunDirectory
    let formats: Set<OutputFormat>
    let quiet: Bool

    func execute() throws -> RunOutcome {
        var experiment = try FeedbackExperiment(spec: spec)
        let sourceName = spec.projections.first { $0.target.population == spec.feedbacks[0].target }?.source.population ?? ""
        let releaseLimit: Int?? = spec.recordings.compactMap { rec -> Int?? in
            if case .releases(_, let limit) = rec.kind { return .some(limit) }
            return nil
        }.first
        let spikeRanges: [Range<Int>] = spec.recordings.compactMap { rec in
            guard rec.kind == .spikes, let source = rec.source, source.population == sourceName else { return nil }
            return source.range ?? 0..<(spec.population(named: sourceName)?.size ?? 0)
        }
        let releases = try releaseLimit.map { _ in try ReleaseLogWriter(directory: directory, formats: formats) }
        let populations = spec.populations.map(\.name)
        let raster = spikeRanges.isEmpty ? nil : try SpikeRasterWriter(directory: directory, populations: populations, formats: formats)
        let sourceIndex = populations.firstIndex(of: sourceName) ?? 0
        let bin = spec.feedbacks[0].bin
        var failure: Error?
        var spikeCount = 0
        experiment.binObserver = { record in
            guard failure == nil else { return }
            do {
                for (k, i) in record.spikingInputs.enumerated() {
                    if let releases, let limit = releaseLimit, limit == nil || i < limit! {
                        try releases.append(time: record.time - bin, synapse: i, pre: i, post: 0,
                                            amplitude: record.released[k], mu: record.releasedMu[k],
                                            sigma2: record.releasedSigma2[k])
                    }
                    if let raster, spikeRanges.contains(where: { $0.contains(i) }) {
                        try raster.append(population: sourceIndex, neuron: i, time: record.time - bin)
                        spikeCount += 1
                    }
                }
            } catch { failure = error }
        }
        let stop = StopSignal()
        defer { stop.uninstall() }
        let total = spec.simulation.warmup + spec.simulation.duration
        let progress = ProgressReporter(duration: total, quiet: quiet)
        let chunk = max(bin, 1000)
        while experiment.time < total && failure == nil && !stop.shouldStop {
            try experiment.run(until: min(experiment.time + chunk, total))
            progress.update(simulatedTime: experiment.time)
        }
        progress.finish()
        if let failure { throw failure }
        // A signal stop leaves whole files up to the time reached; the metadata says partial.
        let reachedEnd = experiment.time >= total
        try releases?.finish(complete: true)
        try raster?.finish(complete: true)
        try writeTraces(experiment.traces, complete: true)
        let summary = [
            String(format: "feedback run: %d synapses, %.0f ms in %d bins, %d synapse updates",
                   experiment.parameters.inputCount, experiment.time, experiment.binIndex, experiment.synapseUpdates),
            experiment.metrics.pairCount > 0
                ? String(format: "log-weight MSE %.5f, calibration %.3f (fraction within 2 sd)",
                         experiment.metrics.meanSquaredError, experiment.metrics.calibration)
                : "no metrics: the run ended before the burn-in",
        ]
        var counts = Array(repeating: 0, count: populations.count)
        counts[sourceIndex] = spikeCount
        let meta = populations.enumerated().map {
            RunMetadata.Population(name: $1, neurons: spec.populations[$0].size, spikes: counts[$0])
        }
        return RunOutcome(simulatedTime: experiment.time, stopReason: reachedEnd ? nil : (stop.reason ?? "stopped"), populations: meta,
                          releases: releases?.count ?? 0, summary: summary)
    }

    /// Posterior mean, variance and teacher of the traced synapses (`vesicle plot release` reads them).
    private func writeTraces(_ samples: [SynapseTraceSample], complete: Bool) throws {
        guard !samples.isEmpty else { return }
        let traces = try PosteriorTraces(directory: directory, formats: formats, withTeacher: true)
        for s in samples { try traces.append(time: s.time, synapse: s.synapse, mu: s.mu, sigma2: s.sigma2, target: s.target) }
        try traces.finish(complete: complete)
    }
}
