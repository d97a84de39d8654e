import ArgumentParser
import Foundation
import VesicleAnalysis
import VesicleIO
import VesiclePlot

/// `vesicle plot raster|release|membrane RUN`: figures of a run directory, as SVG, PNG or PDF.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw figures of a run: spike raster with population rates, release statistics, membrane potentials.",
        subcommands: [PlotRasterCommand.self, PlotReleaseCommand.self, PlotMembraneCommand.self])
}

/// Options shared by the plot subcommands.
struct PlotOutputOptions: ParsableArguments {
    @Option(help: "Image format: svg, png or pdf (default: from --output's extension, else svg). With --output, the two must agree.")
    var format: String?

    @Option(help: "Output file, ending in .svg, .png or .pdf (default: RUN/<figure>.<format>).")
    var output: String?

    // `.unconditional`: a value with a leading '-' is the value (and then a range error), never
    // ArgumentParser's "Missing value" (issue 15).
    @Option(parsing: .unconditional, help: "Figure width in pixels (points for PDF), 200 to 8000.")
    var width: Int = 1000

    @Option(parsing: .unconditional, help: "Pixels per figure unit in a PNG (2 for a high-resolution figure), more than 0 and at most 8.")
    var scale: Double = 1

    func validate() throws {
        do { _ = try ImageFormat.choose(format: format, output: output) } catch { throw ValidationError("\(error)") }
        guard (200...8000).contains(width) else { throw ValidationError("--width \(width) is out of range: give 200 to 8000 pixels, e.g. --width 1200") }
        guard scale > 0, scale <= 8 else { throw ValidationError("--scale \(scale) is out of range: give more than 0 and at most 8, e.g. --scale 2") }
    }

    /// Renders `figure` to the chosen path, atomically, and returns that path. A figure written into
    /// the run directory is listed in its metadata, so that `vesicle run --force` removes it too.
    func write(_ figure: Figure, directory: String, name: String) throws -> String {
        let chosen = try ImageFormat.choose(format: format, output: output)
        let path = output ?? "\(directory)/\(name).\(chosen.rawValue)"
        let data: Data
        switch chosen {
        case .svg: data = Data(SVGRenderer.render(figure).utf8)
        case .png: data = Data(try CairoRenderer(format: .png, scale: scale).render(figure))
        case .pdf: data = Data(try CairoRenderer.pdf.render(figure))
        }
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw VesicleIOError.writeFailed(path: path, reason: error.localizedDescription)
        }
        try RunDirectory.registerDerivedFile(path, inRun: directory)
        return path
    }
}

struct PlotRasterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raster",
        abstract: "Spike raster coloured by population, with the population rate below.",
        discussion: """
        At most --max-neurons neurons per population are drawn, those with evenly spaced indices \
        floor(j N / K); K shrinks further if more than --max-dots dots would be drawn. The figure states \
        the rule; the rate panels (one per population, each on its own scale) use every spike. The plot \
        starts at the end of the warm-up recorded in metadata.json unless --from is given.
        """)

    @Argument(help: ArgumentHelp("Run directory written by `vesicle run`.", valueName: "run"))
    var directory: String

    @Option(name: .customLong("from"), parsing: .unconditional,
            help: "Start of the plotted window, with its unit: 100ms, 0.5s (a bare number is ms); default: the end of the run's warm-up (0 if unknown).",
            transform: TimeOption.parse)
    var fromOption: TimeOption?

    @Option(name: .customLong("to"), parsing: .unconditional,
            help: "End of the plotted window, with its unit (a bare number is ms); default: the simulated time reached.",
            transform: TimeOption.parse)
    var toOption: TimeOption?

    @Option(name: .customLong("max-neurons"), parsing: .unconditional, help: "Neurons drawn per population at most (at least 1).")
    var maxNeurons: Int = 100

    @Option(name: .customLong("max-dots"), parsing: .unconditional, help: "Spikes drawn in all at most (at least 1).")
    var maxDots: Int = 200_000

    @OptionGroup var options: PlotOutputOptions

    var from: Double? { fromOption?.milliseconds }
    var to: Double? { toOption?.milliseconds }

    func validate() throws {
        guard maxNeurons >= 1 else { throw ValidationError("--max-neurons \(maxNeurons) is out of range: give at least 1, e.g. --max-neurons 100") }
        guard maxDots >= 1 else { throw ValidationError("--max-dots \(maxDots) is out of range: give at least 1, e.g. --max-dots 200000") }
        try PlotWindow.validate(from: fromOption, to: toOption)
    }

    func run() throws {
        let recording = try RunRecording.load(directory: directory)
        guard let raster = recording.raster else {
            throw VesicleIOError.invalidArgument("'\(directory)' has no spike raster (spikes.h5, spikes.<population>.*.npy or spikes.csv)")
        }
        // Recordings cover [warm-up, warm-up + duration): the plot starts where they do.
        let from = self.from ?? recording.metadata?.warmupMs ?? 0
        let end = to ?? max(recording.simulatedTime, from + 1)
        guard end > from else { throw VesicleIOError.invalidArgument("--to must be after --from (\(from) ms)") }
        let populations = raster.populations.indices.map { p in
            PopulationSpikes(
                name: raster.populations[p], neuronCount: recording.populationSizes[p], neurons: raster.neurons[p],
                times: raster.times[p])
        }
        let figure = try RasterFigure.make(
            populations: populations, from: from, to: end, maxNeuronsPerPopulation: maxNeurons, maxDots: maxDots,
            width: options.width)
        print("wrote \(try options.write(figure, directory: directory, name: "raster"))")
    }
}

struct PlotReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "PSP amplitude histograms, normalized variability against presynaptic rate with its fit, posterior over time.",
        discussion: """
        The posterior panel uses the traces `mu` and `sigma2` (indexed by synapse) and `teacher` when the \
        run recorded them, otherwise the (mu, sigma2) logged with each release. Without --synapses, up to \
        four synapses spread over the range of presynaptic rates are shown.
        """)

    @Argument(help: ArgumentHelp("Run directory written by `vesicle run`.", valueName: "run"))
    var directory: String

    @Option(parsing: .upToNextOption, help: "Synapse indices to show in the histograms and posterior panels.")
    var synapses: [UInt64] = []

    @Option(help: "Posterior parameterisation of the synapses (MODEL.md §3): log or identity.")
    var link: String = WeightLink.log.rawValue

    @OptionGroup var options: PlotOutputOptions

    func validate() throws {
        guard WeightLink(rawValue: link) != nil else { throw ValidationError("--link must be log or identity") }
    }

    func run() throws {
        guard ReleaseLog.exists(directory: directory) else {
            throw VesicleIOError.invalidArgument("'\(directory)' has no release log (release.h5, release.*.npy or release.csv)")
        }
        let log = try ReleaseLog.read(directory: directory)
        let metadata = try? RunDirectory.metadata(of: directory)
        let duration = metadata?.simulatedTimeMs ?? (log.time.max() ?? 0)
        let summaries = ReleaseStatistics.summarize(
            synapse: log.synapse, presynaptic: log.pre, amplitude: log.amplitude, duration: duration,
            mu: log.mu, sigma2: log.sigma2, link: WeightLink(rawValue: link) ?? .log)
        var chosen = synapses
        if chosen.isEmpty {
            let byRate = summaries.sorted { $0.presynapticRate < $1.presynapticRate }
            let shown = min(4, byRate.count)
            var picks = Set<UInt64>()
            for k in 0..<shown { picks.insert(byRate[k * (byRate.count - 1) / max(1, shown - 1)].synapse) }
            chosen = picks.sorted()
        }
        let known = Set(log.synapse)
        if let missing = chosen.first(where: { !known.contains($0) }) {
            throw VesicleIOError.invalidArgument("synapse \(missing) never released in this run")
        }
        let histograms = chosen.map { id in
            ReleaseFigure.AmplitudeSample(synapse: id, amplitudes: log.synapse.indices.filter { log.synapse[$0] == id }.map { log.amplitude[$0] })
        }
        let rates = summaries.map(\.presynapticRate)
        let variability = summaries.map(\.normalizedVariability)
        let fit = ReleaseStatistics.fitVariability(rates: rates, variability: variability)
        let slope = ReleaseStatistics.logLogSlope(x: rates, y: variability)
        var label = String(format: "%d synapses; log-log slope %.3f", summaries.count, slope)
        if let fit {
            label += String(format: "; fit a = %.3g, ν₀ = %.3g Hz", fit.a, fit.nu0)
            if !fit.isIdentifiable { label += " (ν₀ not determined by the data: its 95 % profile interval is unbounded)" }
        }
        var curve: (@Sendable (Double) -> Double)?
        if let fit { curve = { nu in fit.value(at: nu) } }
        let posteriorVariability = summaries.map(\.posteriorNormalizedVariability)
        var posteriorCurve: (@Sendable (Double) -> Double)?
        if let posteriorFit = ReleaseStatistics.fitVariability(rates: rates, variability: posteriorVariability) {
            posteriorCurve = { nu in posteriorFit.value(at: nu) }
        }
        let variabilityData = ReleaseFigure.VariabilityData(
            rates: rates, variability: variability, fit: curve, fitLabel: label,
            posteriorVariability: posteriorVariability, posteriorFit: posteriorCurve, fitCaveat: fit?.caveat)
        let posterior = try posteriorSeries(chosen: chosen, log: log)
        let figure = try ReleaseFigure.make(
            histograms: histograms, variability: variabilityData, posterior: posterior,
            amplitudeUnit: metadata?.releaseAmplitudeUnit, width: options.width,
            panelHeight: options.width * 34 / 100)
        print("wrote \(try options.write(figure, directory: directory, name: "release"))")
    }

    private func posteriorSeries(chosen: [UInt64], log: ReleaseLog) throws -> [ReleaseFigure.PosteriorSeries] {
        let hasTraces = Trace.exists(directory: directory, name: "mu", indexColumn: "synapse")
            && Trace.exists(directory: directory, name: "sigma2", indexColumn: "synapse")
        let mu = hasTraces ? try Trace.read(directory: directory, name: "mu", indexColumn: "synapse") : nil
        let sigma2 = hasTraces ? try Trace.read(directory: directory, name: "sigma2", indexColumn: "synapse") : nil
        let teacher = Trace.exists(directory: directory, name: "teacher", indexColumn: "synapse")
            ? try Trace.read(directory: directory, name: "teacher", indexColumn: "synapse") : nil
        return chosen.prefix(4).map { id in
            let teacherSeries: (time: [Double], value: [Double]) = teacher?.series(index: id) ?? (time: [], value: [])
            if let mu, let sigma2 {
                let m = mu.series(index: id), v = sigma2.series(index: id)
                let n = min(m.time.count, v.time.count)
                return ReleaseFigure.PosteriorSeries(
                    synapse: id, time: Array(m.time.prefix(n)), mean: Array(m.value.prefix(n)),
                    variance: Array(v.value.prefix(n)), teacherTime: teacherSeries.time, teacher: teacherSeries.value)
            }
            let rows = log.synapse.indices.filter { log.synapse[$0] == id }
            return ReleaseFigure.PosteriorSeries(
                synapse: id, time: rows.map { log.time[$0] }, mean: rows.map { log.mu[$0] },
                variance: rows.map { log.sigma2[$0] }, teacherTime: teacherSeries.time, teacher: teacherSeries.value)
        }
    }
}

/// `vesicle plot membrane RUN`: the traces `record membrane` wrote, one panel per population.
struct PlotMembraneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "membrane",
        abstract: "Membrane potential of the recorded neurons, one panel per population.",
        discussion: """
        Reads the traces membrane_<population> (`record membrane P[...] every ...`). Without --neurons, the \
        first \(MembraneFigure.maximumNeuronsPerPanel) recorded neurons of each population are drawn; the \
        title says how many of how many.
        """)

    @Argument(help: ArgumentHelp("Run directory written by `vesicle run`.", valueName: "run"))
    var directory: String

    @Option(parsing: .upToNextOption, help: "Populations to draw (default: every population with a membrane trace).")
    var populations: [String] = []

    @Option(parsing: .upToNextOption, help: "Neuron indices to draw (within each population).")
    var neurons: [UInt64] = []

    @Option(name: .customLong("from"), parsing: .unconditional,
            help: "Start of the plotted window, with its unit: 100ms, 0.5s (a bare number is ms); default: the first sample.",
            transform: TimeOption.parse)
    var fromOption: TimeOption?

    @Option(name: .customLong("to"), parsing: .unconditional,
            help: "End of the plotted window, with its unit (a bare number is ms); default: the last sample.",
            transform: TimeOption.parse)
    var toOption: TimeOption?

    @OptionGroup var options: PlotOutputOptions

    var from: Double? { fromOption?.milliseconds }
    var to: Double? { toOption?.milliseconds }

    func validate() throws {
        try PlotWindow.validate(from: fromOption, to: toOption)
    }

    /// Populations with a membrane trace in `directory`, in the metadata's order.
    static func tracedPopulations(directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var found = Set<String>()
        for name in names where name.hasPrefix("traces.membrane_") {
            let rest = name.dropFirst("traces.membrane_".count)
            for suffix in [".csv", ".h5", ".time_ms.npy"] where rest.hasSuffix(suffix)
                && !rest.hasSuffix(".matrix.time_ms.npy") && !rest.hasSuffix(".report.h5") {
                found.insert(String(rest.dropLast(suffix.count)))
            }
        }
        let order = (try? RunDirectory.metadata(of: directory))?.populations.map(\.name) ?? []
        return found.sorted { (order.firstIndex(of: $0) ?? Int.max, $0) < (order.firstIndex(of: $1) ?? Int.max, $1) }
    }

    func run() throws {
        let available = Self.tracedPopulations(directory: directory)
        guard !available.isEmpty else {
            throw VesicleIOError.invalidArgument(
                "'\(directory)' has no membrane trace (traces.membrane_<population>.*); record one with `record membrane P every 0.1 ms`")
        }
        if let unknown = populations.first(where: { !available.contains($0) }) {
            throw VesicleIOError.invalidArgument(
                "no membrane trace of population '\(unknown)' in '\(directory)'; traced: \(available.joined(separator: ", "))")
        }
        var traces: [MembraneFigure.PopulationTraces] = []
        for population in populations.isEmpty ? available : populations {
            let trace = try Trace.read(directory: directory, name: "membrane_" + population)
            let recorded = Array(Set(trace.index)).sorted()
            let wanted = neurons.isEmpty ? Array(recorded.prefix(MembraneFigure.maximumNeuronsPerPanel)) : neurons
            if let missing = wanted.first(where: { !recorded.contains($0) }) {
                throw VesicleIOError.invalidArgument(
                    "neuron \(missing) of \(population) was not recorded; recorded: \(Self.ranges(recorded))")
            }
            traces.append(MembraneFigure.PopulationTraces(
                population: population, recordedNeurons: recorded.count,
                neurons: wanted.map { j in
                    let series = trace.series(index: j)
                    return MembraneFigure.NeuronTrace(neuron: j, time: series.time, potential: series.value)
                }))
        }
        let figure = try MembraneFigure.make(traces, from: from, to: to, width: options.width,
                                             panelHeight: options.width * 30 / 100)
        print("wrote \(try options.write(figure, directory: directory, name: "membrane"))")
    }

    /// `0-4, 7` for [0, 1, 2, 3, 4, 7].
    static func ranges(_ sorted: [UInt64]) -> String {
        var parts: [String] = []
        var k = 0
        while k < sorted.count {
            var j = k
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(j == k ? "\(sorted[k])" : "\(sorted[k])-\(sorted[j])")
            k = j + 1
        }
        return parts.joined(separator: ", ")
    }
}
