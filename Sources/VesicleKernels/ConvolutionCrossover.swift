/// The kernel length from which the FFT path beats the direct path, by measurement.
///
/// The default (`processDefault`) is recomputed on demand: measured once per process, the first
/// time a convolution asks for `.automatic`, on this machine and build, at one channel and a
/// signal of 2^15 samples (a few tens of milliseconds in a release build). Nothing is stored
/// between runs, so a machine change or a new FFTW never leaves a stale crossover behind;
/// `vesicle bench convolve` prints the measurement.
public enum ConvolutionCrossover {
    public struct Measurement: Sendable, Equatable {
        public let kernelLength: Int
        public let fftSeconds: Double
        public let directSeconds: Double
    }

    public struct Calibration: Sendable, Equatable {
        /// The smallest measured kernel length from which the FFT path was faster at every
        /// measured length (direct below it).
        public let crossover: Int
        public let measurements: [Measurement]
    }

    public static let defaultKernelLengths = [2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 512]

    /// Calibrated once per process on first use (thread-safe lazy global).
    public static let processDefault: Int = calibrate().crossover

    /// Times both paths (best of 3 repetitions) on a seeded random signal for each kernel length.
    /// The FFT path runs as in streaming use, with the streaming transform length for the kernel
    /// (`FFTLength.overlapAdd` without a signal length), so the short kernels share one plan.
    public static func calibrate(
        kernelLengths: [Int] = defaultKernelLengths, signalLength: Int = 1 << 15,
        planCache: FFTWPlanCache = .shared
    ) -> Calibration {
        var generator = SplitMix64(seed: 0x5EED)
        let signal = (0..<signalLength).map { _ in generator.nextUnit() - 0.5 }
        let input = try! MultichannelSignal(channels: 1, length: signalLength, samples: signal)
        var measurements: [Measurement] = []
        for k in kernelLengths where k >= 1 {
            let kernel = (0..<k).map { _ in generator.nextUnit() }
            let fft = bestTime {
                let convolver = try! StreamingConvolver(kernel: kernel, channels: 1, method: .fft, planCache: planCache)
                _ = try! convolver.process(input)
            }
            let direct = bestTime {
                let convolver = try! StreamingConvolver(kernel: kernel, channels: 1, method: .direct)
                _ = try! convolver.process(input)
            }
            measurements.append(Measurement(kernelLength: k, fftSeconds: fft, directSeconds: direct))
        }
        var crossover = (kernelLengths.max() ?? 0) + 1
        for m in measurements.reversed() {
            guard m.fftSeconds < m.directSeconds else { break }
            crossover = m.kernelLength
        }
        return Calibration(crossover: crossover, measurements: measurements)
    }

    static func bestTime(repetitions: Int = 3, _ body: () -> Void) -> Double {
        body()  // warm-up: plans, caches
        var best = Double.infinity
        for _ in 0..<repetitions {
            best = min(best, ThreadCPUClock.measure(body))
        }
        return best
    }
}

/// A small seeded generator for benchmark and calibration inputs (their content does not matter,
/// only that runs are repeatable).
public struct SplitMix64 {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
