// Lowering of the input kinds labs use (docs/LANGUAGE.md, "Inputs"): per-neuron spike trains from a
// file or a list, inhomogeneous and sinusoidal Poisson trains, Gaussian noise currents and step
// currents, as NEST's spike_generator per neuron, inhomogeneous_poisson_generator,
// sinusoidal_poisson_generator, noise_generator and step_current_generator.

import Foundation
import VesicleModel

extension Checker {
    static let labInputKinds = ["spike_trains", "inhomogeneous_poisson", "sinusoidal_poisson", "noise", "step_current"]

    func labInputKind(_ kindName: Name, _ arguments: [Argument], at range: SourceRange) throws(Reported) -> InputSpec.Kind {
        let owner = "input kind '\(kindName.text)'"
        switch kindName.text {
        case "spike_trains":
            let bound = try bind(arguments, to: ["file", "times", "format"], of: owner, at: range)
            if let times = bound["times"] {
                guard bound["file"] == nil else {
                    throw fail(.invalidValue, "spike_trains takes 'file' or 'times', not both", at: range)
                }
                guard case .list(let items) = times.kind else {
                    throw fail(.invalidValue, "times must be one list of times per neuron, e.g. [[1 ms, 5 ms], [], [2 ms]]", at: times.range)
                }
                var trains: [[Double]] = []
                for item in items {
                    guard case .list(let entries) = item.kind else {
                        throw fail(.invalidValue, "each neuron's train is a list, e.g. [1 ms, 5 ms]", at: item.range)
                    }
                    var train: [Double] = []
                    for e in entries { train.append(try nonNegative(e, .time, "a spike time")) }
                    trains.append(train.sorted())
                }
                return .spikeTrains(trains)
            }
            guard let file = bound["file"] else {
                throw fail(.missingParameter, "spike_trains needs 'file' (a CSV of neuron,time_ms or one line per neuron) or 'times'",
                           at: range, notes: ["e.g. spike_trains(file = \"trains.csv\")"])
            }
            let path = try string(file, "the file path")
            let format: String
            if let e = bound["format"] {
                format = try choice(e, "file format", among: ["csv", "lines"])
            } else {
                format = path.lowercased().hasSuffix(".csv") ? "csv" : "lines"
            }
            return .spikeTrains(try readSpikeTrains(path, format: format, at: file.range))
        case "inhomogeneous_poisson":
            let bound = try bind(arguments, to: ["rate_times", "rate_values"], required: ["rate_times", "rate_values"],
                                 of: owner, at: range)
            let times = try quantityList(bound["rate_times"]!, .time, "a rate time")
            let rates = try quantityList(bound["rate_values"]!, .frequency, "a rate")
            guard times.count == rates.count, !times.isEmpty else {
                throw fail(.invalidValue, "rate_times and rate_values need the same number of entries, at least one (found \(times.count) and \(rates.count))",
                           at: range)
            }
            for (k, (a, b)) in zip(times, times.dropFirst()).enumerated() where !(a < b) {
                throw fail(.invalidValue, "rate_times must increase strictly: entry \(k + 2) (\(Quantity(b, .time).formatted)) is not after \(Quantity(a, .time).formatted)",
                           at: bound["rate_times"]!.range)
            }
            for (t, r) in zip(times, rates) where t < 0 || r < 0 {
                throw fail(.outOfRange, "rate times and rates cannot be negative", at: range)
            }
            return .inhomogeneousPoisson(times: times, rates: rates)
        case "sinusoidal_poisson":
            let bound = try bind(arguments, to: ["rate", "amplitude", "frequency", "phase"],
                                 required: ["rate", "amplitude", "frequency"], of: owner, at: range)
            let rate = try nonNegative(bound["rate"]!, .frequency, "the mean rate")
            let amplitude = try nonNegative(bound["amplitude"]!, .frequency, "the amplitude")
            let frequency = try nonNegative(bound["frequency"]!, .frequency, "the modulation frequency")
            let phase = try bound["phase"].map { e throws(Reported) in try quantity(e, .dimensionless, "the phase (degrees)") } ?? 0
            if amplitude > rate {
                warn("the amplitude exceeds the mean rate: the rate is clipped at 0 Hz where the sine would make it negative",
                     at: bound["amplitude"]!.range)
            }
            return .sinusoidalPoisson(rate: rate, amplitude: amplitude, frequency: frequency, phase: phase)
        case "noise":
            let bound = try bind(arguments, to: ["mean", "std", "dt"], required: ["std", "dt"], of: owner, at: range)
            let mean = try bound["mean"].map { e throws(Reported) in try quantity(e, .current, "the mean current") } ?? 0
            let std = try nonNegative(bound["std"]!, .current, "the standard deviation of the noise current")
            let dt = try positive(bound["dt"]!, .time, "dt (the interval between noise values)")
            return .noiseCurrent(mean: mean, std: std, dt: dt)
        default:
            let bound = try bind(arguments, to: ["amplitude_times", "amplitude_values"],
                                 required: ["amplitude_times", "amplitude_values"], of: owner, at: range)
            let times = try quantityList(bound["amplitude_times"]!, .time, "an amplitude time")
            let amplitudes = try quantityList(bound["amplitude_values"]!, .current, "an amplitude")
            guard times.count == amplitudes.count, !times.isEmpty else {
                throw fail(.invalidValue, "amplitude_times and amplitude_values need the same number of entries, at least one (found \(times.count) and \(amplitudes.count))",
                           at: range)
            }
            for (k, (a, b)) in zip(times, times.dropFirst()).enumerated() where !(a < b) {
                throw fail(.invalidValue, "amplitude_times must increase strictly: entry \(k + 2) (\(Quantity(b, .time).formatted)) is not after \(Quantity(a, .time).formatted)",
                           at: bound["amplitude_times"]!.range)
            }
            if times.contains(where: { $0 < 0 }) {
                throw fail(.outOfRange, "amplitude times cannot be negative", at: bound["amplitude_times"]!.range)
            }
            return .stepCurrent(times: times, amplitudes: amplitudes)
        }
    }

    /// Per-neuron trains against the statement's targets: as many trains as target neurons (a file
    /// that names fewer neurons gives the rest no spikes; one that names more is an error).
    func fitSpikeTrains(_ kind: InputSpec.Kind, targets: [ResolvedSlice], at range: SourceRange) throws(Reported) -> InputSpec.Kind {
        guard case .spikeTrains(var trains) = kind else { return kind }
        let count = targets.reduce(0) { $0 + ($1.slice.range?.count ?? $1.population.size) }
        guard trains.count <= count else {
            throw fail(.invalidValue, "the spike trains name \(trains.count) neurons, but the targets have \(count)", at: range,
                       notes: ["neuron k of the trains drives the k-th target neuron, the targets' neurons taken in order"])
        }
        trains += Array(repeating: [], count: count - trains.count)
        return .spikeTrains(trains)
    }

    /// `[a, b, c]` of quantities of one dimension.
    private func quantityList(_ expression: Expression, _ dimension: Dimension, _ what: String) throws(Reported) -> [Double] {
        guard case .list(let items) = expression.kind else {
            throw fail(.invalidValue, "expected a list such as [0 ms, 100 ms]", at: expression.range)
        }
        var values: [Double] = []
        for item in items { values.append(try quantity(item, dimension, what)) }
        return values
    }

    /// A file of per-neuron spike trains, relative to the network file: `csv`, rows `neuron,time_ms`
    /// with an optional header `neuron,time_ms` and `#` comments; or `lines`, line k (counting every
    /// line but `#` comments) holding neuron k's times in ms, separated by spaces or commas, empty for
    /// none. Errors name the file's line.
    private func readSpikeTrains(_ relativePath: String, format: String, at range: SourceRange) throws(Reported) -> [[Double]] {
        let fullPath = relativePath.hasPrefix("/") || baseDirectory.isEmpty
            ? relativePath : (baseDirectory as NSString).appendingPathComponent(relativePath)
        spec.readFiles.paths.append(fullPath)  // hashed into checkpoints (docs/CHECKPOINT.md)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: fullPath, isDirectory: &isDirectory) else {
            throw fail(.unreadableFile, "cannot read spike-train file '\(fullPath)': no such file", at: range)
        }
        guard !isDirectory.boolValue else {
            throw fail(.unreadableFile, "cannot read spike-train file '\(fullPath)': it is a directory", at: range)
        }
        guard let data = FileManager.default.contents(atPath: fullPath) else {
            throw fail(.unreadableFile, "cannot read spike-train file '\(fullPath)': permission denied or unreadable", at: range)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw fail(.unreadableFile, "spike-train file '\(fullPath)' is not valid UTF-8", at: range)
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map { $0.trimmingCharacters(in: .whitespaces) }
        if lines.last == "" { lines.removeLast() }
        var trains: [[Double]] = []
        func time(_ field: Substring, line: Int) throws(Reported) -> Double {
            let trimmed = field.trimmingCharacters(in: .whitespaces)
            guard let t = Double(trimmed), t.isFinite, t >= 0 else {
                throw fail(.invalidValue, "\(relativePath):\(line): '\(trimmed)' is not a spike time (a non-negative number of ms)", at: range)
            }
            return t
        }
        for (number, rawLine) in lines.enumerated() {
            let line = rawLine.hasPrefix("#") ? "" : rawLine
            if format == "lines" {
                if rawLine.hasPrefix("#") { continue }
                var train: [Double] = []
                for field in line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) {
                    train.append(try time(field, line: number + 1))
                }
                trains.append(train.sorted())
                continue
            }
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if number == 0 || trains.isEmpty, fields.count == 2,
               fields[0].trimmingCharacters(in: .whitespaces) == "neuron", fields[1].trimmingCharacters(in: .whitespaces) == "time_ms" {
                continue
            }
            guard fields.count == 2 else {
                throw fail(.invalidValue, "\(relativePath):\(number + 1): expected 'neuron,time_ms', found '\(line)'", at: range,
                           notes: ["a CSV of spike trains has two columns: the neuron index (from 0) and the time in ms"])
            }
            let neuronText = fields[0].trimmingCharacters(in: .whitespaces)
            guard let neuron = Int(neuronText), neuron >= 0, neuron < 1 << 32 else {
                throw fail(.invalidValue, "\(relativePath):\(number + 1): '\(neuronText)' is not a neuron index (an integer from 0)", at: range)
            }
            let t = try time(fields[1], line: number + 1)
            while trains.count <= neuron { trains.append([]) }
            trains[neuron].append(t)
        }
        return trains.map { $0.sorted() }
    }
}
