// PSP kernels for kernel-driven inputs (issue: input kernels by FFT; docs/DESIGN.md, FFT where it pays).

/// The shape of a kernel k(s), s >= 0 in ms. Unnormalised shapes have k(0+) = 1 (exponential),
/// peak 1 at s = tau (alpha), or the plain difference of the two exponentials.
public enum KernelShape: Sendable, Equatable {
    /// e^{-s/tau}
    case exponential(tau: Double)
    /// (s/tau) e^{1 - s/tau}
    case alpha(tau: Double)
    /// e^{-s/tauDecay} - e^{-s/tauRise}
    case differenceOfExponentials(tauRise: Double, tauDecay: Double)
    /// Values sampled every `step` ms starting at s = 0, e.g. read from a file (one value per line).
    case sampled(values: [Double], step: Double)
}

/// How a kernel is scaled before use.
public enum KernelNormalization: String, Sendable, Equatable {
    case none
    /// Peak value 1.
    case peak
    /// Integral 1 (per ms), so a weight is a total charge.
    case integral
}

/// A named kernel.
public struct KernelSpec: Sendable, Equatable {
    public var name: String
    public var shape: KernelShape
    public var normalization: KernelNormalization

    public init(name: String, shape: KernelShape, normalization: KernelNormalization = .none) {
        self.name = name
        self.shape = shape
        self.normalization = normalization
    }
}
