import Foundation
import VesicleEngine
import VesicleIO
import VesicleModel

/// A spiking network run: the engine's observer streams into the run directory's writers.
struct SpikingRun {
    let spec: NetworkSpec
    /// Where the recordings go; nil on the ranks other than 0, which write nothing (docs/DESIGN.md, Ranks).
    let directory: RunDirectory?
    let formats: Set<OutputFormat>
    let quiet: Bool
    var kernelPath: KernelConvolutionPath = .automatic
    var threads = 1
    /// The network file's SHA-256 (hex), written into checkpoints and checked at a resume.
    var networkSHA256 = ""
    /// `--checkpoint-every` (docs/CHECKPOINT.md); nil writes none unless resuming or stopping at a window.
    var checkpointEvery: CheckpointInterval?
    /// Stop at the end of this window, as a signal would, after writing a checkpoint (tests; hidden).
    var stopAfterWindow: Int?
    /// The checkpoint a `vesicle resume` continues from.
    var resume: LoadedCheckpoint?
    /// The ranks when launched by mpirun with more than one (RunCommand+Ranks.swift).
    var ranks: RankGroup? = nil

    func execute() throws -> RunOutcome {
        // Installed before the build, which takes seconds for large networks: an interrupt during it
        // then ends the run at time 0 with its metadata marked partial, instead of killing the process.
        let stop = StopSignal()
        defer { stop.uninstall() }
        let network: Network
        let names: [String]
        let recorder: StreamingRecorder?
        let checkpointRequested = checkpointEvery != nil || resume != nil || stopAfterWindow != nil
        do {
            // A resumed run convolves each kernel projection on the path its checkpoint was written on.
            let paths = (resume?.header.kernelPaths ?? [:]).compactMapValues(KernelConvolutionPath.init(rawValue:))
            network = try NetworkBuilder.build(spec, kernelPath: kernelPath, kernelPaths: paths, part: ranks?.part(threads: threads),
                                                  buildThreads: threads)
            let visible = network.populationNames.count - network.hiddenPopulationCount
            names = Array(network.populationNames.prefix(visible))
            if ranks != nil, let refusal = Simulator.rankRefusal(network) { throw CommandFailure(refusal) }
            try SynapseDigest.writeIfAsked(network, ranks: ranks, threads: threads)
            recorder = try directory.map {
                try StreamingRecorder(directory: $0, populations: names, spec: self.spec, formats: formats,
                                      resumingAt: resume?.header.recorders)
            }
        } catch {
            // On ranks every rank learns of a failed build (or a refusal) and stops with one message.
            try ranks?.agree("\(error)")
            throw error
        }
        try ranks?.agree(nil)
        try ranks?.agreeOnKernelPaths(network.kernelPaths)
        let synapseTotal = ranks?.synapseTotal(network) ?? network.synapseCount
        let simulator = Simulator(network: network, threads: threads, exchange: ranks?.exchange)
        // Checkpoints: periodic ones, one at a signal's window boundary, one at the end (so that
        // `vesicle resume --duration` can extend a finished run), docs/CHECKPOINT.md. On ranks every
        // rank takes part in each (rank 0 gathers and writes: docs/CHECKPOINT.md, On ranks).
        let interval = checkpointEvery ?? resume.flatMap { try? CheckpointInterval.parse($0.header.checkpointEvery) }
        let checkpointing = checkpointRequested && (directory != nil || ranks != nil)
            ? RunCheckpointing(directory: directory, ranks: ranks, networkSHA256: networkSHA256, interval: interval,
                               from: resume?.header.timeMs ?? 0)
            : nil
        if checkpointing != nil {
            if let refusal = simulator.checkpointRefusal {
                throw CommandFailure("--checkpoint-every: this run cannot be checkpointed yet: \(refusal)")
            }
        }
        if let resume {
            var decoder = resume.engine
            do { try simulator.restoreCheckpoint(from: &decoder) } catch {
                throw CommandFailure("checkpoint \(resume.name) does not fit this network: \(error)")
            }
        }
        // With checkpoints a stop request waits for the window's end: an abandoned window leaves
        // neurons part-way through it, a state no checkpoint may hold.
        simulator.interruption = checkpointing == nil ? { stop.shouldStop } : nil
        let total = spec.simulation.warmup + spec.simulation.duration
        let progress = ProgressReporter(duration: total, quiet: quiet || recorder == nil)
        var checkpointFailure: Error?
        let threads = self.threads, spec = self.spec
        let stopAfterWindow = self.stopAfterWindow
        // On ranks the stop wish is taken inside the window, at its exchange, before the window is
        // counted: stopping after window N is wished during window N.
        let onRanks = ranks != nil
        simulator.run(observer: recorder,
                      shouldStop: {
                          stop.shouldStop || recorder?.failure != nil || checkpointFailure != nil
                              || simulator.counters.windows + (onRanks ? 1 : 0) == stopAfterWindow
                      },
                      progress: { time in
                          progress.update(simulatedTime: time)
                          // On ranks every rank decides alike and takes part in every checkpoint
                          // (collectives), whatever failed on rank 0 alone.
                          guard let checkpointing, checkpointing.isDue(at: time, window: simulator.counters.windows),
                                onRanks || (checkpointFailure == nil && recorder?.failure == nil),
                                simulator.failure == nil else { return }
                          do { try checkpointing.write(simulator: simulator, recorder: recorder, spec: spec, threads: threads) } catch {
                              if checkpointFailure == nil { checkpointFailure = error }
                          }
                      })
        progress.finish()
        try NeuronDigest.writeIfAsked(network, time: simulator.time, ranks: ranks, threads: threads)
        if let failure = simulator.failure {
            try? recorder?.finish(complete: false)
            throw CommandFailure(failure.description)
        }
        if let checkpointing, onRanks || (checkpointFailure == nil && recorder?.failure == nil) {
            do { try checkpointing.write(simulator: simulator, recorder: recorder, spec: spec, threads: threads) } catch {
                if checkpointFailure == nil { checkpointFailure = error }
            }
        }
        guard let recorder else {
            return RunOutcome(simulatedTime: simulator.time, stopReason: stop.reason, populations: [], releases: 0, summary: [])
        }
        if let checkpointFailure {
            try? recorder.finish(complete: false)
            throw CommandFailure("writing a checkpoint failed: \(checkpointFailure)")
        }
        let stoppedAtWindow = stopAfterWindow.map { simulator.counters.windows == $0 && simulator.time < total } ?? false
        let reason: String? = recorder.failure.map { "write failed: \($0)" } ?? stop.reason
            ?? (stoppedAtWindow ? "stopped after window \(simulator.counters.windows) (--stop-after-window)" : nil)
            ?? (simulator.agreedStop ? "stopped by another rank" : nil)
        // A signal stop leaves whole files up to the time reached (the metadata says partial);
        // only a failed write leaves them unfinished under temporary names.
        try recorder.finish(complete: recorder.failure == nil)
        let counts = recorder.spikeCounts
        let populations = names.enumerated().map {
            RunMetadata.Population(name: $1, neurons: network.populationSizes[$0], spikes: counts[$0])
        }
        var summary = [String(format: "%d neurons, %d synapses, built in %.3f s; simulated %.1f ms",
                              network.neuronCount, synapseTotal, network.buildSeconds, simulator.time)]
        if let refusal = simulator.parallelRefusal {
            summary.append("  ran on 1 thread, not \(threads): \(refusal)")
        } else if let ranks {
            summary.append("  windows on \(ranks.count) ranks of \(simulator.threadCount) thread\(simulator.threadCount == 1 ? "" : "s") each")
            summary += ranks.partSummary(network, total: synapseTotal)
        } else if simulator.threadCount > 1 {
            summary.append("  windows on \(simulator.threadCount) threads")
        }
        if network.plasticSynapseCount > 0 {
            summary.append(String(format: "  spike-based learning (MODEL.md §5): %d plastic synapses, %d synapse updates in steps of %g ms",
                                  network.plasticSynapseCount, network.plasticSynapseUpdates, spec.simulation.delayResolution))
        }
        if network.dynamicSynapseCount > 0 {
            summary.append("  STDP or short-term plasticity on \(network.dynamicSynapseCount) synapses (docs/LANGUAGE.md, STDP and short-term plasticity)")
        }
        // The recorded time reached, so that an interrupted run reports its true rate.
        let seconds = (simulator.time - spec.simulation.warmup) / 1000
        // Only populations some `record spikes` names, and the rate over the neurons recorded.
        for p in populations where seconds > 0 {
            let neurons = recordedNeuronCount(of: p.name, size: p.neurons)
            guard neurons > 0 else { continue }
            summary.append(String(format: "  %@: %d spikes recorded from %d neurons (%.2f Hz per neuron over the recorded time)",
                                  p.name as NSString, p.spikes, neurons, Double(p.spikes) / Double(neurons) / seconds))
        }
        if let checkpointing { summary.append(checkpointing.summary) }
        if let failure = recorder.failure { throw CommandFailure("\(failure)") }
        return RunOutcome(simulatedTime: simulator.time, stopReason: reason, populations: populations,
                          releases: recorder.releaseCount,
                          summary: summary, kernelPaths: network.kernelPaths.isEmpty ? nil : network.kernelPaths)
    }
}

extension SpikingRun {
    /// Neurons of population `name` that some `record spikes` covers (slices may overlap).
    func recordedNeuronCount(of name: String, size: Int) -> Int {
        var covered = [Bool](repeating: false, count: size)
        for recording in spec.recordings where recording.kind == .spikes && recording.source?.population == name {
            for j in recording.source?.range ?? 0..<size where j < size { covered[j] = true }
        }
        return covered.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
}

/// Streams spikes and membrane samples to disk in bounded memory. A write error is kept and stops
/// the run at the next window boundary (the observer protocol cannot throw).
final class StreamingRecorder: SimulationObserver {
    let raster: SpikeRasterWriter?
    var traces: [Int: TraceWriter] = [:]
    let releases: ReleaseLogWriter?
    /// Posterior snapshots of Bayesian spiking projections (`vesicle plot release` reads mu and sigma2).
    let posteriors: PosteriorTraces?
    /// STDP weight snapshots per projection index (`record weights`), in `traces.weights_<projection>`.
    var weightTraces: [Int: TraceWriter] = [:]
    private(set) var releaseCount: Int
    private(set) var failure: Error?
    private(set) var spikeCounts: [Int]
    let formats: Set<OutputFormat>

    /// `position`: reopen the files of an interrupted run where a checkpoint left them
    /// (docs/CHECKPOINT.md, Recorders) instead of starting new ones.
    init(directory: RunDirectory, populations: [String], spec: NetworkSpec, formats: Set<OutputFormat>,
         resumingAt position: RecorderPosition? = nil) throws {
        self.formats = formats
        spikeCounts = position?.spikeCounts ?? Array(repeating: 0, count: populations.count)
        releaseCount = position?.releaseCount ?? 0
        let recordsSpikes = spec.recordings.contains { $0.kind == .spikes }
        func resumed(_ name: String) throws -> RecordTablePosition? {
            guard let position else { return nil }
            guard let table = position.tables[name] else {
                throw CheckpointError("the checkpoint holds no position for \(name)")
            }
            return table
        }
        if recordsSpikes, let at = try resumed(Self.rasterKey) {
            raster = try SpikeRasterWriter(directory: directory, populations: populations, resumingAt: at)
        } else {
            raster = recordsSpikes ? try SpikeRasterWriter(directory: directory, populations: populations, formats: formats) : nil
        }
        let logsReleases = spec.recordings.contains { if case .releases = $0.kind { return true } else { return false } }
        if logsReleases, let at = try resumed(Self.releaseKey) {
            releases = try ReleaseLogWriter(directory: directory, resumingAt: at)
        } else {
            releases = logsReleases ? try ReleaseLogWriter(directory: directory, formats: formats) : nil
        }
        let snapshots = spec.recordings.contains { if case .posterior = $0.kind { return true } else { return false } }
        if snapshots, position != nil {
            posteriors = PosteriorTraces(
                mu: try TraceWriter(directory: directory, name: "mu", indexColumn: "synapse", resumingAt: try resumed("traces.mu")!),
                sigma2: try TraceWriter(directory: directory, name: "sigma2", indexColumn: "synapse",
                                        resumingAt: try resumed("traces.sigma2")!),
                teacher: nil)
        } else {
            posteriors = snapshots ? try PosteriorTraces(directory: directory, formats: formats, withTeacher: false) : nil
        }
        for rec in spec.recordings {
            guard case .weights(let name, _, _) = rec.kind, let q = spec.projections.firstIndex(where: { $0.name == name }),
                  weightTraces[q] == nil else { continue }
            let traceName = Self.weightTraceName(name)
            if let at = try resumed("traces." + traceName) {
                weightTraces[q] = try TraceWriter(directory: directory, name: traceName, indexColumn: "synapse", resumingAt: at)
            } else {
                weightTraces[q] = try TraceWriter(directory: directory, name: traceName, indexColumn: "synapse", formats: formats)
            }
        }
        for rec in spec.recordings {
            guard case .membrane = rec.kind, let source = rec.source,
                  let p = populations.firstIndex(of: source.population), traces[p] == nil else { continue }
            let name = "membrane_\(source.population)"
            if let at = try resumed("traces." + name) {
                traces[p] = try TraceWriter(directory: directory, name: name, resumingAt: at,
                                            unit: "mV", quantity: "membrane potential", population: source.population)
            } else {
                traces[p] = try TraceWriter(directory: directory, name: name, formats: formats,
                                            unit: "mV", quantity: "membrane potential", population: source.population)
            }
        }
    }

    func spike(population: Int, neuron: Int, time: Double) {
        guard failure == nil else { return }
        spikeCounts[population] += 1
        do { try raster?.append(population: population, neuron: neuron, time: time) } catch { failure = error }
    }

    func membrane(population: Int, neuron: Int, time: Double, potential: Double) {
        guard failure == nil else { return }
        do { try traces[population]?.append(time: time, index: neuron, value: potential) } catch { failure = error }
    }

    func release(projection: Int, synapse: Int, pre: Int, post: Int, time: Double, amplitude: Double,
                 mu: Double, sigma2: Double) {
        guard failure == nil, let releases else { return }
        releaseCount += 1
        do {
            try releases.append(time: time, synapse: synapse, pre: pre, post: post, amplitude: amplitude, mu: mu, sigma2: sigma2)
        } catch { failure = error }
    }

    func posterior(projection: Int, synapse: Int, time: Double, mu: Double, sigma2: Double) {
        guard failure == nil else { return }
        do {
            try posteriors?.append(time: time, synapse: synapse, mu: mu, sigma2: sigma2)
        } catch { failure = error }
    }

    /// `weights_` and the projection's name with "->" as "_to_" and any other character a file name
    /// cannot hold as "_": "E->E" gives "weights_E_to_E".
    static func weightTraceName(_ projection: String) -> String {
        let spelled = projection.replacingOccurrences(of: "->", with: "_to_")
        return "weights_" + String(spelled.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    func weight(projection: Int, synapse: Int, time: Double, weight: Double) {
        guard failure == nil else { return }
        do { try weightTraces[projection]?.append(time: time, index: synapse, value: weight) } catch { failure = error }
    }

    func finish(complete: Bool) throws {
        for (_, trace) in weightTraces.sorted(by: { $0.key < $1.key }) { try trace.finish(complete: complete) }
        try raster?.finish(complete: complete)
        try releases?.finish(complete: complete)
        try posteriors?.finish(complete: complete)
        for (_, trace) in traces.sorted(by: { $0.key < $1.key }) { try trace.finish(complete: complete) }
    }
}
