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
    /// The network file's SHA-256 (hex), written into checkpoints.
    var networkSHA256 = ""
    /// docs/CHECKPOINT.md: checkpoints at the ends of the run's chunks (max(bin, 1 s)), its windows.
    var checkpointEvery: CheckpointInterval?
    var stopAfterWindow: Int?
    var resume: LoadedCheckpoint?

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
        let populations = spec.populations.map(\.name)
        let sourceIndex = populations.firstIndex(of: sourceName) ?? 0
        let bin = spec.feedbacks[0].bin
        var failure: Error?
        var spikeCount = 0
        var window = 0
        let releases: ReleaseLogWriter?
        let raster: SpikeRasterWriter?
        if let resume {
            window = try resume.restoreExperiment(section: "feedback_run") { try experiment.restoreCheckpoint(from: &$0) }
            let tables = resume.header.recorders.tables
            func table(_ key: String) throws -> RecordTablePosition {
                guard let table = tables[key] else { throw CheckpointError("the checkpoint holds no position for \(key)") }
                return table
            }
            releases = try releaseLimit.map { _ in try ReleaseLogWriter(directory: directory, resumingAt: try table(StreamingRecorder.releaseKey)) }
            raster = spikeRanges.isEmpty ? nil
                : try SpikeRasterWriter(directory: directory, populations: populations, resumingAt: try table(StreamingRecorder.rasterKey))
            spikeCount = resume.header.recorders.spikeCounts.indices.contains(sourceIndex) ? resume.header.recorders.spikeCounts[sourceIndex] : 0
        } else {
            releases = try releaseLimit.map { _ in try ReleaseLogWriter(directory: directory, formats: formats) }
            raster = spikeRanges.isEmpty ? nil : try SpikeRasterWriter(directory: directory, populations: populations, formats: formats)
        }
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
        let checkpointRequested = checkpointEvery != nil || resume != nil || stopAfterWindow != nil
        let interval = checkpointEvery ?? resume.flatMap { try? CheckpointInterval.parse($0.header.checkpointEvery) }
        let checkpointing = checkpointRequested
            ? RunCheckpointing(directory: directory, networkSHA256: networkSHA256, interval: interval, from: experiment.time)
            : nil
        let runFormats = self.formats, runSpec = self.spec
        func checkpoint() throws {
            guard let checkpointing, failure == nil else { return }
            var tables: [String: RecordTablePosition] = [:]
            if let raster { tables[StreamingRecorder.rasterKey] = try raster.checkpointPosition() }
            if let releases { tables[StreamingRecorder.releaseKey] = try releases.checkpointPosition() }
            var counts = Array(repeating: 0, count: populations.count)
            counts[sourceIndex] = spikeCount
            let position = RecorderPosition(tables: tables, spikeCounts: counts, releaseCount: releases?.count ?? 0,
                                            formats: runFormats.map(\.rawValue).sorted())
            let index = window
            var state = experiment
            state.binObserver = nil
            try checkpointing.write(window: index, time: state.time, spec: runSpec, threads: 1, recorders: position) { encoder in
                LoadedCheckpoint.encodeExperiment(section: "feedback_run", window: index, into: &encoder) { state.encodeCheckpoint(into: &$0) }
            }
        }
        var stoppedAtWindow = false
        while experiment.time < total && failure == nil && !stop.shouldStop {
            try experiment.run(until: min(experiment.time + chunk, total))
            window += 1
            progress.update(simulatedTime: experiment.time)
            if checkpointing?.schedule?.isDue(at: experiment.time) == true { try checkpoint() }
            if window == stopAfterWindow && experiment.time < total { stoppedAtWindow = true; break }
        }
        progress.finish()
        if let failure { throw failure }
        try checkpoint()
        // A signal stop leaves whole files up to the time reached; the metadata says partial.
        let reachedEnd = experiment.time >= total
        try releases?.finish(complete: true)
        try raster?.finish(complete: true)
        try writeTraces(experiment.traces, complete: true)
        var summary = [
            String(format: "feedback run: %d synapses, %.0f ms in %d bins, %d synapse updates",
                   experiment.parameters.inputCount, experiment.time, experiment.binIndex, experiment.synapseUpdates),
            experiment.metrics.pairCount > 0
                ? String(format: "log-weight MSE %.5f, calibration %.3f (fraction within 2 sd)",
                         experiment.metrics.meanSquaredError, experiment.metrics.calibration)
                : "no metrics: the run ended before the burn-in",
        ]
        if let checkpointing { summary.append(checkpointing.summary) }
        var counts = Array(repeating: 0, count: populations.count)
        counts[sourceIndex] = spikeCount
        let meta = populations.enumerated().map {
            RunMetadata.Population(name: $1, neurons: spec.populations[$0].size, spikes: counts[$0])
        }
        return RunOutcome(simulatedTime: experiment.time, stopReason: reachedEnd ? nil
                            : (stop.reason ?? (stoppedAtWindow ? "stopped after window \(window) (--stop-after-window)" : "stopped")),
                          populations: meta,
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
