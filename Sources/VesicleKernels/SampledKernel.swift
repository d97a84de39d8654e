import Foundation

/// A kernel sampled on the simulation grid: `values[j]` = eps(j dt), j = 0, 1, ... (grid points,
/// not bin centres). Grid-point sampling makes the convolution of spikes that fall on grid points
/// equal the continuous-time kernel sum exactly at every grid point (the `lif_exp` current of
/// docs/MODEL.md §2 is then reproduced to rounding); see `SpikeBinning` for off-grid spikes.
public struct SampledKernel: Sendable, Equatable {
    public let values: [Double]
    public let dt: Double
    /// Set when the kernel is a (scaled) pure exponential exp(-s/tau): its semigroup property lets
    /// `SpikeBinning` weight an off-grid spike so that grid values stay exact.
    public let exponentialTau: Double?

    /// Refuses kernels longer than this many samples (2^26, 512 MiB of doubles).
    public static let maximumLength = 1 << 26

    public init(values: [Double], dt: Double, exponentialTau: Double? = nil) throws {
        guard dt.isFinite, dt > 0 else { throw KernelError.invalidParameter("dt must be positive, got \(dt)") }
        guard !values.isEmpty else { throw KernelError.invalidParameter("a kernel needs at least one sample") }
        guard values.allSatisfy(\.isFinite) else { throw KernelError.invalidParameter("kernel samples must be finite") }
        self.values = values
        self.dt = dt
        self.exponentialTau = exponentialTau
    }

    public var count: Int { values.count }

    /// Samples `shape` on the grid dt, truncates and normalises it.
    public init(
        _ shape: KernelShape, dt: Double,
        normalisation: KernelNormalisation = .none,
        truncation: KernelTruncation = .standard
    ) throws {
        try shape.validate()
        guard dt.isFinite, dt > 0 else { throw KernelError.invalidParameter("dt must be positive, got \(dt)") }
        var samples: [Double]
        switch shape {
        case .sampled(let values, let step, _):
            samples = try Self.decimate(values, step: step, dt: dt)
            if case .length(let n) = truncation {
                guard n > 0 else { throw KernelError.invalidParameter("kernel length must be positive, got \(n)") }
                samples = Array(samples.prefix(n)) + Array(repeating: 0, count: max(0, n - samples.count))
            }
        default:
            samples = try Self.sampleAnalytic(shape, dt: dt, truncation: truncation)
        }
        switch normalisation {
        case .none:
            break
        case .peak:
            let peak = samples.map(abs).max() ?? 0
            guard peak > 0 else { throw KernelError.invalidParameter("cannot normalise an all-zero kernel by its peak") }
            samples = samples.map { $0 / peak }
        case .integral:
            let charge = samples.reduce(0, +) * dt
            guard charge != 0, charge.isFinite else {
                throw KernelError.invalidParameter("cannot normalise a kernel whose integral is \(charge)")
            }
            samples = samples.map { $0 / charge }
        }
        var tau: Double? = nil
        if case .exponential(let t) = shape { tau = t }
        try self.init(values: samples, dt: dt, exponentialTau: tau)
    }

    private static func sampleAnalytic(_ shape: KernelShape, dt: Double, truncation: KernelTruncation) throws -> [Double] {
        switch truncation {
        case .length(let n):
            guard n > 0 else { throw KernelError.invalidParameter("kernel length must be positive, got \(n)") }
            guard n <= maximumLength else { throw KernelError.tooLong(samples: n, limit: maximumLength) }
            return (0..<n).map { shape.value(at: Double($0) * dt)! }
        case .relativeTail(let epsilon):
            guard epsilon > 0, epsilon < 1 else {
                throw KernelError.invalidParameter("tail tolerance must lie in (0, 1), got \(epsilon)")
            }
            let peak = shape.value(at: shape.peakTime)!
            guard shape.peakTime / dt < Double(maximumLength) else {
                throw KernelError.tooLong(samples: maximumLength, limit: maximumLength)
            }
            let peakIndex = Int((shape.peakTime / dt).rounded(.up))
            var samples: [Double] = []
            var j = 0
            while true {
                let v = shape.value(at: Double(j) * dt)!
                if j > peakIndex, abs(v) < epsilon * peak { break }
                samples.append(v)
                j += 1
                if j > maximumLength { throw KernelError.tooLong(samples: j, limit: maximumLength) }
            }
            return samples
        }
    }

    /// A file kernel at step `step` on the grid dt: requires dt = m * step for a whole number m and
    /// keeps every m-th value, so the grid samples are the file's own values (no interpolation).
    static func decimate(_ values: [Double], step: Double, dt: Double) throws -> [Double] {
        let ratio = dt / step
        let whole = ratio.rounded()
        guard whole >= 1, whole <= Double(maximumLength), abs(ratio - whole) <= 1e-9 * whole else {
            throw KernelError.stepDoesNotDivideGrid(step: step, dt: dt)
        }
        let m = Int(whole)
        return stride(from: 0, to: values.count, by: m).map { values[$0] }
    }
}
