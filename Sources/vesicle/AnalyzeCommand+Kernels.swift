import ArgumentParser
import Foundation
import VesicleAnalysis
import VesicleIO

/// What `--correlogram` asks for: `POP` (the population's pooled spikes against themselves),
/// `POP:i` (neuron i's auto-correlogram) or `POP:i,j` (neuron j's spikes by lag after neuron i's).
struct CorrelogramRequest: Equatable {
    var population: String
    var neurons: [Int]

    init(parsing text: String) throws {
        if let colon = text.lastIndex(of: ":") {
            let indices = text[text.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false)
            let parsed = indices.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !indices.isEmpty, indices.count <= 2, parsed.count == indices.count, parsed.allSatisfy({ $0 >= 0 }) else {
                throw ValidationError("--correlogram \(text): expected POP, POP:i or POP:i,j with neuron indices >= 0")
            }
            population = String(text[..<colon])
            neurons = parsed
        } else {
            population = text
            neurons = []
        }
        guard !population.isEmpty else { throw ValidationError("--correlogram \(text): the population name is missing") }
    }

    var label: String { neurons.isEmpty ? population : population + ":" + neurons.map(String.init).joined(separator: ",") }
}

/// A correlogram in `analysis.json`: pairs by lag (ms) of the target spikes after the reference spikes.
struct CorrelogramReport: Encodable {
    var population: String
    /// Empty: pooled population; [i]: auto of neuron i; [i, j]: j relative to i.
    var neurons: [Int]
    var binMs: Double
    var lagsMs: [Double]
    var counts: [Int]
    var referenceSpikes: Int
    var targetSpikes: Int

    enum CodingKeys: String, CodingKey {
        case population, neurons, counts
        case binMs = "bin_ms"
        case lagsMs = "lags_ms"
        case referenceSpikes = "reference_spikes"
        case targetSpikes = "target_spikes"
    }

    /// Spikes in [from, to), shifted to start at 0 so that bins start at `from`.
    init(_ request: CorrelogramRequest, trains: [[Double]], from: Double, to: Double, binWidth: Double, maxLag: Double) throws {
        func window(_ times: [Double]) -> [Double] { times.filter { $0 >= from && $0 < to }.map { $0 - from } }
        for i in request.neurons where i >= trains.count {
            throw VesicleIOError.invalidArgument("--correlogram \(request.label): population \(request.population) has \(trains.count) neurons")
        }
        let lagBins = Int((maxLag / binWidth).rounded(.down))
        let correlogram: Correlogram
        let reference: [Double], target: [Double]
        do {
            switch request.neurons.count {
            case 0:
                reference = window(trains.flatMap { $0 }).sorted()
                target = reference
                correlogram = try Correlogram.auto(reference, binWidth: binWidth, maxLag: lagBins)
            case 1:
                reference = window(trains[request.neurons[0]])
                target = reference
                correlogram = try Correlogram.auto(reference, binWidth: binWidth, maxLag: lagBins)
            default:
                reference = window(trains[request.neurons[0]])
                target = window(trains[request.neurons[1]])
                correlogram = try Correlogram.cross(reference: reference, target: target, binWidth: binWidth, maxLag: lagBins)
            }
        } catch let error as ConvolutionAnalysisError {
            throw VesicleIOError.invalidArgument("--correlogram \(request.label): \(error)")
        }
        population = request.population
        neurons = request.neurons
        binMs = binWidth
        lagsMs = correlogram.lagTimes
        counts = correlogram.counts
        referenceSpikes = reference.count
        targetSpikes = target.count
    }

    func tableLine() -> String {
        let label = neurons.isEmpty ? population + " (pooled)" : population + ":" + neurons.map(String.init).joined(separator: ",")
        let peakIndex = counts.indices.max { counts[$0] < counts[$1] }
        let peak = peakIndex.flatMap { counts[$0] > 0 ? String(format: "%.1f", lagsMs[$0]) : nil } ?? "-"
        let zero = counts[counts.count / 2]
        let mean = Double(counts.reduce(0, +)) / Double(max(counts.count, 1))
        return label.padding(toLength: max(18, label.count), withPad: " ", startingAt: 0)
            + String(format: " %8d %8d ", referenceSpikes, targetSpikes)
            + String(repeating: " ", count: max(0, 10 - peak.count)) + peak
            + String(format: " %8d %10.2f", zero, mean)
    }
}

/// A smoothed population rate in `analysis.json` (VesicleAnalysis.PopulationRate, Gaussian kernel).
struct SmoothedRateReport: Encodable {
    var population: String
    var binMs: Double
    var sigmaMs: Double
    /// Start time of each bin, ms.
    var timesMs: [Double]
    var rateHz: [Double]

    enum CodingKeys: String, CodingKey {
        case population
        case binMs = "bin_ms"
        case sigmaMs = "sigma_ms"
        case timesMs = "times_ms"
        case rateHz = "rate_hz"
    }

    init(population: String, trains: [[Double]], from: Double, to: Double, binWidth: Double, sigma: Double) throws {
        let spikes = trains.flatMap { $0 }.filter { $0 >= from && $0 < to }.map { $0 - from }
        do {
            rateHz = try PopulationRate.smoothed(spikeTimes: spikes, neuronCount: trains.count, binWidth: binWidth,
                                                 duration: to - from, smoothing: .gaussian(sigma: sigma))
        } catch let error as ConvolutionAnalysisError {
            throw VesicleIOError.invalidArgument("--smoothed-rate \(population): \(error)")
        }
        self.population = population
        binMs = binWidth
        sigmaMs = sigma
        timesMs = rateHz.indices.map { from + Double($0) * binWidth }
    }

    func tableLine() -> String {
        let mean = rateHz.reduce(0, +) / Double(max(rateHz.count, 1))
        let sd = (rateHz.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(rateHz.count, 1))).squareRoot()
        return population.padding(toLength: max(10, population.count), withPad: " ", startingAt: 0)
            + String(format: " %9d %10.3f %10.3f %10.3f %10.3f", rateHz.count, mean, sd, rateHz.min() ?? .nan, rateHz.max() ?? .nan)
    }
}

extension AnalyzeCommand {
    /// Correlograms and smoothed rates asked for on the command line, from the run's raster.
    func kernelAnalyses(raster: SpikeRaster?, sizes: [Int], from: Double, to: Double) throws
        -> (correlograms: [CorrelogramReport], rates: [SmoothedRateReport]) {
        let requests = try correlogram.map(CorrelogramRequest.init(parsing:))
        guard !requests.isEmpty || !smoothedRate.isEmpty else { return ([], []) }
        guard let raster else {
            throw VesicleIOError.invalidArgument("'\(directory)' holds no spike raster for --correlogram or --smoothed-rate")
        }
        func trains(_ name: String, _ option: String) throws -> [[Double]] {
            guard let p = raster.populations.firstIndex(of: name) else {
                throw VesicleIOError.invalidArgument(
                    "\(option) \(name): the raster has no population '\(name)' (it has \(raster.populations.joined(separator: ", ")))")
            }
            return try raster.trains(population: p, neuronCount: sizes[p])
        }
        let correlograms = try requests.map {
            try CorrelogramReport($0, trains: try trains($0.population, "--correlogram"), from: from, to: to,
                                  binWidth: bin, maxLag: maxLag)
        }
        let rates = try smoothedRate.map {
            try SmoothedRateReport(population: $0, trains: try trains($0, "--smoothed-rate"), from: from, to: to,
                                   binWidth: rateBin, sigma: sigma)
        }
        return (correlograms, rates)
    }

    func validateKernelOptions() throws {
        guard bin.isFinite, bin > 0 else { throw ValidationError("--bin must be > 0 ms") }
        guard maxLag.isFinite, maxLag >= 0 else { throw ValidationError("--max-lag must be >= 0 ms") }
        guard maxLag / bin <= Double(Correlogram.maximumBins) else {
            throw ValidationError("--max-lag \(maxLag) ms is more than \(Correlogram.maximumBins) bins of \(bin) ms; use wider bins")
        }
        guard rateBin.isFinite, rateBin > 0 else { throw ValidationError("--rate-bin must be > 0 ms") }
        guard sigma.isFinite, sigma > 0 else { throw ValidationError("--sigma must be > 0 ms") }
        for text in correlogram { _ = try CorrelogramRequest(parsing: text) }
    }
}

extension AnalysisReport {
    func kernelTable() -> [String] {
        var lines: [String] = []
        if !correlograms.isEmpty {
            lines.append("correlogram         ref spk  tgt spk  peak (ms)   lag 0  mean/bin")
            lines += correlograms.map { $0.tableLine() }
        }
        if !smoothedRates.isEmpty {
            lines.append("smoothed rate   bins   mean (Hz)    sd (Hz)   min (Hz)   max (Hz)")
            lines += smoothedRates.map { $0.tableLine() }
        }
        return lines
    }
}
