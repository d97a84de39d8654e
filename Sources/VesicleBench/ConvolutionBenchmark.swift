import Foundation
import VesicleKernels

/// `vesicle bench convolve` (docs/BENCHMARKS.md §4): for each kernel length and channel count, the time
/// of the FFT path (overlap-save through `StreamingConvolver`), of the direct path, and of the bare
/// FFTW transforms the FFT path performs, with the ratios FFT/bare and direct/FFT, and the time of
/// one plain copy of the input to the output (the least memory traffic any path pays).
///
/// The bare transforms (`StreamingConvolver.runBareTransforms`) are the FFT path's own FFTW calls
/// and nothing else: the same plans, the same number of r2c and c2r executions in the same order,
/// on the same arrays (the caller's input and output for in-place segments, so they read and
/// write memory exactly as the FFT path does; the convolver's buffers for buffered segments),
/// run right after the FFT path on the same data. What the FFT path adds is the spectrum
/// products, the copies of buffered segments and the history update.
///
/// Times are CPU time of the benchmark thread (`ThreadCPUClock`), best of up to 5 interleaved
/// repetitions: on a shared machine, time spent descheduled would otherwise dominate the noise.
/// Channels are processed in groups of at most 2^23 samples (64 MiB) so that 1000 channels of
/// 10^7 samples fit in memory; every channel of every group is convolved and timed. Plan creation
/// and the kernel spectrum are outside the timings (one untimed run of every group first creates
/// the plans the timed runs use). When the direct path would take longer than
/// `directBudgetSeconds`, it is timed (best of 2) on one channel of a shorter signal and scaled by
/// the ratio of samples (its cost is exactly K multiply-adds per output sample), and marked
/// extrapolated.
public enum ConvolutionBenchmark {
    public struct Row: Sendable, Codable, Equatable {
        public let kernelLength: Int
        public let channels: Int
        public let signalLength: Int
        public let fftLength: Int
        public let fftSeconds: Double
        public let bareTransformSeconds: Double
        /// One copy of every input sample to the output array: the memory traffic any path pays
        /// and the bare transforms do not.
        public let copySeconds: Double
        public let directSeconds: Double
        public let directExtrapolated: Bool
        public var fftOverBare: Double { fftSeconds / bareTransformSeconds }
        public var directOverFFT: Double { directSeconds / fftSeconds }
    }

    struct Report: Codable {
        let benchmark: String
        let command: String
        let machine: MachineDescription
        let signalLength: Int
        let planner: String
        let crossoverKernelLength: Int
        let calibration: [CalibrationPoint]
        let eventDensity: [EventDensityPoint]
        let rows: [JSONRow]
        let targetDirectOverFFTAtLeast10FromK1024: Bool
        let targetFFTWithin1_5OfBare: Bool
    }

    struct CalibrationPoint: Codable {
        let kernelLength: Int
        let fftSeconds: Double
        let directSeconds: Double
    }

    struct EventDensityPoint: Codable {
        let kernelLength: Int
        let transformLength: Int
        let fftSecondsPerStep: Double
        let scatterSecondsPerEvent: Double
        let breakEvenEventsPerStep: Double
    }

    /// Kernel lengths at which the event-density break-even (`EventDensityCrossover`) is printed.
    public static let eventDensityKernelLengths = [10, 100, 1000]

    struct JSONRow: Codable {
        let kernelLength: Int
        let channels: Int
        let signalLength: Int
        let fftLength: Int
        let fftSeconds: Double
        let bareTransformSeconds: Double
        let copySeconds: Double
        let directSeconds: Double
        let directExtrapolated: Bool
        let fftOverBare: Double
        let directOverFFT: Double
    }

    public static let defaultKernelLengths = (3...16).map { 1 << $0 } + [100, 1000, 10_007]
    public static let quickKernelLengths = [8, 64, 1024, 8192]

    /// The (kernel length, channels) rows: every kernel length at each of `channelCounts`, plus the
    /// channel sweep 1, 10, 100, 1000 at K = 1024 (in the default run).
    public static func rows(quick: Bool, kernelLengths: [Int]?, channelCounts: [Int]?) -> [(Int, Int)] {
        let lengths = (kernelLengths ?? (quick ? quickKernelLengths : defaultKernelLengths)).sorted()
        let channels = channelCounts ?? (quick ? [1, 16] : [1, 100])
        var rows: [(Int, Int)] = []
        for k in lengths { for c in channels { rows.append((k, c)) } }
        if kernelLengths == nil && channelCounts == nil && !quick {
            for c in [10, 1000] { rows.append((1024, c)) }
            rows.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        }
        return rows
    }

    /// Runs the benchmark and returns the report; its last line is one JSON object with every
    /// figure. `command` is the command line to print (default: reconstructed from `quick`);
    /// `progress` receives each line of the report as soon as it is known.
    public static func run(
        quick: Bool, signalLength: Int? = nil, kernelLengths: [Int]? = nil, channelCounts: [Int]? = nil,
        directBudgetSeconds: Double = 3,
        calibrationKernelLengths: [Int] = ConvolutionCrossover.defaultKernelLengths,
        calibrationSignalLength: Int = 1 << 15,
        command: String? = nil,
        progress: ((String) -> Void)? = nil
    ) throws -> String {
        let n = signalLength ?? (quick ? 1 << 14 : 100_000)
        guard n > 0, n <= 10_000_000 else {
            throw ConvolutionError.invalidArgument("signal length must lie in 1...10^7, got \(n)")
        }
        let plan = rows(quick: quick, kernelLengths: kernelLengths, channelCounts: channelCounts)
        guard plan.allSatisfy({ $0.0 >= 1 && $0.0 <= 1 << 20 && $0.1 >= 1 && $0.1 <= 100_000 }) else {
            throw ConvolutionError.invalidArgument("kernel lengths must lie in 1...2^20 and channels in 1...10^5")
        }
        let machine = MachineDescription.current()
        var lines: [String] = []
        func emit(_ line: String) {
            lines.append(line)
            progress?(line)
        }
        let commandLine = command ?? "vesicle bench convolve\(quick ? " --quick" : "")"
        emit("command: \(commandLine)")
        emit("machine: \(machine.cores) cores, \(machine.cpuModel); \(machine.fftw)")
        emit("signal: \(n) samples per channel; plans: FFTW_MEASURE (1 s planning limit), batched r2c/c2r, cached; times: thread CPU time")

        let calibration = ConvolutionCrossover.calibrate(
            kernelLengths: calibrationKernelLengths, signalLength: calibrationSignalLength)
        emit("calibration (1 channel, \(calibrationSignalLength) samples), kernel length: fft ms / direct ms")
        emit(calibration.measurements.map {
            "  K=\($0.kernelLength): \(format($0.fftSeconds * 1e3)) / \(format($0.directSeconds * 1e3))"
        }.joined(separator: "\n"))
        emit("crossover: direct below K = \(calibration.crossover), FFT from it (recomputed on demand, once per process)")
        let densities = try eventDensityKernelLengths.map { try EventDensityCrossover.costs(kernelLength: $0) }
        emit("event density (1 channel, streaming transform): per-event scatter vs FFT path; FFT cheaper above the break-even")
        emit(densities.map {
            "  K=\($0.kernelLength) (N=\($0.transformLength)): fft \(format($0.fftSecondsPerStep * 1e9)) ns/step, scatter \(format($0.scatterSecondsPerEvent * 1e9)) ns/event, break-even \(format($0.breakEvenEventsPerStep)) events/step"
        }.joined(separator: "\n"))
        emit(header)

        var results: [Row] = []
        for (k, c) in plan {
            let row = try measure(kernelLength: k, channels: c, signalLength: n, directBudgetSeconds: directBudgetSeconds)
            results.append(row)
            emit(describe(row))
        }
        let large = results.filter { $0.kernelLength >= 1024 }
        let speedTarget = large.allSatisfy { $0.directOverFFT >= 10 }
        let overheadTarget = results.allSatisfy { $0.fftOverBare <= 1.5 }
        emit("target direct/FFT >= 10 at K >= 1024: \(speedTarget ? "met" : "missed")"
            + (large.isEmpty ? "" : " (lowest \(format(large.map(\.directOverFFT).min()!)))"))
        emit("target FFT/bare <= 1.5: \(overheadTarget ? "met" : "missed")"
            + (results.isEmpty ? "" : " (highest \(format(results.map(\.fftOverBare).max()!)))"))

        let report = Report(
            benchmark: "convolve", command: commandLine, machine: machine, signalLength: n,
            planner: "FFTW_MEASURE, 1 s limit", crossoverKernelLength: calibration.crossover,
            calibration: calibration.measurements.map {
                CalibrationPoint(kernelLength: $0.kernelLength, fftSeconds: $0.fftSeconds, directSeconds: $0.directSeconds)
            },
            eventDensity: densities.map {
                EventDensityPoint(kernelLength: $0.kernelLength, transformLength: $0.transformLength,
                                  fftSecondsPerStep: $0.fftSecondsPerStep, scatterSecondsPerEvent: $0.scatterSecondsPerEvent,
                                  breakEvenEventsPerStep: $0.breakEvenEventsPerStep)
            },
            rows: results.map {
                JSONRow(kernelLength: $0.kernelLength, channels: $0.channels, signalLength: $0.signalLength,
                        fftLength: $0.fftLength, fftSeconds: $0.fftSeconds, bareTransformSeconds: $0.bareTransformSeconds,
                        copySeconds: $0.copySeconds, directSeconds: $0.directSeconds, directExtrapolated: $0.directExtrapolated,
                        fftOverBare: $0.fftOverBare, directOverFFT: $0.directOverFFT)
            },
            targetDirectOverFFTAtLeast10FromK1024: speedTarget, targetFFTWithin1_5OfBare: overheadTarget)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(report), as: UTF8.self)
        lines.append(json)
        return lines.joined(separator: "\n")
    }

    static var header: String {
        pad("kernel", 6) + "  " + pad("channels", 8) + "  " + pad("fft_len", 7) + "  " + pad("fft_s", 10) + "  "
            + pad("direct_s", 10) + "   " + pad("bare_s", 10) + "  " + pad("copy_s", 10) + "  " + pad("fft/bare", 8)
            + "  " + pad("direct/fft", 10)
    }

    static func describe(_ row: Row) -> String {
        let direct = format(row.directSeconds, width: 10) + (row.directExtrapolated ? "*" : " ")
        return pad("\(row.kernelLength)", 6) + "  " + pad("\(row.channels)", 8) + "  " + pad("\(row.fftLength)", 7)
            + "  " + format(row.fftSeconds, width: 10) + "  " + direct + "  " + format(row.bareTransformSeconds, width: 10)
            + "  " + format(row.copySeconds, width: 10) + "  " + format(row.fftOverBare, width: 8) + "  " + format(row.directOverFFT, width: 10)
            + (row.directExtrapolated ? "  (* extrapolated)" : "")
    }

    static func measure(kernelLength k: Int, channels: Int, signalLength n: Int, directBudgetSeconds: Double) throws -> Row {
        var generator = SplitMix64(seed: UInt64(k) &* 1_000_003 &+ UInt64(channels))
        let kernel = (0..<k).map { _ in generator.nextUnit() }
        let group = max(1, min(channels, (1 << 23) / n))
        let input = (0..<(group * n)).map { _ in generator.nextUnit() - 0.5 }
        var output = Array(repeating: 0.0, count: group * n)

        func groups() -> [Int] {
            var sizes = Array(repeating: group, count: channels / group)
            if channels % group != 0 { sizes.append(channels % group) }
            return sizes
        }
        var convolvers: [Int: StreamingConvolver] = [:]
        for size in Set(groups()) {
            convolvers[size] = try StreamingConvolver(kernel: kernel, channels: size, method: .fft, expectedSignalLength: n)
        }
        let fftLength: Int
        if case .fft(let length) = convolvers[group]!.path { fftLength = length } else { fftLength = 0 }

        func timeFFT() -> Double {
            var total = 0.0
            for size in groups() {
                let convolver = convolvers[size]!
                convolver.reset()
                let start = ThreadCPUClock.seconds()
                input.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { y in
                        convolver.process(input: UnsafeBufferPointer(rebasing: x[0..<(size * n)]), length: n,
                                          output: UnsafeMutableBufferPointer(rebasing: y[0..<(size * n)]))
                    }
                }
                total += (ThreadCPUClock.seconds() - start)
            }
            return total
        }
        func timeBare() -> Double {
            var total = 0.0
            for size in groups() {
                let convolver = convolvers[size]!
                let start = ThreadCPUClock.seconds()
                input.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { y in
                        convolver.runBareTransforms(input: UnsafeBufferPointer(rebasing: x[0..<(size * n)]), length: n,
                                                    output: UnsafeMutableBufferPointer(rebasing: y[0..<(size * n)]))
                    }
                }
                total += (ThreadCPUClock.seconds() - start)
            }
            return total
        }
        func timeCopy() -> Double {
            var total = 0.0
            for size in groups() {
                let start = ThreadCPUClock.seconds()
                input.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { y in
                        y.baseAddress!.update(from: x.baseAddress!, count: size * n)
                    }
                }
                total += (ThreadCPUClock.seconds() - start)
            }
            return total
        }
        _ = timeFFT()  // creates the in-place plans for this block length
        // Repetitions interleave the FFT path, the bare transforms and the copy, and keep the best
        // of each, so that load from other processes on a shared machine hits all three alike;
        // rows are repeated up to 5 times within about a second.
        var fftSeconds = timeFFT()
        var bareSeconds = timeBare()
        var copySeconds = timeCopy()
        var spent = fftSeconds + bareSeconds + copySeconds
        var repetitions = 1
        while repetitions < 5 && spent < 1 {
            let fft = timeFFT(), bare = timeBare(), copy = timeCopy()
            fftSeconds = min(fftSeconds, fft)
            bareSeconds = min(bareSeconds, bare)
            copySeconds = min(copySeconds, copy)
            spent += fft + bare + copy
            repetitions += 1
        }

        let sampleLength = min(n, max(2048, 20_000_000 / k))
        let sampler = try StreamingConvolver(kernel: kernel, channels: 1, method: .direct)
        let sampleInput = try MultichannelSignal(channels: 1, length: sampleLength, samples: Array(input.prefix(sampleLength)))
        var sampleSeconds = Double.infinity
        for _ in 0..<2 {
            sampler.reset()
            let sampleStart = ThreadCPUClock.seconds()
            _ = try sampler.process(sampleInput)
            sampleSeconds = min(sampleSeconds, (ThreadCPUClock.seconds() - sampleStart))
        }
        let estimate = sampleSeconds * Double(n) / Double(sampleLength) * Double(channels)
        var directSeconds = estimate
        var extrapolated = true
        if estimate <= directBudgetSeconds {
            extrapolated = false
            directSeconds = 0
            for size in groups() {
                let direct = try StreamingConvolver(kernel: kernel, channels: size, method: .direct)
                let start = ThreadCPUClock.seconds()
                input.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { y in
                        direct.process(input: UnsafeBufferPointer(rebasing: x[0..<(size * n)]), length: n,
                                       output: UnsafeMutableBufferPointer(rebasing: y[0..<(size * n)]))
                    }
                }
                directSeconds += (ThreadCPUClock.seconds() - start)
            }
        }
        return Row(kernelLength: k, channels: channels, signalLength: n, fftLength: fftLength, fftSeconds: fftSeconds,
                   bareTransformSeconds: bareSeconds, copySeconds: copySeconds, directSeconds: directSeconds,
                   directExtrapolated: extrapolated)
    }

    static func format(_ value: Double, width: Int = 0) -> String {
        let text: String
        if value == 0 || (abs(value) >= 0.01 && abs(value) < 10_000) {
            text = String(format: "%.4g", value)
        } else {
            text = String(format: "%.3e", value)
        }
        return pad(text, width)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
