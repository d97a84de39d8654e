import ArgumentParser
import Foundation
import VesicleAnalysis
import VesicleIO

/// `vesicle analyze RUN`: per-population spike statistics and, when the run logged releases,
/// the PSP variability study of docs/MODEL.md §6; prints a table and writes `RUN/analysis.json`.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Rates, CV of ISI, Fano factor and synchrony per population; PSP variability against presynaptic rate.",
        discussion: """
        Statistics follow SpikeTrainStatistics: CV over neurons with at least 2 intervals, Fano factor of \
        single-neuron counts in --fano-bin bins (population variance, ddof 0) over neurons that fired, \
        synchrony as the spike-count form of Golomb's chi in 1 ms bins. Release statistics use synapses \
        with at least 2 releases; the fit is y = (a/nu)(sqrt(1 + nu/nu0) - 1) by least squares in log y.
        """)

    @Argument(help: ArgumentHelp("Run directory written by `vesicle run`.", valueName: "run"))
    var directory: String

    // Times take units through TimeOption (`--fano-bin 50ms`, `--to 1.1s`; a bare number is ms, with
    // a notice); `.unconditional` so that a leading '-' is a value and then a range error (issue 15).
    @Option(name: .customLong("from"), parsing: .unconditional,
            help: "Start of the analysed window, with its unit (a bare number is ms); default: the end of the run's warm-up (0 if unknown).",
            transform: TimeOption.parse)
    var fromTime: TimeOption?

    @Option(name: .customLong("to"), parsing: .unconditional,
            help: "End of the analysed window, with its unit (a bare number is ms); default: the simulated time reached.",
            transform: TimeOption.parse)
    var toTime: TimeOption?

    @Option(name: .customLong("fano-bin"), parsing: .unconditional, help: "Bin width for the Fano factor, with its unit: 100ms.",
            transform: TimeOption.parse)
    var fanoBinTime = TimeOption(milliseconds: 100, text: "100ms", bare: false)

    @Option(help: "Where to write the JSON report (default: RUN/analysis.json).")
    var output: String?

    @Option(help: "Posterior parameterisation of the synapses (MODEL.md §3): log or identity.")
    var link: String = WeightLink.log.rawValue

    @Option(help: ArgumentHelp("Correlogram by FFT: POP (pooled spikes), POP:i (auto) or POP:i,j (j after i); repeatable.",
                               valueName: "POP[:i[,j]]"))
    var correlogram: [String] = []

    @Option(name: .customLong("bin"), parsing: .unconditional, help: "Correlogram bin width, with its unit: 1ms.",
            transform: TimeOption.parse)
    var binTime = TimeOption(milliseconds: 1, text: "1ms", bare: false)

    @Option(name: .customLong("max-lag"), parsing: .unconditional, help: "Largest correlogram lag, with its unit: 50ms.",
            transform: TimeOption.parse)
    var maxLagTime = TimeOption(milliseconds: 50, text: "50ms", bare: false)

    @Option(name: .customLong("smoothed-rate"), help: ArgumentHelp("Population rate smoothed by a Gaussian; repeatable.", valueName: "POP"))
    var smoothedRate: [String] = []

    @Option(name: .customLong("sigma"), parsing: .unconditional, help: "Standard deviation of the rate's Gaussian kernel, with its unit: 5ms.",
            transform: TimeOption.parse)
    var sigmaTime = TimeOption(milliseconds: 5, text: "5ms", bare: false)

    @Option(name: .customLong("rate-bin"), parsing: .unconditional, help: "Bin width of the smoothed rate, with its unit: 1ms.",
            transform: TimeOption.parse)
    var rateBinTime = TimeOption(milliseconds: 1, text: "1ms", bare: false)

    // The analysis reads every time in ms.
    var fromOption: Double? { fromTime?.milliseconds }
    var to: Double? { toTime?.milliseconds }
    var fanoBin: Double { fanoBinTime.milliseconds }
    var bin: Double { binTime.milliseconds }
    var maxLag: Double { maxLagTime.milliseconds }
    var sigma: Double { sigmaTime.milliseconds }
    var rateBin: Double { rateBinTime.milliseconds }

    func validate() throws {
        try validateRanges()
        // In range: a bare number gets its "read as ms" notice.
        for (flag, time) in [("--from", fromTime), ("--to", toTime), ("--fano-bin", fanoBinTime), ("--bin", binTime),
                             ("--max-lag", maxLagTime), ("--sigma", sigmaTime), ("--rate-bin", rateBinTime)] {
            if let time, time.bare { try time.validate(flag: flag, allowZero: true) }
        }
        if let to { guard to > (fromOption ?? 0), to.isFinite else { throw ValidationError("--to must be after --from") } }
        guard fanoBin > 0, fanoBin.isFinite else { throw ValidationError("--fano-bin must be > 0 ms") }
        guard WeightLink(rawValue: link) != nil else { throw ValidationError("--link must be log or identity") }
        try validateKernelOptions()
    }

    func run() throws {
        let recording = try RunRecording.load(directory: directory)
        guard recording.raster != nil || recording.hasReleaseLog else {
            throw VesicleIOError.invalidArgument("'\(directory)' holds neither a spike raster nor a release log")
        }
        let from = fromOption ?? recording.metadata?.warmupMs ?? 0
        var end = to ?? recording.simulatedTime
        var releaseLog: ReleaseLog?
        if recording.hasReleaseLog {
            let log = try ReleaseLog.read(directory: directory)
            // Without metadata the window ends at the last recorded event.
            if to == nil, recording.metadata == nil { end = max(end, log.time.max().map { $0.nextUp } ?? end) }
            releaseLog = log
        }
        guard end > from else {
            throw VesicleIOError.invalidArgument("the analysed window \(from)...\(end) ms is empty; pass --to")
        }
        try checkBinCounts(from: from, to: end)
        var report = AnalysisReport(run: directory, fromMs: from, toMs: end, fanoBinMs: fanoBin, complete: recording.metadata?.completed)
        if let raster = recording.raster {
            for (p, name) in raster.populations.enumerated() {
                let trains = try raster.trains(population: p, neuronCount: recording.populationSizes[p])
                let stats = SpikeTrainStatistics.compute(times: trains, from: from, to: end, fanoBin: fanoBin)
                report.populations.append(.init(name: name, statistics: stats))
            }
        }
        (report.correlograms, report.smoothedRates) = try kernelAnalyses(
            raster: recording.raster, sizes: recording.populationSizes, from: from, to: end)
        if let log = releaseLog {
            let inWindow = log.time.indices.filter { log.time[$0] >= from && log.time[$0] < end }
            let summaries = ReleaseStatistics.summarize(
                synapse: inWindow.map { log.synapse[$0] }, presynaptic: inWindow.map { log.pre[$0] },
                amplitude: inWindow.map { log.amplitude[$0] }, duration: end - from,
                mu: inWindow.map { log.mu[$0] }, sigma2: inWindow.map { log.sigma2[$0] }, link: WeightLink(rawValue: link) ?? .log)
            report.release = ReleaseReport(summaries: summaries)
        }
        print(report.table())
        let path = output ?? directory + "/analysis.json"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try (try encoder.encode(report)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw VesicleIOError.writeFailed(path: path, reason: error.localizedDescription)
        }
        // A later `vesicle run --force` into this directory removes the report with the run.
        try RunDirectory.registerDerivedFile(path, inRun: directory)
        print("wrote \(path)")
    }
}

/// The JSON written by `vesicle analyze`; undefined statistics (NaN) are `null`.
struct AnalysisReport: Encodable {
    struct Population: Encodable {
        var name: String
        var neurons: Int
        var spikes: Int
        var rateHz: Double?
        var cv: Double?
        var neuronsWithCV: Int
        var fano: Double?
        var synchrony: Double?
        /// Why `cv` / `fano` is null, when it is (an undefined statistic is never printed as 0).
        var cvUndefined: String?
        var fanoUndefined: String?

        init(name: String, statistics s: SpikeTrainStatistics) {
            self.name = name
            neurons = s.neurons
            spikes = s.spikes
            rateHz = finite(s.rate)
            cv = finite(s.cv)
            neuronsWithCV = s.neuronsWithCV
            fano = finite(s.fano)
            synchrony = finite(s.synchrony)
            cvUndefined = s.cvUndefinedReason
            fanoUndefined = s.fanoUndefinedReason
        }

        enum CodingKeys: String, CodingKey {
            case name, neurons, spikes, cv, fano, synchrony
            case rateHz = "rate_hz"
            case neuronsWithCV = "neurons_with_cv"
            case cvUndefined = "cv_undefined"
            case fanoUndefined = "fano_undefined"
        }

        /// Undefined statistics as JSON `null` (with the reason beside them), not left out.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(neurons, forKey: .neurons)
            try c.encode(spikes, forKey: .spikes)
            try c.encode(rateHz, forKey: .rateHz)
            try c.encode(cv, forKey: .cv)
            try c.encode(neuronsWithCV, forKey: .neuronsWithCV)
            try c.encode(fano, forKey: .fano)
            try c.encode(synchrony, forKey: .synchrony)
            try c.encodeIfPresent(cvUndefined, forKey: .cvUndefined)
            try c.encodeIfPresent(fanoUndefined, forKey: .fanoUndefined)
        }
    }

    struct Synapse: Encodable {
        var synapse: UInt64
        var pre: UInt64
        var releases: Int
        var meanAmplitude: Double?
        var amplitudeVariance: Double?
        var normalizedVariability: Double?
        var presynapticRateHz: Double?
        var posteriorNormalizedVariability: Double?

        enum CodingKeys: String, CodingKey {
            case synapse, pre, releases
            case posteriorNormalizedVariability = "posterior_normalized_variability"
            case meanAmplitude = "mean_amplitude"
            case amplitudeVariance = "amplitude_variance"
            case normalizedVariability = "normalized_variability"
            case presynapticRateHz = "presynaptic_rate_hz"
        }
    }

    var run: String
    var fromMs: Double
    var toMs: Double
    var fanoBinMs: Double
    var complete: Bool?
    var populations: [Population] = []
    var release: ReleaseReport?
    var correlograms: [CorrelogramReport] = []
    var smoothedRates: [SmoothedRateReport] = []

    enum CodingKeys: String, CodingKey {
        case run, complete, populations, release, correlograms
        case smoothedRates = "smoothed_rates"
        case fromMs = "from_ms"
        case toMs = "to_ms"
        case fanoBinMs = "fano_bin_ms"
    }

    init(run: String, fromMs: Double, toMs: Double, fanoBinMs: Double, complete: Bool?) {
        self.run = run
        self.fromMs = fromMs
        self.toMs = toMs
        self.fanoBinMs = fanoBinMs
        self.complete = complete
    }

    func table() -> String {
        var lines: [String] = []
        if complete == false { lines.append("note: the run did not complete; statistics cover the part recorded") }
        lines.append(String(format: "window %.1f-%.1f ms, Fano bins %.0f ms", fromMs, toMs, fanoBinMs))
        if !populations.isEmpty {
            lines.append("population   neurons     spikes   rate (Hz)       CV     Fano  synchrony")
            for p in populations {
                lines.append(
                    p.name.padding(toLength: max(10, p.name.count), withPad: " ", startingAt: 0)
                        + String(format: " %9d %10d", p.neurons, p.spikes)
                        + " " + column(p.rateHz, 11, "%.3f") + " " + column(p.cv, 8, "%.3f")
                        + " " + column(p.fano, 8, "%.3f") + " " + column(p.synchrony, 10, "%.4f"))
            }
            for p in populations {
                if let reason = p.cvUndefined { lines.append("  \(p.name): CV undefined (-): \(reason)") }
                if let reason = p.fanoUndefined { lines.append("  \(p.name): Fano factor undefined (-): \(reason)") }
            }
        }
        if let release {
            lines.append("release log: \(release.synapses.count) synapses with >= 2 releases")
            if let a = release.fitA, let nu0 = release.fitNu0Hz {
                lines.append(String(format: "fit y = (a/nu)(sqrt(1+nu/nu0)-1): a = %.4g, nu0 = %.4g Hz, rms log residual %.3f",
                                    a, nu0, release.fitLogResidual ?? .nan)
                    + ReleaseReport.intervalText(release.fitNu0IntervalHz))
                if let caveat = release.fitCaveat { lines.append("  caveat: \(caveat)") }
            } else {
                lines.append("fit: not enough synapses with positive variability")
            }
            lines.append("log-log slope of PSP variance/mean against rate: " + column(release.logLogSlope, 0, "%.3f"))
            if let a = release.posteriorFitA, let nu0 = release.posteriorFitNu0Hz {
                lines.append(String(format: "posterior s2/m: fit a = %.4g, nu0 = %.4g Hz", a, nu0)
                    + ReleaseReport.intervalText(release.posteriorFitNu0IntervalHz) + "; log-log slope "
                    + column(release.posteriorLogLogSlope, 0, "%.3f"))
                if let caveat = release.posteriorFitCaveat { lines.append("  caveat: \(caveat)") }
            }
        }
        lines += kernelTable()
        return lines.joined(separator: "\n")
    }

    private func column(_ value: Double?, _ width: Int, _ format: String) -> String {
        let text = value.map { String(format: format, $0) } ?? "-"
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// Release statistics of `vesicle analyze` (docs/MODEL.md §6, variability against rate).
struct ReleaseReport: Encodable {
    var synapses: [AnalysisReport.Synapse]
    var fitA: Double?
    var fitNu0Hz: Double?
    var fitLogResidual: Double?
    var logLogSlope: Double?
    /// The same fit and slope for the time-averaged posterior s2/m (docs/MODEL.md §6, Fig. 5).
    var posteriorFitA: Double?
    var posteriorFitNu0Hz: Double?
    var posteriorLogLogSlope: Double?
    /// 95 % profile-likelihood interval of nu0, [lower, upper] with null for an unbounded side,
    /// whether nu0 is determined by the data, and why not (`VariabilityFit.caveat`).
    var fitNu0IntervalHz: [Double?]?
    var fitIdentifiable: Bool?
    var fitCaveat: String?
    var posteriorFitNu0IntervalHz: [Double?]?
    var posteriorFitIdentifiable: Bool?
    var posteriorFitCaveat: String?

    /// `" (95 % interval 1.2-3.4 Hz)"`, with "unbounded" for an open side.
    static func intervalText(_ interval: [Double?]?) -> String {
        guard let interval, interval.count == 2 else { return "" }
        let text: String
        switch (interval[0].map { String(format: "%.3g", $0) }, interval[1].map { String(format: "%.3g", $0) }) {
        case let (lower?, upper?): text = "\(lower) to \(upper) Hz"
        case let (lower?, nil): text = "above \(lower) Hz, unbounded"
        case let (nil, upper?): text = "below \(upper) Hz, unbounded"
        case (nil, nil): text = "unbounded"
        }
        return " (nu0 95 % profile interval: \(text))"
    }

    enum CodingKeys: String, CodingKey {
        case synapses
        case posteriorFitA = "posterior_fit_a"
        case posteriorFitNu0Hz = "posterior_fit_nu0_hz"
        case posteriorLogLogSlope = "posterior_log_log_slope"
        case fitA = "fit_a"
        case fitNu0Hz = "fit_nu0_hz"
        case fitLogResidual = "fit_log_residual"
        case logLogSlope = "log_log_slope"
        case fitNu0IntervalHz = "fit_nu0_interval_95_hz"
        case fitIdentifiable = "fit_identifiable"
        case fitCaveat = "fit_caveat"
        case posteriorFitNu0IntervalHz = "posterior_fit_nu0_interval_95_hz"
        case posteriorFitIdentifiable = "posterior_fit_identifiable"
        case posteriorFitCaveat = "posterior_fit_caveat"
    }

    /// Encodes the optional fields as JSON `null` rather than leaving them out, so a reader sees
    /// that a value is undefined.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(synapses, forKey: .synapses)
        try c.encode(fitA, forKey: .fitA)
        try c.encode(fitNu0Hz, forKey: .fitNu0Hz)
        try c.encode(fitLogResidual, forKey: .fitLogResidual)
        try c.encode(logLogSlope, forKey: .logLogSlope)
        try c.encode(fitNu0IntervalHz, forKey: .fitNu0IntervalHz)
        try c.encode(fitIdentifiable, forKey: .fitIdentifiable)
        try c.encode(fitCaveat, forKey: .fitCaveat)
        try c.encode(posteriorFitA, forKey: .posteriorFitA)
        try c.encode(posteriorFitNu0Hz, forKey: .posteriorFitNu0Hz)
        try c.encode(posteriorLogLogSlope, forKey: .posteriorLogLogSlope)
        try c.encode(posteriorFitNu0IntervalHz, forKey: .posteriorFitNu0IntervalHz)
        try c.encode(posteriorFitIdentifiable, forKey: .posteriorFitIdentifiable)
        try c.encode(posteriorFitCaveat, forKey: .posteriorFitCaveat)
    }

    init(summaries: [SynapseReleaseSummary]) {
        synapses = summaries.map {
            AnalysisReport.Synapse(
                synapse: $0.synapse, pre: $0.presynaptic, releases: $0.releases, meanAmplitude: finite($0.meanAmplitude),
                amplitudeVariance: finite($0.amplitudeVariance), normalizedVariability: finite($0.normalizedVariability),
                presynapticRateHz: finite($0.presynapticRate),
                posteriorNormalizedVariability: finite($0.posteriorNormalizedVariability))
        }
        let rates = summaries.map(\.presynapticRate)
        let variability = summaries.map(\.normalizedVariability)
        let fit = ReleaseStatistics.fitVariability(rates: rates, variability: variability)
        fitA = fit?.a
        fitNu0Hz = fit?.nu0
        fitLogResidual = fit?.logResidual
        fitNu0IntervalHz = fit.map { [$0.nu0Lower, $0.nu0Upper] }
        fitIdentifiable = fit?.isIdentifiable
        fitCaveat = fit?.caveat
        logLogSlope = finite(ReleaseStatistics.logLogSlope(x: rates, y: variability))
        let posterior = summaries.map(\.posteriorNormalizedVariability)
        let posteriorFit = ReleaseStatistics.fitVariability(rates: rates, variability: posterior)
        posteriorFitA = posteriorFit?.a
        posteriorFitNu0Hz = posteriorFit?.nu0
        posteriorFitNu0IntervalHz = posteriorFit.map { [$0.nu0Lower, $0.nu0Upper] }
        posteriorFitIdentifiable = posteriorFit?.isIdentifiable
        posteriorFitCaveat = posteriorFit?.caveat
        posteriorLogLogSlope = finite(ReleaseStatistics.logLogSlope(x: rates, y: posterior))
    }
}

/// NaN and infinities become nil (JSON `null`).
func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
