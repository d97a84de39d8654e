import ArgumentParser
import Foundation
import VesicleAnalysis
import VesicleIO
import VesiclePlot

/// `vesicle plot raster|release RUN`: figures of a run directory, as SVG or PNG.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw figures of a run: spike raster with population rate, release statistics.",
        subcommands: [PlotRasterCommand.self, PlotReleaseCommand.self])
}

/// Options shared by the plot subcommands.
struct PlotOutputOptions: ParsableArguments {
    @Option(help: "Image format: svg or png (default: from --output's extension, else svg).")
    var format: String?

    @Option(help: "Output file (default: RUN/<figure>.<format>).")
    var output: String?

    @Option(help: "Figure width in pixels.")
    var width: Int = 1000

    func validate() throws {
        if let format { guard ["svg", "png"].contains(format.lowercased()) else { throw ValidationError("--format must be svg or png") } }
        guard (200...8000).contains(width) else { throw ValidationError("--width must be within 200...8000 pixels") }
    }

    /// Renders `figure` to the chosen path, atomically, and returns that path.
    func write(_ figure: Figure, directory: String, name: String) throws -> String {
        let chosen = format?.lowercased() ?? (output.map { $0.lowercased().hasSuffix(".png") ? "png" : "svg" } ?? "svg")
        let path = output ?? "\(directory)/\(name).\(chosen)"
        let data = chosen == "png" ? Data(try PNGRenderer.render(figure)) : Data(SVGRenderer.render(figure).utf8)
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw VesicleIOError.writeFailed(path: path, reason: error.localizedDescription)
        }
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
        the rule; the rate panel always uses every spike.
        """)

    @Argument(help: ArgumentHelp("Run directory written by `vesicle run`.", valueName: "run"))
    var directory: String

    @Option(help: "Start of the plotted window (ms).")
    var from: Double = 0

    @Option(help: "End of the plotted window (ms); default: the simulated time reached.")
    var to: Double?

    @Option(name: .customLong("max-neurons"), help: "Neurons drawn per population at most.")
    var maxNeurons: Int = 100

    @Option(name: .customLong("max-dots"), help: "Spikes drawn in all at most.")
    var maxDots: Int = 200_000

    @OptionGroup var options: PlotOutputOptions

    func validate() throws {
        guard maxNeurons >= 1 else { throw ValidationError("--max-neurons must be >= 1") }
        guard maxDots >= 1 else { throw ValidationError("--max-dots must be >= 1") }
        guard from.isFinite, from >= 0 else { throw ValidationError("--from must be >= 0 ms") }
    }

    func run() throws {
        let recording = try RunRecording.load(directory: directory)
        guard let raster = recording.raster else {
            throw VesicleIOError.invalidArgument("'\(directory)' has no spike raster (spikes.h5, spikes.<population>.*.npy or spikes.csv)")
        }
        let end = to ?? max(recording.simulatedTime, from + 1)
        guard end > from else { throw VesicleIOError.invalidArgument("--to must be after --from") }
        let populations = raster.populations.indices.map { p in
            PopulationSpikes(
                name: raster.populations[p], neuronCount: recording.populationSizes[p], neurons: raster.neurons[p],
                times: raster.times[p])
        }
        let height = options.width * 76 / 100
        let figure = try RasterFigure.make(
            populations: populations, from: from, to: end, maxNeuronsPerPopulation: maxNeurons, maxDots: maxDots,
            width: options.width, height: height)
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
        if let fit { label += String(format: "; fit a = %.3g, nu0 = %.3g Hz", fit.a, fit.nu0) }
        var curve: (@Sendable (Double) -> Double)?
        if let fit { curve = { nu in fit.value(at: nu) } }
        let posteriorVariability = summaries.map(\.posteriorNormalizedVariability)
        var posteriorCurve: (@Sendable (Double) -> Double)?
        if let posteriorFit = ReleaseStatistics.fitVariability(rates: rates, variability: posteriorVariability) {
            posteriorCurve = { nu in posteriorFit.value(at: nu) }
        }
        let variabilityData = ReleaseFigure.VariabilityData(
            rates: rates, variability: variability, fit: curve, fitLabel: label,
            posteriorVariability: posteriorVariability, posteriorFit: posteriorCurve)
        let posterior = try posteriorSeries(chosen: chosen, log: log)
        let figure = try ReleaseFigure.make(
            histograms: histograms, variability: variabilityData, posterior: posterior, width: options.width,
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
