import Synchronization

/// FFT convolution or per-event scatter for sparse input, from costs measured on this machine
/// (docs/DESIGN.md, FFT where it pays).
///
/// Scattering an event adds w h[0..<K] into its channel's ring of future values: K multiply-adds
/// per event, nothing per quiet step, so rho K per step at rho events per step and channel. The
/// FFT path costs the same per step whatever the input. The dense crossover
/// (`ConvolutionCrossover`) compares the FFT path with direct convolution of a dense signal, K
/// multiply-adds per step, which is the scatter at rho = 1; for sparse input it picks the FFT
/// path where the scatter is cheaper. Here both per-step costs are measured, once per process
/// and (kernel length, transform length), on one channel, and the FFT path is preferred when
/// rho exceeds their ratio.
public enum EventDensityCrossover {
    public struct Costs: Sendable, Equatable {
        public let kernelLength: Int
        public let transformLength: Int
        /// FFT path, one segment per call as in windowed use: seconds per step and channel.
        public let fftSecondsPerStep: Double
        /// Scatter of one event into a ring (K multiply-adds): seconds per event.
        public let scatterSecondsPerEvent: Double

        public init(kernelLength: Int, transformLength: Int, fftSecondsPerStep: Double, scatterSecondsPerEvent: Double) {
            self.kernelLength = kernelLength
            self.transformLength = transformLength
            self.fftSecondsPerStep = fftSecondsPerStep
            self.scatterSecondsPerEvent = scatterSecondsPerEvent
        }

        /// Events per step and channel at which both paths cost the same.
        public var breakEvenEventsPerStep: Double { fftSecondsPerStep / scatterSecondsPerEvent }

        /// True when the FFT path is cheaper at `eventsPerStep` events per step and channel.
        public func prefersFFT(eventsPerStep: Double) -> Bool { eventsPerStep > breakEvenEventsPerStep }
    }

    struct Key: Hashable {
        let kernelLength: Int
        let transformLength: Int
    }

    private static let measured = Mutex<[Key: Costs]>([:])

    /// The costs for a kernel of `kernelLength` samples convolved by transforms of
    /// `transformLength` (default: the streaming length, `FFTLength.overlapAdd`), measured on
    /// first use and kept for the process.
    public static func costs(kernelLength: Int, transformLength: Int? = nil, planCache: FFTWPlanCache = .shared) throws -> Costs {
        let n = transformLength ?? FFTLength.overlapAdd(kernelLength: kernelLength)
        guard kernelLength >= 1, n >= kernelLength else {
            throw ConvolutionError.invalidArgument("kernel length \(kernelLength) and transform length \(n): need 1 <= K <= N")
        }
        let key = Key(kernelLength: kernelLength, transformLength: n)
        if let known = measured.withLock({ $0[key] }) { return known }
        let costs = try measure(kernelLength: kernelLength, transformLength: n, planCache: planCache)
        return measured.withLock { table in
            if let known = table[key] { return known }
            table[key] = costs
            return costs
        }
    }

    /// Times both paths (best of 3) on seeded random input: the FFT path over at least 2^15 steps
    /// fed one segment per call, the scatter of enough events for about 2^22 multiply-adds.
    static func measure(kernelLength k: Int, transformLength n: Int, planCache: FFTWPlanCache) throws -> Costs {
        var generator = SplitMix64(seed: 0xD15C_A77E ^ UInt64(k))
        let kernel = (0..<k).map { _ in generator.nextUnit() }
        let segment = n - k + 1
        let segments = max(1, (1 << 15) / segment)
        let block = try MultichannelSignal(channels: 1, length: segment,
                                           samples: (0..<segment).map { _ in generator.nextUnit() - 0.5 })
        let convolver = try StreamingConvolver(kernel: kernel, channels: 1, method: .fftLength(n), planCache: planCache)
        let fft = ConvolutionCrossover.bestTime {
            for _ in 0..<segments { _ = try! convolver.process(block) }
        } / Double(segments * segment)

        let ringLength = k + 4096
        var ring = Array(repeating: 0.0, count: ringLength)
        let events = max(64, (1 << 22) / k)
        let starts = (0..<events).map { _ in Int(generator.next() % UInt64(ringLength)) }
        let weights = (0..<events).map { _ in generator.nextUnit() }
        let scatter = ConvolutionCrossover.bestTime {
            ring.withUnsafeMutableBufferPointer { r in
                kernel.withUnsafeBufferPointer { h in
                    for e in 0..<events { scatterEvent(weights[e], at: starts[e], h.baseAddress!, k, r.baseAddress!, ringLength) }
                }
            }
        } / Double(events)
        return Costs(kernelLength: k, transformLength: n, fftSecondsPerStep: fft, scatterSecondsPerEvent: scatter)
    }

    /// ring[(start + i) mod R] += w h[i] for i < K, as two unit-stride loops (the engine's
    /// future-current ring does the same).
    @inline(__always)
    static func scatterEvent(
        _ w: Double, at start: Int, _ h: UnsafePointer<Double>, _ k: Int, _ ring: UnsafeMutablePointer<Double>, _ r: Int
    ) {
        let first = min(k, r - start)
        for i in 0..<first { ring[start + i] += w * h[i] }
        for i in first..<k { ring[i - first] += w * h[i] }
    }
}
